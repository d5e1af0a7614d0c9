/* launch.c: start guests from catalog images. */
#include "launch.h"

#include "crashes.h"

#include "guests.h"
#include "names.h"
#include "util.h"
#include "xlcfg.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Xen's HVM_MAX_VCPUS, the most a PVH guest can have; kept for PV too. */
#define LAUNCH_VCPUS_MAX 128u

static Status LaunchRequest_number(const char *opt, const char *what, const char *value,
                                   unsigned min, unsigned *out, char *err, size_t errlen)
{
    if (!Util_parseUnsigned(value, out) || *out < min) {
        snprintf(err, errlen, "%s: %s must be a whole number of at least %u, not '%s'", opt,
                 what, min, value);
        return STATUS_USAGE;
    }
    return STATUS_OK;
}

Status LaunchRequest_parse(LaunchRequest *req, int argc, char **argv, char *err,
                           size_t errlen)
{
    static const struct option options[] = {
        {"vcpus", required_argument, NULL, 'c'},
        {"type", required_argument, NULL, 't'},
        {NULL, 0, NULL, 0},
    };
    Status st = STATUS_OK;
    int opt;

    memset(req, 0, sizeof *req);
    req->count = 1;
    req->type = GUEST_AUTO;
    optind = 0; /* glibc: start afresh, so a caller may parse twice */
    opterr = 0;
    while (st == STATUS_OK && (opt = getopt_long(argc, argv, ":n:m:", options, NULL)) != -1) {
        switch (opt) {
        case 'n':
            st = LaunchRequest_number("-n", "COUNT", optarg, 1, &req->count, err, errlen);
            break;
        case 'm':
            /* Launch_plan explains a value below the image's MIN_MEMORY_MIB. */
            st = LaunchRequest_number("-m", "MIB", optarg, 1, &req->memory_mib, err, errlen);
            break;
        case 'c':
            st = LaunchRequest_number("--vcpus", "N", optarg, 1, &req->vcpus, err, errlen);
            if (st == STATUS_OK && req->vcpus > LAUNCH_VCPUS_MAX) {
                snprintf(err, errlen, "--vcpus: N must be at most %u (Xen's limit for a PVH "
                         "guest), not '%s'", LAUNCH_VCPUS_MAX, optarg);
                st = STATUS_USAGE;
            }
            break;
        case 't':
            if (!GuestType_parse(optarg, &req->type)) {
                snprintf(err, errlen, "--type: must be pv or pvh, not '%s'", optarg);
                st = STATUS_USAGE;
            }
            break;
        default: /* ':' or '?' */
            Util_getoptError(opt, argv, err, errlen);
            st = STATUS_USAGE;
        }
    }
    if (st == STATUS_OK && argc - optind != 1) {
        snprintf(err, errlen, "launch needs exactly one IMAGE (see xenlive help launch)");
        st = STATUS_USAGE;
    }
    if (st == STATUS_OK)
        req->image = argv[optind];
    return st;
}

Status Launch_plan(Backend *be, const Paths *paths, const Catalog *catalog,
                   const LaunchRequest *req, LaunchPlan *plan, char *err, size_t errlen)
{
    const Image *img = Catalog_find(catalog, req->image);
    SshKey key;
    int found;

    if (req->count < 1) {
        snprintf(err, errlen, "-n: COUNT must be at least 1");
        return STATUS_USAGE;
    }
    if (!img) {
        snprintf(err, errlen, "unknown image '%s' (xenlive images lists them)", req->image);
        return STATUS_ERROR;
    }
    if (!img->available) {
        snprintf(err, errlen, "image '%s' is unavailable: %s", img->name,
                 img->unavailable_reason[0] ? img->unavailable_reason : "no reason given");
        return STATUS_ERROR;
    }
    if (req->memory_mib && req->memory_mib < img->min_memory_mib) {
        snprintf(err, errlen, "-m %u: image '%s' needs at least %u MiB (its MIN_MEMORY_MIB)",
                 req->memory_mib, img->name, img->min_memory_mib);
        return STATUS_USAGE;
    }
    if (access(paths->kernel, R_OK) < 0 || access(paths->initrd, R_OK) < 0) {
        snprintf(err, errlen, "the guest kernel or initramfs is missing: %s, %s", paths->kernel,
                 paths->initrd);
        return STATUS_ERROR;
    }
    plan->authkey[0] = '\0';
    found = SshKey_load(paths->dom0_key, &key, err, errlen);
    if (found < 0)
        return STATUS_ERROR;
    if (found > 0)
        SshKey_cmdline(&key, plan->authkey, sizeof plan->authkey);
    plan->image = *img;
    plan->count = req->count;
    plan->memory_mib = req->memory_mib ? req->memory_mib : img->memory_mib;
    plan->vcpus = req->vcpus ? req->vcpus : img->vcpus;
    plan->type = req->type != GUEST_AUTO ? req->type
                                         : GuestType_choose(be->has_hvm(be), be->is_tcg(be));
    return STATUS_OK;
}

