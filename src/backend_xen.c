/* backend_xen.c: the backend that talks to Xen. */
#include "backend_xen.h"

#include "command.h"
#include "host.h"
#include "util.h"
#include "xlcfg.h"

#include <errno.h>
#include <inttypes.h>
#include <libxl.h>
#include <libxl_utils.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <xenstat.h>
#include <xenstore.h>

/* A libxl logger that keeps the last error instead of printing it, so
 * that each failure is reported as one line. */
typedef struct XenLog {
    xentoollog_logger vtable;
    char last[256];
} XenLog;

typedef struct BackendXen {
    Backend backend;
    XenLog log;
    libxl_ctx *ctx;
    xenstat_handle *xenstat; /* opened by the first sample */
    Sample last;             /* the last sample: its start times are kept */
    GuestKeysCache keys;     /* the guests' agent keys of the last refresh */
    char run[PATH_MAX];
    char identity[PATH_MAX]; /* dom0's private key, for dbclient -i */
} BackendXen;

static void XenLog_vmessage(xentoollog_logger *logger, xentoollog_level level, int errnoval,
                            const char *context, const char *format, va_list ap)
{
    XenLog *log = (XenLog *)logger;
    size_t used;

    (void)context;
    if (level < XTL_ERROR)
        return;
    vsnprintf(log->last, sizeof log->last, format, ap);
    used = strlen(log->last);
    if (errnoval >= 0)
        snprintf(log->last + used, sizeof log->last - used, ": %s", strerror(errnoval));
}

static void XenLog_destroy(xentoollog_logger *logger)
{
    (void)logger; /* it lives inside BackendXen */
}

/* Run xl with ARGV; on failure ERR is the first meaningful line it printed. */
static int BackendXen_xl(char *const argv[], char *err, size_t errlen)
{
    char output[8192];
    int status = Command_run(argv, output, sizeof output);

    if (status == 0)
        return 0;
    if (status < 0 || !Command_summary(output, err, errlen))
        snprintf(err, errlen, "xl %s failed (exit status %d)%s%s", argv[1], status,
                 status < 0 ? ": " : "", status < 0 ? output : "");
    return -1;
}

static int BackendXen_freeMemory(Backend *be, uint64_t *mib, char *err, size_t errlen)
{
    BackendXen *x = (BackendXen *)be;
    uint64_t kb;

    if (libxl_get_free_memory(x->ctx, &kb) != 0) {
        snprintf(err, errlen, "cannot read Xen's free memory: %s", x->log.last);
        return -1;
    }
    *mib = kb / 1024;
    return 0;
}

/* MemAvailable of dom0's /proc/meminfo: xenlive runs in dom0. */
static int BackendXen_dom0Available(Backend *be, uint64_t *mib, char *err, size_t errlen)
{
    (void)be;
    return Host_memAvailableMib(HOST_MEMINFO, mib, err, errlen) == STATUS_OK ? 0 : -1;
}

static int BackendXen_dom0Memory(Backend *be, uint64_t *target_mib, uint64_t *max_mib,
                                 char *err, size_t errlen)
{
    BackendXen *x = (BackendXen *)be;
    libxl_dominfo info;
    uint64_t target_kb;
    int rc = -1;

    libxl_dominfo_init(&info);
    /* libxl_get_memory_target also writes dom0's memory/target and
     * memory/static-max when nothing has yet (libxl_mem.c). */
    if (libxl_get_memory_target(x->ctx, 0, &target_kb) != 0 ||
        libxl_domain_info(x->ctx, &info, 0) != 0) {
        snprintf(err, errlen, "cannot read dom0's memory target: %s", x->log.last);
        goto out;
    }
    *target_mib = target_kb / 1024;
    *max_mib = info.max_memkb / 1024;
    rc = 0;
out:
    libxl_dominfo_dispose(&info);
    return rc;
}

static int BackendXen_dom0SetTarget(Backend *be, uint64_t target_mib, char *err, size_t errlen)
{
    BackendXen *x = (BackendXen *)be;

    /* Not enforcing: with enforce, libxl would also lower Xen's max for
     * dom0 to this target, and dom0 could never grow again. */
    if (libxl_set_memory_target(x->ctx, 0, (int64_t)(target_mib * 1024), 0, 0) != 0) {
        snprintf(err, errlen, "cannot set dom0's memory target to %" PRIu64 " MiB: %s",
                 target_mib, x->log.last);
        return -1;
    }
    return 0;
}

