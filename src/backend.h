/* backend.h: everything xenlive asks of Xen and of the host, behind one
 * table of functions.  backend_xen.c talks to the real thing (libxl for
 * queries, the xl command for lifecycle); backend_fake.c is the
 * in-memory stand-in the unit tests drive.
 *
 * Functions that can fail return 0, or -1 with a one-line reason in
 * ERR. */
#ifndef XENLIVE_BACKEND_H
#define XENLIVE_BACKEND_H

#include "domlist.h"
#include "guestinfo.h"
#include "stats.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct Backend Backend;

typedef struct HostInfo {
    char xen_version[64];
    double uptime_s; /* dom0's, which is the host's: dom0 boots with Xen */
} HostInfo;

struct Backend {
    /* Memory Xen has free for new guests. */
    int (*free_memory_mib)(Backend *be, uint64_t *mib, char *err, size_t errlen);
    /* Dom0's own memory still available (MemAvailable): each guest needs
     * some of it too, for its backends, console and xl process. */
    int (*dom0_available_mib)(Backend *be, uint64_t *mib, char *err, size_t errlen);
    /* Dom0's size as Xen sees it, in MiB: TARGET, its balloon target
     * (xenstore's /local/domain/0/memory/target, which xl mem-set and
     * libxl write and dom0's balloon driver follows), and MAX, the most
     * Xen lets it hold (its max_pages: dom0_mem's max: on Xen's command
     * line, lowered by an enforcing xl mem-set).  -1 with ERR when libxl
     * cannot read them. */
    int (*dom0_memory)(Backend *be, uint64_t *target_mib, uint64_t *max_mib, char *err,
                       size_t errlen);
    /* Sets dom0's balloon target to TARGET_MIB (libxl_set_memory_target,
     * absolute, not enforcing: Xen's max for dom0 stays); dom0's balloon
     * driver then takes the pages from Xen's free memory, in the
     * background.  -1 with ERR when libxl refuses (above static-max). */
    int (*dom0_set_target)(Backend *be, uint64_t target_mib, char *err, size_t errlen);
    /* All domains, Domain-0 included; the caller frees OUT. */
    int (*list_domains)(Backend *be, DomainList *out, char *err, size_t errlen);
    /* xl create CFG_PATH; on failure ERR is xl's first meaningful line. */
    int (*create)(Backend *be, const char *cfg_path, char *err, size_t errlen);
    /* xl destroy NAME */
    int (*destroy)(Backend *be, const char *name, char *err, size_t errlen);
    /* xl shutdown NAME: ask the guest to power off (it may take a while);
     * with WAIT, xl shutdown -w NAME: return once the domain is gone. */
    int (*shutdown)(Backend *be, const char *name, bool wait, char *err, size_t errlen);
    /* xl pause NAME, or xl unpause NAME when PAUSE is false. */
    int (*pause)(Backend *be, const char *name, bool pause, char *err, size_t errlen);
    /* xl mem-set NAME MIBm: the guest's balloon target. */
    int (*mem_set)(Backend *be, const char *name, unsigned mib, char *err, size_t errlen);
    /* xl save NAME PATH (the domain is gone afterwards); xl restore PATH. */
    int (*save)(Backend *be, const char *name, const char *path, char *err, size_t errlen);
    int (*restore)(Backend *be, const char *path, char *err, size_t errlen);
    /* Run the shell line COMMAND as root on HOST: dbclient(1) -i IDENTITY
     * root@HOST COMMAND (-y with ACCEPT_NEW: an unknown host key is
     * recorded, for pairing; otherwise known_hosts must hold it), with
     * PASSWORD as DROPBEAR_PASSWORD when not NULL (else "" : key only, never
     * a question), INPUT on its stdin (NULL: none).  HOST "localhost":
     * sh -c COMMAND here, without SSH.  OUT gets what it printed (stdout
     * and stderr).  Returns the exit status: dbclient's own failures
     * (unreachable, refused, wrong password) are non-zero too (dropbear_exit:
     * 1), told apart by what it printed; -1 when it could not start. */
    int (*remote)(Backend *be, const char *host, const char *password, bool accept_new,
                  const char *command, const char *input, char *out, size_t outlen);
    /* Move the domain NAME to HOST with xl's own stream, where the config
     * REMOTE_CFG (xl.cfg(5), with the name the guest takes there) is
     * already written.  LIVE: xl migrate -C LOCAL_CFG -s "dbclient -i
     * IDENTITY" NAME HOST (xl(1): the guest runs while its memory is
     * copied; xl resumes it here when that fails).  Otherwise xl save -p
     * NAME /dev/stdout | dbclient HOST "xl restore REMOTE_CFG /dev/stdin":
     * the guest is paused here while its state streams, and stays so (xl
     * save -p) until the caller destroys or unpauses it.  HOST "localhost"
     * uses no SSH.  ERR: the first line xl or dbclient printed. */
    int (*send)(Backend *be, const char *name, const char *host, const char *local_cfg,
                const char *remote_cfg, bool live, char *err, size_t errlen);
    /* Wall-clock seconds since some fixed point (CLOCK_MONOTONIC): for
     * timing a move. */
    double (*now_s)(Backend *be);
    /* xl console NAME on the caller's terminal, until the user leaves it
     * (Ctrl-]). */
    int (*console)(Backend *be, const char *name, char *err, size_t errlen);
    /* The hypervisor's version ("4.20.5-pre") and the host's uptime. */
    int (*host_info)(Backend *be, HostInfo *out, char *err, size_t errlen);
    /* Xen can run HVM (and so PVH) guests. */
    bool (*has_hvm)(Backend *be);
    /* Xen has hardware-assisted paging (EPT/NPT: libxl_physinfo's
     * cap_hap), which tracks a PVH guest's dirty pages, so that xl migrate
     * can move it live.  Debian's Xen has no shadow paging, so a PV guest
     * (or any guest without HAP) cannot be moved live. */
    bool (*has_hap)(Backend *be);
    /* Free space, in MiB, that an unprivileged writer may still use on
     * the file system holding PATH (statvfs: f_bavail * f_frsize). */
    int (*fs_free_mib)(Backend *be, const char *path, uint64_t *mib, char *err, size_t errlen);
    /* The host is QEMU's TCG emulator. */
    bool (*is_tcg)(Backend *be);
    int (*random_bytes)(Backend *be, void *buf, size_t len, char *err, size_t errlen);
    /* Text that differs between hosts and stays the same on one host. */
    int (*host_salt)(Backend *be, char *buf, size_t len, char *err, size_t errlen);
    bool (*bridge_exists)(Backend *be, const char *bridge);
    /* The first IPv4 address of the network interface IFNAME as text
     * ("10.0.2.15") and its prefix length (24); false when it has none
     * yet (DHCP) or there is no such interface.  Asked live each time. */
    bool (*ipv4_address)(Backend *be, const char *ifname, char *addr, size_t len,
                         unsigned *prefix);
    /* Every domain's counters and start time, and the monotonic and
     * wall-clock time, now (libxenstat, libxl);
     * the caller frees OUT with Sample_free. */
    int (*sample)(Backend *be, Sample *out, char *err, size_t errlen);
    /* The guest agent's keys (guestinfo.h's GK_*) of the N domains IDS,
     * read from /local/domain/ID/... on one read-only xenstore connection
     * (libxenstore): OUT[i] for IDS[i], a missing key not present.  -1
     * with the reason in ERR when xenstore cannot be reached. */
    int (*guest_keys)(Backend *be, const uint32_t *ids, size_t n, GuestKeys *out, char *err,
                      size_t errlen);
    /* Give the DHCP lease of IP, MAC and CLID (the client id as
     * dnsmasq's lease file has it; "" for none) back to dom0's dnsmasq on
     * the guests' bridge: dhcp_release(1), from dnsmasq-utils, which
     * sends dnsmasq a DHCPRELEASE as the client would.  -1 with ERR
     * when it cannot be run or fails. */
    int (*release_lease)(Backend *be, const char *ip, const char *mac, const char *clid,
                         char *err, size_t errlen);
    /* Wait NS nanoseconds (top's refresh delay; the fake only counts). */
    void (*sleep_ns)(Backend *be, uint64_t ns);
    void (*free)(Backend *be);
};

#endif