/* Write NAME's config to PATH, a file that must not exist yet. */
static int Launch_writeCfg(Backend *be, const Paths *paths, const LaunchPlan *plan,
                           const char *name, const char *path, char *err, size_t errlen)
{
    XlCfg cfg = {0};
    char rootfs[PATH_MAX];
    char salt[256];
    uint8_t id[16];
    FILE *f = NULL;
    int fd;
    int rc = -1;

    cfg.name = name;
    cfg.image = plan->image.name;
    cfg.type = plan->type;
    cfg.kernel = paths->kernel;
    cfg.initrd = paths->initrd;
    cfg.cmdline = plan->image.cmdline;
    cfg.rootfs = rootfs;
    cfg.memory_mib = plan->memory_mib;
    cfg.vcpus = plan->vcpus;
    cfg.authkey = plan->authkey[0] ? plan->authkey : NULL;
    if (Paths_rootfs(paths, plan->image.name, rootfs, sizeof rootfs) < 0) {
        snprintf(err, errlen, "path too long: %s", paths->images);
        return -1;
    }
    if (be->random_bytes(be, id, sizeof id, err, errlen) < 0)
        return -1;
    XlCfg_machineId(id, cfg.machine_id);
    cfg.vif = be->bridge_exists(be, XLCFG_BRIDGE);
    if (cfg.vif) {
        if (be->host_salt(be, salt, sizeof salt, err, errlen) < 0)
            return -1;
        XlCfg_mac(name, salt, cfg.mac);
    }
    /* The domains folder exists: Launch_one made it with Guests_lock.
     * O_EXCL: a second xenlive choosing the same name at the same time
     * fails here instead of overwriting this one's config. */
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        snprintf(err, errlen, "cannot create %s: %s", path, strerror(errno));
        return -1;
    }
    f = fdopen(fd, "w");
    if (!f) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        close(fd);
        goto out;
    }
    if (XlCfg_write(&cfg, f, err, errlen) < 0)
        goto out;
    rc = 0;
out:
    if (f && fclose(f) != 0 && rc == 0) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        rc = -1;
    }
    if (rc < 0)
        unlink(path);
    return rc;
}

/* After a failed xl create: destroy what xl may have left of NAME. */
static void Launch_undo(Backend *be, const char *name, char *err, size_t errlen)
{
    DomainList domains = {0};
    char why[256];

    if (be->list_domains(be, &domains, why, sizeof why) < 0 ||
        (DomainList_find(&domains, name) &&
         Guests_destroyDomain(be, name, why, sizeof why) < 0)) {
        size_t used = strlen(err);

        snprintf(err + used, errlen - used, "; cleaning up %s failed too: %s", name, why);
    }
    DomainList_free(&domains);
}

/* The next free name for a guest of IMAGE: IMAGE-N with Names_next,
 * against the domains running now. */
static Status Launch_pickName(Backend *be, const Paths *paths, const char *image, char *name,
                              size_t len, char *err, size_t errlen)
{
    DomainList domains = {0};
    Status st = STATUS_ERROR;

    if (be->list_domains(be, &domains, err, errlen) < 0)
        goto out;
    if (Names_next(image, &domains, paths, name, len) < 0) {
        snprintf(err, errlen, "path too long: %s", paths->domains);
        goto out;
    }
    st = STATUS_OK;
out:
    DomainList_free(&domains);
    return st;
}