/* The state letters of xl list: s for any shutdown (poweroff, suspend,
 * ...), c when that shutdown is a crash.  (libxl's reason is 0, POWEROFF,
 * for a domain that is not shut down at all: it means nothing then.) */
static void BackendXen_state(const libxl_dominfo *info, char state[7])
{
    state[0] = info->running ? 'r' : '-';
    state[1] = info->blocked ? 'b' : '-';
    state[2] = info->paused ? 'p' : '-';
    state[3] = info->shutdown ? 's' : '-';
    state[4] = info->shutdown && info->shutdown_reason == LIBXL_SHUTDOWN_REASON_CRASH ? 'c' : '-';
    state[5] = info->dying ? 'd' : '-';
    state[6] = '\0';
}

static int BackendXen_listDomains(Backend *be, DomainList *out, char *err, size_t errlen)
{
    BackendXen *x = (BackendXen *)be;
    libxl_dominfo *info;
    int count;
    int i;
    int rc = -1;

    out->items = NULL;
    out->count = 0;
    info = libxl_list_domain(x->ctx, &count);
    if (!info) {
        snprintf(err, errlen, "cannot list Xen's domains: %s", x->log.last);
        return -1;
    }
    for (i = 0; i < count; i++) {
        char state[7];
        char *name = libxl_domid_to_name(x->ctx, info[i].domid);
        int added;

        if (!name)
            continue; /* it went away since the list was taken */
        BackendXen_state(&info[i], state);
        added = DomainList_add(out, info[i].domid, name, info[i].current_memkb / 1024,
                               info[i].vcpu_online, state);
        free(name);
        if (added < 0) {
            snprintf(err, errlen, "out of memory");
            goto out;
        }
    }
    rc = 0;
out:
    libxl_dominfo_list_free(info, count);
    if (rc < 0)
        DomainList_free(out);
    return rc;
}

static int BackendXen_create(Backend *be, const char *cfg_path, char *err, size_t errlen)
{
    char *argv[] = {"xl", "create", (char *)cfg_path, NULL};

    (void)be;
    return BackendXen_xl(argv, err, errlen);
}

static int BackendXen_destroy(Backend *be, const char *name, char *err, size_t errlen)
{
    char *argv[] = {"xl", "destroy", (char *)name, NULL};

    (void)be;
    return BackendXen_xl(argv, err, errlen);
}

static int BackendXen_shutdown(Backend *be, const char *name, bool wait, char *err,
                              size_t errlen)
{
    char *argv[] = {"xl", "shutdown", (char *)name, NULL, NULL};

    (void)be;
    if (wait) {
        argv[2] = "-w";
        argv[3] = (char *)name;
    }
    return BackendXen_xl(argv, err, errlen);
}

static int BackendXen_pause(Backend *be, const char *name, bool pause, char *err,
                            size_t errlen)
{
    char *argv[] = {"xl", pause ? "pause" : "unpause", (char *)name, NULL};

    (void)be;
    return BackendXen_xl(argv, err, errlen);
}

static int BackendXen_memSet(Backend *be, const char *name, unsigned mib, char *err,
                             size_t errlen)
{
    char size[32];
    char *argv[] = {"xl", "mem-set", (char *)name, size, NULL};

    (void)be;
    /* The unit spelled out: xl's default unit has changed over time. */
    snprintf(size, sizeof size, "%um", mib);
    return BackendXen_xl(argv, err, errlen);
}

static int BackendXen_save(Backend *be, const char *name, const char *path, char *err,
                           size_t errlen)
{
    char *argv[] = {"xl", "save", (char *)name, (char *)path, NULL};

    (void)be;
    return BackendXen_xl(argv, err, errlen);
}

static int BackendXen_restore(Backend *be, const char *path, char *err, size_t errlen)
{
    char *argv[] = {"xl", "restore", (char *)path, NULL};

    (void)be;
    return BackendXen_xl(argv, err, errlen);
}

static bool BackendXen_isLocal(const char *host)
{
    return strcmp(host, "localhost") == 0;
}

