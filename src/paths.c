/* paths.c: where xenlive finds its files. */
#include "paths.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int Paths_join(char *buf, size_t len, const char *dir, const char *name)
{
    int n = snprintf(buf, len, "%s/%s", dir, name);

    return n < 0 || (size_t)n >= len ? -1 : 0;
}

static int Paths_copy(char *buf, size_t len, const char *path)
{
    int n = snprintf(buf, len, "%s", path);

    return n < 0 || (size_t)n >= len ? -1 : 0;
}

int Paths_init(Paths *p, const char *images, const char *guest, const char *run,
               const char *ssh, const char *console_logs)
{
    char *slash;

    if (Paths_copy(p->images, sizeof p->images, images) < 0 ||
        Paths_copy(p->run, sizeof p->run, run) < 0 ||
        Paths_copy(p->ssh, sizeof p->ssh, ssh) < 0 ||
        Paths_copy(p->console_logs, sizeof p->console_logs, console_logs) < 0)
        return -1;
    if (Paths_join(p->kernel, sizeof p->kernel, guest, "vmlinux") < 0 ||
        Paths_join(p->initrd, sizeof p->initrd, guest, "initrd.img") < 0 ||
        Paths_join(p->domains, sizeof p->domains, run, "domains") < 0 ||
        Paths_join(p->saves, sizeof p->saves, run, "saves") < 0 ||
        Paths_join(p->data, sizeof p->data, run, "data") < 0 ||
        Paths_join(p->net, sizeof p->net, run, "net") < 0 ||
        Paths_join(p->password, sizeof p->password, run, "password") < 0 ||
        Paths_join(p->ssh_fingerprint, sizeof p->ssh_fingerprint, run, "ssh-fingerprint") < 0 ||
        Paths_join(p->dom0_key, sizeof p->dom0_key, run, "dom0-key.pub") < 0 ||
        Paths_join(p->host_key, sizeof p->host_key, run, "ssh-hostkey.pub") < 0 ||
        Paths_join(p->peers, sizeof p->peers, run, "peers") < 0 ||
        Paths_join(p->hosts, sizeof p->hosts, run, "hosts") < 0 ||
        Paths_join(p->hosts_base, sizeof p->hosts_base, run, "hosts.base") < 0 ||
        Paths_join(p->authorized_keys, sizeof p->authorized_keys, ssh, "authorized_keys") < 0 ||
        Paths_join(p->known_hosts, sizeof p->known_hosts, ssh, "known_hosts") < 0 ||
        Paths_join(p->identity, sizeof p->identity, ssh, "id_dropbear") < 0 ||
        Paths_join(p->crashed, sizeof p->crashed, run, "crashed") < 0 ||
        Paths_copy(p->xl_logs, sizeof p->xl_logs, console_logs) < 0)
        return -1;
    /* Xen's log folder holds the console folder: /var/log/xen/console. */
    slash = strrchr(p->xl_logs, '/');
    if (slash && slash != p->xl_logs)
        *slash = '\0';
    else
        snprintf(p->xl_logs, sizeof p->xl_logs, "%s", slash ? "/" : ".");
    return 0;
}

static const char *Paths_env(const char *name, const char *fallback)
{
    const char *v = getenv(name);

    return v && *v ? v : fallback;
}

int Paths_fromEnv(Paths *p)
{
    return Paths_init(p, Paths_env("XENLIVE_IMAGES", PATHS_IMAGES_DEFAULT),
                      Paths_env("XENLIVE_GUEST_DIR", PATHS_GUEST_DEFAULT),
                      Paths_env("XENLIVE_RUN_DIR", PATHS_RUN_DEFAULT),
                      Paths_env("XENLIVE_SSH_DIR", PATHS_SSH_DEFAULT),
                      Paths_env("XENLIVE_CONSOLE_LOG_DIR", PATHS_CONSOLE_LOGS_DEFAULT));
}

/* NAME can be a file name: not empty, no '/', not starting with '.'. */
static int Paths_plainName(const char *name)
{
    return *name && name[0] != '.' && !strchr(name, '/') ? 0 : -1;
}

int Paths_cfg(const Paths *p, const char *name, char *buf, size_t len)
{
    if (Paths_plainName(name) < 0)
        return -1;
    return snprintf(buf, len, "%s/%s.cfg", p->domains, name) >= (int)len ? -1 : 0;
}

int Paths_rootfs(const Paths *p, const char *image, char *buf, size_t len)
{
    return snprintf(buf, len, "%s/%s/rootfs.squashfs", p->images, image) >= (int)len ? -1 : 0;
}

int Paths_consoleLog(const Paths *p, const char *name, char *buf, size_t len)
{
    if (Paths_plainName(name) < 0)
        return -1;
    return snprintf(buf, len, "%s/guest-%s.log", p->console_logs, name) >= (int)len ? -1 : 0;
}