Status Launch_nextName(Backend *be, const Paths *paths, const char *image, char *name,
                       size_t len, char *err, size_t errlen)
{
    char why[256];

    /* As Launch_one: a failed reap only makes the number higher. */
    (void)Guests_reap(be, paths, true, why, sizeof why);
    return Launch_pickName(be, paths, image, name, len, err, errlen);
}

/* Reads Xen's free memory into res->free_mib; STATUS_NO_MEMORY with one
 * line when res->need_mib does not fit in it. */
static Status Launch_checkFree(Backend *be, LaunchResult *res, char *err, size_t errlen)
{
    if (be->free_memory_mib(be, &res->free_mib, err, errlen) < 0)
        return STATUS_ERROR;
    if (res->need_mib > res->free_mib) {
        snprintf(err, errlen, "not enough memory for %s: needs %" PRIu64 " MiB, %" PRIu64
                 " MiB free", res->name, res->need_mib, res->free_mib);
        return STATUS_NO_MEMORY;
    }
    return STATUS_OK;
}

/* Waits up to DOM0_GROW_WAIT_S seconds for dom0's MemAvailable to reach
 * WANT_MIB; leaves the last reading in *AVAIL. */
static Status Launch_waitDom0(Backend *be, uint64_t want_mib, uint64_t *avail, char *err,
                              size_t errlen)
{
    unsigned i;

    for (i = 0; i <= DOM0_GROW_WAIT_S * 10; i++) {
        if (be->dom0_available_mib(be, avail, err, errlen) < 0)
            return STATUS_ERROR;
        if (*avail >= want_mib)
            break;
        be->sleep_ns(be, 100000000ull);
    }
    return STATUS_OK;
}

/* Room in dom0 for one more guest: DOM0_PER_GUEST_MIB above
 * DOM0_RESERVE_MIB of its MemAvailable.  When short, grows dom0 from
 * Xen's free memory (res->free_mib, updated) up to its max, and waits for
 * its balloon driver.  STATUS_NO_MEMORY with res->dom0_short when dom0 is
 * at its max or did not grow, without res->dom0_short when Xen's free
 * memory cannot hold both the guest and dom0's growth. */
static Status Launch_dom0Room(Backend *be, LaunchResult *res, char *err, size_t errlen)
{
    const uint64_t want = DOM0_RESERVE_MIB + DOM0_PER_GUEST_MIB;
    uint64_t avail, target, max, grow, need;

    if (be->dom0_available_mib(be, &avail, err, errlen) < 0)
        return STATUS_ERROR;
    if (avail >= want)
        return STATUS_OK;
    if (be->dom0_memory(be, &target, &max, err, errlen) < 0)
        return STATUS_ERROR;
    need = want - avail;
    if (target >= max || max - target < need) {
        snprintf(err, errlen, "dom0 is short of memory for %s: %" PRIu64 " MiB available, "
                 "a guest takes %u and dom0 keeps %u, and dom0 is at its most, %" PRIu64
                 " MiB (dom0_mem's max: on Xen's command line)", res->name, avail,
                 DOM0_PER_GUEST_MIB, DOM0_RESERVE_MIB, max);
        res->dom0_short = true;
        return STATUS_NO_MEMORY;
    }
    if (res->free_mib < res->need_mib + need) {
        snprintf(err, errlen, "not enough memory for %s: needs %" PRIu64 " MiB and dom0 %" PRIu64
                 " more for it, %" PRIu64 " MiB free", res->name, res->need_mib, need,
                 res->free_mib);
        res->need_mib += need;
        return STATUS_NO_MEMORY;
    }
    grow = need + DOM0_GROW_MIB;
    if (grow > max - target)
        grow = max - target;
    if (grow > res->free_mib - res->need_mib)
        grow = res->free_mib - res->need_mib;
    if (be->dom0_set_target(be, target + grow, err, errlen) < 0)
        return STATUS_ERROR;
    res->dom0_grown_mib = grow;
    if (Launch_waitDom0(be, want, &avail, err, errlen) != STATUS_OK)
        return STATUS_ERROR;
    if (avail < want) {
        snprintf(err, errlen, "dom0 is short of memory for %s: its target was raised to %" PRIu64
                 " MiB, but after %u s it has %" PRIu64 " MiB available, a guest takes %u and "
                 "dom0 keeps %u", res->name, target + grow, DOM0_GROW_WAIT_S, avail,
                 DOM0_PER_GUEST_MIB, DOM0_RESERVE_MIB);
        res->dom0_short = true;
        return STATUS_NO_MEMORY;
    }
    /* Xen's free memory paid for dom0's growth. */
    return Launch_checkFree(be, res, err, errlen);
}