static int BackendXen_remote(Backend *be, const char *host, const char *password,
                             bool accept_new, const char *command, const char *input, char *out,
                             size_t outlen)
{
    BackendXen *x = (BackendXen *)be;
    char target[300];
    char *argv[12];
    int i = 0;

    if (BackendXen_isLocal(host)) {
        char *local[] = {"sh", "-c", (char *)command, NULL};

        return Command_runInput(local, NULL, input, out, outlen);
    }
    snprintf(target, sizeof target, "root@%s", host);
    argv[i++] = "dbclient";
    if (accept_new)
        argv[i++] = "-y";
    if (access(x->identity, R_OK) == 0) {
        argv[i++] = "-i";
        argv[i++] = x->identity;
    }
    argv[i++] = target;
    argv[i++] = (char *)command;
    argv[i] = NULL;
    return Command_runInput(argv, password ? password : "", input, out, outlen);
}

static int BackendXen_send(Backend *be, const char *name, const char *host,
                           const char *local_cfg, const char *remote_cfg, bool live, char *err,
                           size_t errlen)
{
    BackendXen *x = (BackendXen *)be;
    char output[8192];
    char ssh[PATH_MAX + 32];
    int status;

    snprintf(ssh, sizeof ssh, "dbclient -i %s", x->identity);
    if (live) {
        /* -s '': HOST is the whole command (xl_migrate.c), for localhost. */
        char *argv[] = {"xl", "migrate", "-C", (char *)local_cfg, "-s",
                        BackendXen_isLocal(host) ? "" : ssh, (char *)name,
                        BackendXen_isLocal(host) ? "xl migrate-receive" : (char *)host, NULL};

        status = Command_runInput(argv, "", NULL, output, sizeof output);
    } else {
        /* $1 NAME, $2 the receiving side's command (dbclient or sh),
         * $3 HOST, $4 REMOTE_CFG.  pipefail: either side's failure counts. */
        static const char script[] =
            "set -o pipefail\n"
            /* Ignored, and so for xl too: a receiver that fails makes
             * xl save's write fail (EPIPE) instead of killing it before
             * it resumes the guest. */
            "trap '' PIPE\n"
            "if [ \"$3\" = localhost ]; then\n"
            "  xl save -p \"$1\" /dev/stdout | xl restore \"$4\" /dev/stdin\n"
            "else\n"
            "  xl save -p \"$1\" /dev/stdout | $2 \"root@$3\" \"xl restore '$4' /dev/stdin\"\n"
            "fi\n";
        char *argv[] = {"sh", "-c", (char *)script, "sh", (char *)name, ssh, (char *)host,
                        (char *)remote_cfg, NULL};

        status = Command_runInput(argv, "", NULL, output, sizeof output);
    }
    if (status == 0)
        return 0;
    if (status < 0 || !Command_summary(output, err, errlen))
        snprintf(err, errlen, "%s failed (exit status %d)", live ? "xl migrate" : "xl save | xl restore",
                 status);
    return -1;
}

