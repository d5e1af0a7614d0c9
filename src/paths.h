/* paths.h: where xenlive finds images and the guest kernel, keeps its
 * generated xl configs, reads what the dom0 boot scripts wrote (network,
 * password, SSH keys), and where root's SSH files and the guests'
 * console logs are.  Tests point these at temporary folders. */
#ifndef XENLIVE_PATHS_H
#define XENLIVE_PATHS_H

#include <limits.h>
#include <stddef.h>

#define PATHS_IMAGES_DEFAULT "/run/xenlive/images"
#define PATHS_GUEST_DEFAULT "/usr/share/xenlive/guest"
#define PATHS_RUN_DEFAULT "/run/xenlive"
#define PATHS_SSH_DEFAULT "/root/.ssh"
#define PATHS_CONSOLE_LOGS_DEFAULT "/var/log/xen/console"

typedef struct Paths {
    char images[PATH_MAX];  /* one folder per image */
    char kernel[PATH_MAX];  /* the guest kernel, a plain ELF vmlinux */
    char initrd[PATH_MAX];  /* the guest initramfs */
    char run[PATH_MAX];     /* xenlive's run-time state */
    char domains[PATH_MAX]; /* generated xl configs, NAME.cfg */
    char saves[PATH_MAX];   /* guests saved to RAM (no data volume), NAME.save */
    char data[PATH_MAX];    /* data: the data volume 65-data mounted (DEVICE=, FSTYPE=, MOUNT=) */
    /* Written by the dom0 boot scripts, in the run folder. */
    char net[PATH_MAX];             /* net: MODE=, UPLINK=, GUEST_NET=, GATEWAY= */
    char password[PATH_MAX];        /* password: root's for this boot */
    char ssh_fingerprint[PATH_MAX]; /* ssh-fingerprint: dom0's SSH host key */
    char dom0_key[PATH_MAX];        /* dom0-key.pub: dom0's key for the guests */
    char host_key[PATH_MAX];        /* ssh-hostkey.pub: dom0's SSH host key, public */
    char peers[PATH_MAX];           /* peers: the paired machines, one host a line */
    char hosts[PATH_MAX];           /* hosts: what /etc/hosts links to (guestssh.h) */
    char hosts_base[PATH_MAX];      /* hosts.base: its lines other than guests' */
    /* Root's SSH folder (created 0700 when needed) and its files. */
    char ssh[PATH_MAX];
    char known_hosts[PATH_MAX];     /* the guests' host keys, for dbclient */
    char identity[PATH_MAX];        /* id_dropbear: dom0's private key */
    char authorized_keys[PATH_MAX]; /* who may log in as root: paired machines */
    char console_logs[PATH_MAX];    /* xenconsoled's guest-NAME.log files */
    /* The folder above console_logs (Xen's log folder, /var/log/xen):
     * xl's monitor of each guest logs there, xl-NAME.log. */
    char xl_logs[PATH_MAX];
    char crashed[PATH_MAX]; /* crashed/NAME: a guest that crashed (crashes.h) */
} Paths;

int Paths_init(Paths *p, const char *images, const char *guest, const char *run,
               const char *ssh, const char *console_logs);

/* The defaults, overridden by XENLIVE_IMAGES, XENLIVE_GUEST_DIR,
 * XENLIVE_RUN_DIR, XENLIVE_SSH_DIR and XENLIVE_CONSOLE_LOG_DIR. */
int Paths_fromEnv(Paths *p);

/* The xl config of the domain NAME.  Fails for names that are not a
 * plain file name, so a domain name can never point outside domains/. */
int Paths_cfg(const Paths *p, const char *name, char *buf, size_t len);

/* The root file system of the image NAME. */
int Paths_rootfs(const Paths *p, const char *image, char *buf, size_t len);

/* xenconsoled's log of the guest NAME's console, guest-NAME.log; fails
 * for names that are not a plain file name, as Paths_cfg. */
int Paths_consoleLog(const Paths *p, const char *name, char *buf, size_t len);

#endif