Status Launch_one(Backend *be, const Paths *paths, const LaunchPlan *plan, LaunchResult *res,
                  char *err, size_t errlen)
{
    char cfg[PATH_MAX];
    char log[PATH_MAX];
    char why[512];
    int lock = -1;
    Status st = STATUS_ERROR;

    memset(res, 0, sizeof *res);
    res->type = plan->type;
    res->memory_mib = plan->memory_mib;
    res->vcpus = plan->vcpus;
    res->need_mib = (uint64_t)plan->memory_mib + GUEST_OVERHEAD_MIB;
    /* Free the names of domains that went without xenlive's help.  A
     * config that cannot be removed only makes the number higher, so
     * that is no reason to refuse the launch. */
    (void)Guests_reap(be, paths, true, why, sizeof why);
    /* From the name to the end of xl create: no other launch picks the
     * same name, and no reap takes the config before its domain exists. */
    lock = Guests_lock(paths, err, errlen);
    if (lock < 0)
        goto out;
    if (Launch_pickName(be, paths, plan->image.name, res->name, sizeof res->name, err,
                        errlen) != STATUS_OK)
        goto out;
    if (Paths_cfg(paths, res->name, cfg, sizeof cfg) < 0) {
        snprintf(err, errlen, "path too long: %s", paths->domains);
        goto out;
    }
    st = Launch_checkFree(be, res, err, errlen);
    if (st != STATUS_OK)
        goto out;
    st = Launch_dom0Room(be, res, err, errlen);
    if (st != STATUS_OK)
        goto out;
    st = STATUS_ERROR;
    /* A new guest's console log starts empty: an older guest of the same
     * name left its log, whose up marker and host key are not this one's. */
    if (Paths_consoleLog(paths, res->name, log, sizeof log) == 0 && unlink(log) < 0 &&
        errno != ENOENT) {
        snprintf(err, errlen, "cannot remove the old console log %s: %s", log, strerror(errno));
        goto out;
    }
    /* A crashed guest's row (crashes.h) lasts until its name runs again. */
    (void)Crashes_clear(paths, res->name);
    if (Launch_writeCfg(be, paths, plan, res->name, cfg, err, errlen) < 0)
        goto out;
    if (be->create(be, cfg, why, sizeof why) < 0) {
        snprintf(err, errlen, "%s: %s", res->name, why);
        Launch_undo(be, res->name, err, errlen);
        unlink(cfg);
        goto out;
    }
    st = STATUS_OK;
out:
    if (lock >= 0)
        close(lock); /* and the lock with it */
    return st;
}

Status Launch_many(Backend *be, const Paths *paths, const LaunchPlan *plan,
                   LaunchCallback on_launched, void *data, char *err, size_t errlen)
{
    LaunchResult res;
    char why[512];
    unsigned i;

    for (i = 0; i < plan->count; i++) {
        Status st = Launch_one(be, paths, plan, &res, why, sizeof why);

        if (st != STATUS_OK) {
            if (i == 0)
                snprintf(err, errlen, "%s", why);
            else if (st == STATUS_NO_MEMORY && !res.dom0_short)
                snprintf(err, errlen, "launched %u of %u %s guests; stopped: %s needs %" PRIu64
                         " MiB, %" PRIu64 " MiB free", i, plan->count, plan->image.name,
                         res.name, res.need_mib, res.free_mib);
            else
                snprintf(err, errlen, "launched %u of %u %s guests; stopped: %s", i,
                         plan->count, plan->image.name, why);
            return st;
        }
        on_launched(&res, data);
    }
    return STATUS_OK;
}

void Launch_describe(const LaunchResult *res, char *buf, size_t len)
{
    snprintf(buf, len, "%s (%s, %u MiB, %u vCPU%s)", res->name, GuestType_name(res->type),
             res->memory_mib, res->vcpus, res->vcpus == 1 ? "" : "s");
}