static double BackendXen_nowS(Backend *be)
{
    struct timespec ts;

    (void)be;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* xl console on our own terminal: its output is not captured, unlike
 * Command_run's, because the user talks to the guest through it. */
static int BackendXen_console(Backend *be, const char *name, char *err, size_t errlen)
{
    int status;
    pid_t pid;

    (void)be;
    pid = fork();
    if (pid < 0) {
        snprintf(err, errlen, "cannot start xl console: %s", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        execlp("xl", "xl", "console", name, (char *)NULL);
        _exit(127);
    }
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            snprintf(err, errlen, "xl console: %s", strerror(errno));
            return -1;
        }
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    snprintf(err, errlen, "xl console %s failed (exit status %d)", name,
             WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    return -1;
}

/* /proc/uptime: "SECONDS IDLE"; dom0 starts with Xen, so it is the
 * host's.  0 when it cannot be read. */
static double BackendXen_uptime(void)
{
    char line[128];

    if (Util_readLine("/proc/uptime", line, sizeof line) < 0)
        return 0;
    return strtod(line, NULL);
}

static int BackendXen_hostInfo(Backend *be, HostInfo *out, char *err, size_t errlen)
{
    BackendXen *x = (BackendXen *)be;
    const libxl_version_info *v = libxl_get_version_info(x->ctx);

    memset(out, 0, sizeof *out);
    if (!v) {
        snprintf(err, errlen, "cannot read Xen's version: %s", x->log.last);
        return -1;
    }
    snprintf(out->xen_version, sizeof out->xen_version, "%d.%d%s", v->xen_version_major,
             v->xen_version_minor, v->xen_version_extra ? v->xen_version_extra : "");
    out->uptime_s = BackendXen_uptime();
    return 0;
}

static bool BackendXen_hasHvm(Backend *be)
{
    BackendXen *x = (BackendXen *)be;
    libxl_physinfo info;
    bool hvm;

    libxl_physinfo_init(&info);
    /* If Xen cannot say, PV is the type that runs everywhere. */
    hvm = libxl_get_physinfo(x->ctx, &info) == 0 && info.cap_hvm;
    libxl_physinfo_dispose(&info);
    return hvm;
}

static bool BackendXen_hasHap(Backend *be)
{
    BackendXen *x = (BackendXen *)be;
    libxl_physinfo info;
    bool hap;

    libxl_physinfo_init(&info);
    hap = libxl_get_physinfo(x->ctx, &info) == 0 && info.cap_hap;
    libxl_physinfo_dispose(&info);
    return hap;
}

static int BackendXen_fsFreeMib(Backend *be, const char *path, uint64_t *mib, char *err,
                                size_t errlen)
{
    struct statvfs fs;

    (void)be;
    if (statvfs(path, &fs) < 0) {
        snprintf(err, errlen, "cannot read the free space of %s: %s", path, strerror(errno));
        return -1;
    }
    *mib = (uint64_t)fs.f_bavail * fs.f_frsize / (1024 * 1024);
    return 0;
}

static bool BackendXen_isTcg(Backend *be)
{
    (void)be;
    return Host_isTcg(HOST_CPUINFO);
}

static int BackendXen_randomBytes(Backend *be, void *buf, size_t len, char *err, size_t errlen)
{
    (void)be;
    return Host_randomBytes(buf, len, err, errlen) == STATUS_OK ? 0 : -1;
}

/* The machine's DMI UUID, or a random salt kept in the run folder
 * (Host_salt). */
static int BackendXen_hostSalt(Backend *be, char *buf, size_t len, char *err, size_t errlen)
{
    BackendXen *x = (BackendXen *)be;

    return Host_salt(HOST_DMI_UUID, x->run, buf, len, err, errlen) == STATUS_OK ? 0 : -1;
}

static bool BackendXen_bridgeExists(Backend *be, const char *bridge)
{
    char path[PATH_MAX];

    (void)be;
    snprintf(path, sizeof path, "/sys/class/net/%s/bridge", bridge);
    return access(path, F_OK) == 0;
}

static bool BackendXen_ipv4Address(Backend *be, const char *ifname, char *addr, size_t len,
                                   unsigned *prefix)
{
    (void)be;
    return Host_ipv4Address(ifname, addr, len, prefix);
}

static uint64_t BackendXen_monotonicNs(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* One xenstat domain as a DomainSample: state letters as xl list shows
 * them, memory in KiB, network and block counters summed. */
static void BackendXen_domainSample(xenstat_domain *dom, DomainSample *d)
{
    unsigned long long maxmem = xenstat_domain_max_mem(dom);
    const char *name = xenstat_domain_name(dom);
    unsigned n = xenstat_domain_num_networks(dom);
    unsigned i;

    memset(d, 0, sizeof *d);
    d->id = xenstat_domain_id(dom);
    snprintf(d->name, sizeof d->name, "%s", name ? name : "");
    d->state[0] = xenstat_domain_running(dom) ? 'r' : '-';
    d->state[1] = xenstat_domain_blocked(dom) ? 'b' : '-';
    d->state[2] = xenstat_domain_paused(dom) ? 'p' : '-';
    d->state[3] = xenstat_domain_shutdown(dom) ? 's' : '-';
    d->state[4] = xenstat_domain_crashed(dom) ? 'c' : '-';
    d->state[5] = xenstat_domain_dying(dom) ? 'd' : '-';
    d->vcpus = xenstat_domain_num_vcpus(dom);
    d->cpu_ns = xenstat_domain_cpu_ns(dom);
    d->mem_kib = xenstat_domain_cur_mem(dom) / 1024; /* xenstat counts bytes */
    d->maxmem_kib = maxmem == (unsigned long long)-1 ? STATS_NO_LIMIT : maxmem / 1024;
    for (i = 0; i < n; i++) {
        xenstat_network *net = xenstat_domain_network(dom, i);

        if (!net)
            continue;
        d->net_rx_bytes += xenstat_network_rbytes(net);
        d->net_tx_bytes += xenstat_network_tbytes(net);
    }
    n = xenstat_domain_num_vbds(dom);
    for (i = 0; i < n; i++) {
        xenstat_vbd *vbd = xenstat_domain_vbd(dom, i);

        if (!vbd)
            continue;
        d->vbd_rd_reqs += xenstat_vbd_rd_reqs(vbd);
        d->vbd_wr_reqs += xenstat_vbd_wr_reqs(vbd);
    }
}

/* When domain D started, as xl uptime has it: the wall-clock time libxl
 * noted at its creation; Domain-0's is the host's boot.  0 when unknown.
 * A start time does not change, so one known from the last sample is
 * kept: libxl reads it with two xenstore requests per domain. */
static uint64_t BackendXen_startTime(BackendXen *x, const DomainSample *d, uint64_t now_s)
{
    const DomainSample *last = Sample_find(&x->last, d->id, d->name);
    uint32_t start;

    if (last && last->start_s)
        return last->start_s;
    if (d->id == 0) {
        double up = BackendXen_uptime();

        return up > 0 && up < (double)now_s ? now_s - (uint64_t)up : 0;
    }
    start = libxl_vm_get_start_time(x->ctx, d->id);
    return start == UINT32_MAX ? 0 : start;
}

static int BackendXen_sample(Backend *be, Sample *out, char *err, size_t errlen)
{
    BackendXen *x = (BackendXen *)be;
    xenstat_node *node;
    unsigned count;
    unsigned i;
    int rc = -1;

    memset(out, 0, sizeof *out);
    if (!x->xenstat)
        x->xenstat = xenstat_init();
    if (!x->xenstat) {
        snprintf(err, errlen, "cannot open libxenstat (run xenlive as root in dom0)");
        return -1;
    }
    /* Not XENSTAT_ALL: per-vCPU times (a hypercall per vCPU) and Xen's
     * version are not shown. */
    node = xenstat_get_node(x->xenstat, XENSTAT_NETWORK | XENSTAT_VBD);
    out->wall_ns = BackendXen_monotonicNs();
    out->now_s = (uint64_t)time(NULL);
    if (!node) {
        snprintf(err, errlen, "cannot read Xen's domain statistics");
        return -1;
    }
    out->num_cpus = xenstat_node_num_cpus(node);
    out->tot_mem_kib = xenstat_node_tot_mem(node) / 1024;
    out->free_mem_kib = xenstat_node_free_mem(node) / 1024;
    /* For the header's fits (Images_fit); unread, it counts as none. */
    if (Host_memAvailableMib(HOST_MEMINFO, &out->dom0_available_mib, err, errlen) != STATUS_OK)
        out->dom0_available_mib = 0;
    {
        uint64_t target, max;
        char why[256];

        out->dom0_grow_mib = BackendXen_dom0Memory(be, &target, &max, why, sizeof why) == 0 &&
                                     max > target ? max - target : 0;
    }
    count = xenstat_node_num_domains(node);
    for (i = 0; i < count; i++) {
        xenstat_domain *dom = xenstat_node_domain_by_index(node, i);
        DomainSample d;

        if (!dom)
            continue;
        BackendXen_domainSample(dom, &d);
        d.start_s = BackendXen_startTime(x, &d, out->now_s);
        if (Sample_add(out, &d) < 0) {
            snprintf(err, errlen, "out of memory");
            goto out;
        }
    }
    rc = 0;
out:
    xenstat_free_node(node);
    Sample_free(&x->last);
    if (rc < 0)
        Sample_free(out);
    else
        (void)Sample_copy(&x->last, out); /* when out of memory, none kept */
    return rc;
}

static void BackendXen_sleepNs(Backend *be, uint64_t ns)
{
    struct timespec ts = {.tv_sec = (time_t)(ns / 1000000000u),
                          .tv_nsec = (long)(ns % 1000000000u)};

    (void)be;
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

static bool BackendXen_readKey(void *ctx, uint32_t domid, const char *key, char *buf, size_t len)
{
    char path[128];
    unsigned int got = 0;
    char *v;

    snprintf(path, sizeof path, "/local/domain/%u/%s", domid, key);
    v = xs_read(ctx, XBT_NULL, path, &got);
    if (!v)
        return false;
    snprintf(buf, len, "%.*s", (int)got, v);
    free(v);
    return true;
}

/* One read-only connection per call (a refresh); GuestKeys_readCached
 * reads each guest's data/updated and its other keys only when that
 * changed.  No transaction: the agent writes data/updated last, so the
 * keys read after it are at least that new. */
static int BackendXen_guestKeys(Backend *be, const uint32_t *ids, size_t n, GuestKeys *out,
                                char *err, size_t errlen)
{
    BackendXen *x = (BackendXen *)be;
    struct xs_handle *xs;

    xs = xs_open(XS_OPEN_READONLY);
    if (!xs) {
        snprintf(err, errlen, "cannot reach xenstore: %s", strerror(errno));
        return -1;
    }
    (void)GuestKeys_readCached(&x->keys, ids, n, out, BackendXen_readKey, xs);
    xs_close(xs);
    return 0;
}

static int BackendXen_releaseLease(Backend *be, const char *ip, const char *mac,
                                   const char *clid, char *err, size_t errlen)
{
    char *argv[] = {"dhcp_release", XLCFG_BRIDGE, (char *)ip, (char *)mac,
                    clid[0] ? (char *)clid : NULL, NULL};
    char output[1024];
    char line[256];
    int rc;

    (void)be;
    rc = Command_run(argv, output, sizeof output);
    if (rc == 0)
        return 0;
    if (!Command_summary(output, line, sizeof line))
        snprintf(line, sizeof line, "exit %d", rc);
    snprintf(err, errlen, "dhcp_release %s: %s", ip, line);
    return -1;
}

static void BackendXen_free(Backend *be)
{
    BackendXen *x = (BackendXen *)be;

    if (x->xenstat)
        xenstat_uninit(x->xenstat);
    Sample_free(&x->last);
    GuestKeysCache_free(&x->keys);
    libxl_ctx_free(x->ctx);
    free(x);
}

Backend *BackendXen_new(const Paths *paths, char *err, size_t errlen)
{
    BackendXen *x = calloc(1, sizeof *x);

    if (!x) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    x->backend.free_memory_mib = BackendXen_freeMemory;
    x->backend.dom0_available_mib = BackendXen_dom0Available;
    x->backend.dom0_memory = BackendXen_dom0Memory;
    x->backend.dom0_set_target = BackendXen_dom0SetTarget;
    x->backend.list_domains = BackendXen_listDomains;
    x->backend.create = BackendXen_create;
    x->backend.destroy = BackendXen_destroy;
    x->backend.shutdown = BackendXen_shutdown;
    x->backend.pause = BackendXen_pause;
    x->backend.mem_set = BackendXen_memSet;
    x->backend.save = BackendXen_save;
    x->backend.restore = BackendXen_restore;
    x->backend.console = BackendXen_console;
    x->backend.remote = BackendXen_remote;
    x->backend.send = BackendXen_send;
    x->backend.now_s = BackendXen_nowS;
    x->backend.host_info = BackendXen_hostInfo;
    x->backend.has_hvm = BackendXen_hasHvm;
    x->backend.has_hap = BackendXen_hasHap;
    x->backend.fs_free_mib = BackendXen_fsFreeMib;
    x->backend.is_tcg = BackendXen_isTcg;
    x->backend.random_bytes = BackendXen_randomBytes;
    x->backend.host_salt = BackendXen_hostSalt;
    x->backend.bridge_exists = BackendXen_bridgeExists;
    x->backend.ipv4_address = BackendXen_ipv4Address;
    x->backend.sample = BackendXen_sample;
    x->backend.guest_keys = BackendXen_guestKeys;
    x->backend.release_lease = BackendXen_releaseLease;
    x->backend.sleep_ns = BackendXen_sleepNs;
    x->backend.free = BackendXen_free;
    x->log.vtable.vmessage = XenLog_vmessage;
    x->log.vtable.destroy = XenLog_destroy;
    snprintf(x->log.last, sizeof x->log.last, "no reason given");
    snprintf(x->run, sizeof x->run, "%s", paths->run);
    snprintf(x->identity, sizeof x->identity, "%s", paths->identity);
    if (libxl_ctx_alloc(&x->ctx, LIBXL_VERSION, 0, &x->log.vtable) != 0) {
        snprintf(err, errlen, "cannot talk to Xen (run xenlive as root in dom0): %s",
                 x->log.last);
        free(x);
        return NULL;
    }
    return &x->backend;
}
