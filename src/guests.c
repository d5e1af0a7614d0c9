/* guests.c: the running domains as xenlive shows them, and what the
 * command line and the TUI do to one: destroy, stop, save, pause,
 * memory, console; and reaping the configs of domains that are gone. */
#include "guests.h"

#include "crashes.h"
#include "guesttype.h"
#include "json.h"
#include "migrate.h"
#include "natlease.h"
#include "names.h"
#include "saves.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

const Image *Guests_image(const char *name, const Catalog *c)
{
    char image[IMAGE_NAME_MAX + 1];

    return Names_split(name, image, sizeof image) ? Catalog_find(c, image) : NULL;
}

const char *Guests_type(const Paths *paths, const char *name)
{
    char path[PATH_MAX];
    char line[1024];
    char value[8];
    GuestType type;
    const char *found = NULL;
    FILE *cfg;

    if (Paths_cfg(paths, name, path, sizeof path) < 0)
        return NULL;
    cfg = fopen(path, "r");
    if (!cfg)
        return NULL;
    while (!found && fgets(line, sizeof line, cfg)) {
        if (sscanf(line, " type = \"%7[a-z]\"", value) == 1 && GuestType_parse(value, &type))
            found = GuestType_name(type);
    }
    fclose(cfg);
    return found;
}

/* The records of crashed guests whose name no domain has now: CRASHES
 * keeps them, the others are dropped (a name launched again without
 * clearing its record). */
static void Guests_crashes(const DomainList *l, const Paths *paths, CrashList *crashes)
{
    size_t i;
    size_t n = 0;

    Crashes_list(paths, crashes);
    for (i = 0; i < crashes->count; i++) {
        if (!DomainList_find(l, crashes->items[i].name))
            crashes->items[n++] = crashes->items[i];
    }
    crashes->count = n;
}

void Guests_writeTable(FILE *f, const DomainList *l, const Catalog *c, const Paths *paths)
{
    static CrashList crashes;
    int name_width = (int)strlen("NAME");
    int image_width = (int)strlen("IMAGE");
    size_t i;

    Guests_crashes(l, paths, &crashes);
    for (i = 0; i < crashes.count; i++) {
        const Image *img = Guests_image(crashes.items[i].name, c);

        if ((int)strlen(crashes.items[i].name) > name_width)
            name_width = (int)strlen(crashes.items[i].name);
        if (img && (int)strlen(img->name) > image_width)
            image_width = (int)strlen(img->name);
    }
    for (i = 0; i < l->count; i++) {
        const Image *img = Guests_image(l->items[i].name, c);

        if ((int)strlen(l->items[i].name) > name_width)
            name_width = (int)strlen(l->items[i].name);
        if (img && (int)strlen(img->name) > image_width)
            image_width = (int)strlen(img->name);
    }
    fprintf(f, "%5s  %-*s  %-*s  %-4s  %10s  %5s  %s\n", "ID", name_width, "NAME", image_width,
            "IMAGE", "TYPE", "MEMORY", "VCPUS", "STATE");
    for (i = 0; i < l->count; i++) {
        const Domain *d = &l->items[i];
        const Image *img = Guests_image(d->name, c);
        const char *type = Guests_type(paths, d->name);

        fprintf(f, "%5" PRIu32 "  %-*s  %-*s  %-4s  %6" PRIu64 " MiB  %5u  %s\n", d->id,
                name_width, d->name, image_width, img ? img->name : "-", type ? type : "-",
                d->memory_mib, d->vcpus, d->state);
    }
    /* Crashed guests: no domain, no memory; the state says what happened. */
    for (i = 0; i < crashes.count; i++) {
        const Image *img = Guests_image(crashes.items[i].name, c);

        fprintf(f, "%5s  %-*s  %-*s  %-4s  %6d MiB  %5d  %s\n", "-", name_width,
                crashes.items[i].name, image_width, img ? img->name : "-", "-", 0, 0,
                crashes.items[i].what);
    }
}

void Guests_writeJson(FILE *f, const DomainList *l, const Catalog *c, const Paths *paths,
                      const GuestInfo *guests)
{
    static CrashList crashes;
    size_t i;

    fputc('[', f);
    for (i = 0; i < l->count; i++) {
        const Domain *d = &l->items[i];
        const Image *img = Guests_image(d->name, c);
        const char *type = Guests_type(paths, d->name);

        fprintf(f, "%s\n  {\"id\": %" PRIu32 ", \"name\": ", i ? "," : "", d->id);
        Json_writeString(f, d->name);
        fputs(", \"image\": ", f);
        Json_writeStringOrNull(f, img ? img->name : NULL);
        fputs(", \"type\": ", f);
        Json_writeStringOrNull(f, type);
        fprintf(f, ", \"memory_mib\": %" PRIu64 ", \"vcpus\": %u, \"state\": ", d->memory_mib,
                d->vcpus);
        Json_writeString(f, d->state);
        if (guests)
            GuestInfo_writeJson(f, &guests[i], d->memory_mib * 1024);
        fputc('}', f);
    }
    Guests_crashes(l, paths, &crashes);
    for (i = 0; i < crashes.count; i++) {
        const Image *img = Guests_image(crashes.items[i].name, c);

        fprintf(f, "%s\n  {\"id\": null, \"name\": ", l->count || i ? "," : "");
        Json_writeString(f, crashes.items[i].name);
        fputs(", \"image\": ", f);
        Json_writeStringOrNull(f, img ? img->name : NULL);
        fputs(", \"type\": null, \"memory_mib\": 0, \"vcpus\": 0, \"state\": ", f);
        Json_writeString(f, crashes.items[i].what);
        fprintf(f, ", \"crashed_at\": %" PRId64 "}", crashes.items[i].when_s);
    }
    fputs(l->count || crashes.count ? "\n]\n" : "]\n", f);
}

int Guests_destroyDomain(Backend *be, const char *name, char *err, size_t errlen)
{
    DomainList domains = {0};
    char why[256];
    int rc = -1;

    if (be->destroy(be, name, err, errlen) == 0)
        return 0;
    if (be->list_domains(be, &domains, why, sizeof why) == 0 &&
        !DomainList_find(&domains, name))
        rc = 0;
    DomainList_free(&domains);
    return rc;
}

Status Guests_destroy(Backend *be, const Paths *paths, const char *name, char *err,
                      size_t errlen)
{
    DomainList domains = {0};
    const Domain *d;
    char cfg[PATH_MAX];
    bool has_cfg = Paths_cfg(paths, name, cfg, sizeof cfg) == 0;
    Status st = STATUS_ERROR;
    int lock;

    /* Under the launch lock: a launch of NAME under way (its config
     * written, xl create still building the domain) is waited for, so its
     * config is never taken as a leftover and the domain is destroyed
     * whole; and the config is removed before another launch can pick the
     * name again. */
    lock = Guests_lock(paths, err, errlen);
    if (lock < 0)
        return STATUS_ERROR;
    if (be->list_domains(be, &domains, err, errlen) < 0)
        goto out;
    d = DomainList_find(&domains, name);
    if (!d) {
        /* A crashed guest's record: destroy is how to clear its row. */
        if (Crashes_clear(paths, name)) {
            if (has_cfg)
                (void)unlink(cfg);
            st = STATUS_OK;
            goto out;
        }
        /* A config without its domain is what a crash mid-launch leaves;
         * destroy is how to clear it, so the name can be used again. */
        if (has_cfg && unlink(cfg) == 0)
            snprintf(err, errlen, "no domain named %s (removed its leftover %s)", name, cfg);
        else
            snprintf(err, errlen, "no domain named %s", name);
        goto out;
    }
    if (d->id == 0) {
        snprintf(err, errlen, "%s is dom0, which cannot be destroyed", name);
        goto out;
    }
    if (Guests_destroyDomain(be, name, err, errlen) < 0)
        goto out;
    (void)Crashes_clear(paths, name);
    NatLease_release(be, paths, name);
    if (has_cfg && unlink(cfg) < 0 && errno != ENOENT) {
        snprintf(err, errlen, "destroyed %s, but cannot remove %s: %s", name, cfg,
                 strerror(errno));
        goto out;
    }
    st = STATUS_OK;
out:
    DomainList_free(&domains);
    close(lock);
    return st;
}

const Domain *Guests_guest(Backend *be, const char *name, const char *why, DomainList *domains,
                           bool *unknown, char *err, size_t errlen)
{
    const Domain *d;

    *unknown = false;
    if (be->list_domains(be, domains, err, errlen) < 0)
        return NULL;
    d = DomainList_find(domains, name);
    if (!d) {
        *unknown = true;
        snprintf(err, errlen, "no domain named %s", name);
        return NULL;
    }
    if (d->id == 0) {
        snprintf(err, errlen, "%s is dom0, which %s", name, why);
        return NULL;
    }
    return d;
}

/* Remove NAME's config, if it has one, now that its domain is gone. */
static Status Guests_forget(const Paths *paths, const char *name, const char *done, char *err,
                            size_t errlen)
{
    char cfg[PATH_MAX];

    if (Paths_cfg(paths, name, cfg, sizeof cfg) < 0 || unlink(cfg) == 0 || errno == ENOENT)
        return STATUS_OK;
    snprintf(err, errlen, "%s %s, but cannot remove %s: %s", done, name, cfg, strerror(errno));
    return STATUS_ERROR;
}

/* How often Guests_stop looks for the stopped domain to be gone, 0.5 s
 * apart: up to a minute, since the teardown runs the block and vif hotplug
 * scripts, which take many seconds on a busy or emulated machine. */
#define STOP_GONE_TRIES 120
/* After that many looks (20 s) a domain still shut down has no monitor.
 * A live monitor can take that long to tear it down on a loaded host; a
 * destroy racing it is harmless (Guests_destroyDomain). */
#define STOP_MONITOR_TRIES 40

Status Guests_stop(Backend *be, const Paths *paths, const char *name, bool wait, char *err,
                   size_t errlen)
{
    DomainList domains = {0};
    const Domain *d;
    bool unknown;
    Status st = STATUS_ERROR;
    int lock = -1;

    /* Waiting, under the launch lock (as destroy): the config is removed
     * before another launch can pick the name again. */
    if (wait) {
        lock = Guests_lock(paths, err, errlen);
        if (lock < 0)
            return STATUS_ERROR;
    }
    if (!Guests_guest(be, name, "cannot be stopped", &domains, &unknown, err, errlen))
        goto out;
    /* xl shutdown -w also reports the hotplug scripts' errors of the
     * teardown it waited for (see Guests_destroyDomain): what counts is
     * whether the domain then goes, which the loop below looks at. */
    if (be->shutdown(be, name, wait, err, errlen) < 0) {
        char why[256];

        DomainList_free(&domains);
        if (!wait || be->list_domains(be, &domains, why, sizeof why) < 0 ||
            ((d = DomainList_find(&domains, name)) && d->state[3] != 's'))
            goto out;
    }
    if (!wait) {
        st = STATUS_OK; /* still going down: Guests_reap takes its config */
        goto out;
    }
    /* Only a domain that is really gone gives its name back: one that
     * rebooted instead (on_poweroff) still needs its config.  xl shutdown
     * -w returns once the guest has shut down; xl's monitor then destroys
     * the domain a moment later, so look again for a while.  A domain
     * that stays shut down (state s) has lost its monitor (killed): it is
     * destroyed here instead. */
    for (int tries = 0; tries < STOP_GONE_TRIES; tries++) {
        DomainList_free(&domains);
        if (be->list_domains(be, &domains, err, errlen) < 0)
            goto out;
        d = DomainList_find(&domains, name);
        if (!d)
            break;
        if (tries >= STOP_MONITOR_TRIES && d->state[3] == 's') {
            if (Guests_destroyDomain(be, name, err, errlen) < 0)
                goto out;
            continue;
        }
        be->sleep_ns(be, 500000000ull);
    }
    if (DomainList_find(&domains, name)) {
        snprintf(err, errlen, "%s is still there after xl shutdown -w; its config is kept", name);
        goto out;
    }
    NatLease_release(be, paths, name);
    st = Guests_forget(paths, name, "stopped", err, errlen);
out:
    DomainList_free(&domains);
    if (lock >= 0)
        close(lock);
    return st;
}

/* Guests_forEach: OP on every domain but Domain-0, one after the other,
 * calling ON_DONE after each; FAILED_FMT words the count ("%u of %u guests
 * did not stop").  Statuses as Guests_stopAll's. */
typedef Status (*GuestsOp)(Backend *be, const Paths *paths, const char *name, char *err,
                           size_t errlen);

static Status Guests_forEach(Backend *be, const Paths *paths, GuestsOp op,
                             const char *failed_fmt, GuestsStopCallback on_done, void *data,
                             char *err, size_t errlen)
{
    DomainList domains = {0};
    char why[1024];
    unsigned guests = 0;
    unsigned failed = 0;
    Status st = STATUS_ERROR;
    size_t i;

    if (be->list_domains(be, &domains, err, errlen) < 0)
        goto out;
    for (i = 0; i < domains.count; i++) {
        const char *name = domains.items[i].name;
        Status one;

        if (domains.items[i].id == 0)
            continue;
        why[0] = '\0';
        one = op(be, paths, name, why, sizeof why);
        guests++;
        if (one != STATUS_OK)
            failed++;
        on_done(name, one, why, data);
    }
    if (failed) {
        snprintf(err, errlen, failed_fmt, failed, guests);
        goto out;
    }
    st = STATUS_OK;
out:
    DomainList_free(&domains);
    return st;
}

/* Guests_stop with WAIT, in Guests_forEach's shape. */
static Status Guests_stopWaiting(Backend *be, const Paths *paths, const char *name, char *err,
                                 size_t errlen)
{
    return Guests_stop(be, paths, name, true, err, errlen);
}

Status Guests_stopAll(Backend *be, const Paths *paths, GuestsStopCallback on_stopped,
                      void *data, char *err, size_t errlen)
{
    return Guests_forEach(be, paths, Guests_stopWaiting, "%u of %u guests did not stop",
                          on_stopped, data, err, errlen);
}

Status Guests_save(Backend *be, const Paths *paths, const char *name, char *err,
                   size_t errlen)
{
    DomainList domains = {0};
    const Domain *d;
    bool unknown;
    Status st = STATUS_ERROR;

    d = Guests_guest(be, name, "cannot be saved", &domains, &unknown, err, errlen);
    if (!d) {
        if (unknown && Saves_exists(paths, name))
            snprintf(err, errlen, "no domain named %s (it is saved: xenlive restore %s)", name,
                     name);
        goto out;
    }
    if (Saves_save(be, paths, name, (unsigned)d->memory_mib, err, errlen) != STATUS_OK)
        goto out;
    st = Guests_forget(paths, name, "saved", err, errlen);
out:
    DomainList_free(&domains);
    return st;
}

Status Guests_saveAll(Backend *be, const Paths *paths, GuestsStopCallback on_saved, void *data,
                      char *err, size_t errlen)
{
    return Guests_forEach(be, paths, Guests_save, "%u of %u guests were not saved", on_saved,
                          data, err, errlen);
}

Status Guests_pause(Backend *be, const char *name, bool pause, char *err, size_t errlen)
{
    DomainList domains = {0};
    bool unknown;
    Status st = STATUS_ERROR;

    if (!Guests_guest(be, name, pause ? "cannot be paused" : "cannot be unpaused", &domains,
                      &unknown, err, errlen))
        goto out;
    if (be->pause(be, name, pause, err, errlen) < 0)
        goto out;
    st = STATUS_OK;
out:
    DomainList_free(&domains);
    return st;
}

Status Guests_memSet(Backend *be, const char *name, unsigned mib, char *err, size_t errlen)
{
    DomainList domains = {0};
    bool unknown;
    Status st = STATUS_ERROR;

    if (!Guests_guest(be, name, "xenlive does not resize", &domains, &unknown, err, errlen))
        goto out;
    if (be->mem_set(be, name, mib, err, errlen) < 0)
        goto out;
    st = STATUS_OK;
out:
    DomainList_free(&domains);
    return st;
}

Status Guests_console(Backend *be, const char *name, char *err, size_t errlen)
{
    DomainList domains = {0};
    bool unknown;
    Status st = STATUS_ERROR;

    if (!Guests_guest(be, name, "has no guest console", &domains, &unknown, err, errlen))
        goto out;
    if (be->console(be, name, err, errlen) < 0)
        goto out;
    st = STATUS_OK;
out:
    DomainList_free(&domains);
    return st;
}

int Guests_lock(const Paths *paths, char *err, size_t errlen)
{
    int fd;

    if (Util_mkdirs(paths->domains, err, errlen) < 0)
        return -1;
    fd = open(paths->domains, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 || flock(fd, LOCK_EX) < 0) {
        snprintf(err, errlen, "cannot lock %s: %s", paths->domains, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

/* NAME of a config file NAME.cfg into NAME (of LEN bytes); false for
 * any other file. */
static bool Guests_cfgName(const char *file, char *name, size_t len)
{
    size_t n = strlen(file);
    size_t s = strlen(".cfg");

    if (file[0] == '.' || n <= s || strcmp(file + n - s, ".cfg") != 0 || n - s >= len)
        return false;
    snprintf(name, len, "%.*s", (int)(n - s), file);
    return true;
}

/* NAME's domain is gone: when xl's log says it crashed (or its watchdog
 * fired), record it for list and the TUI.  A record that cannot be
 * written (a full /run) is left out: the name is freed all the same. */
static void Guests_noteCrash(const Paths *paths, const char *name)
{
    int reason = Crashes_lastReason(paths, name);

    if (reason == CRASHES_REASON_CRASH || reason == CRASHES_REASON_WATCHDOG) {
        char err[256];

        (void)Crashes_record(paths, name,
                             reason == CRASHES_REASON_CRASH ? "crashed" : "watchdog",
                             (int64_t)time(NULL), err, sizeof err);
    }
}

Status Guests_reap(Backend *be, const Paths *paths, bool wait, char *err, size_t errlen)
{
    DomainList domains = {0};
    char name[STATS_NAME_MAX + 1];
    const struct dirent *e;
    Status st = STATUS_ERROR;
    DIR *dir = opendir(paths->domains);

    if (!dir) {
        if (errno == ENOENT)
            return STATUS_OK;
        snprintf(err, errlen, "cannot read %s: %s", paths->domains, strerror(errno));
        return STATUS_ERROR;
    }
    /* The same lock as Guests_lock's (flock on the folder); released by
     * closedir. */
    if (flock(dirfd(dir), wait ? LOCK_EX : LOCK_EX | LOCK_NB) < 0) {
        if (errno == EWOULDBLOCK) {
            st = STATUS_OK; /* a launch is under way: reap next time */
            goto out;
        }
        snprintf(err, errlen, "cannot lock %s: %s", paths->domains, strerror(errno));
        goto out;
    }
    /* Listed under the lock: every config written by a launch that has
     * finished has its domain in the list, or is gone.  (A guest that
     * reboots is no domain for the moment between xl's destroy and
     * create of it; a reap just then takes its config, and list shows
     * its TYPE as -.  The domain keeps its name.) */
    if (be->list_domains(be, &domains, err, errlen) < 0)
        goto out;
    st = STATUS_OK;
    while ((e = readdir(dir))) {
        if (!Guests_cfgName(e->d_name, name, sizeof name) ||
            DomainList_find(&domains, name) || Saves_exists(paths, name) ||
            Migrate_incoming(paths, name))
            continue;
        Guests_noteCrash(paths, name);
        NatLease_release(be, paths, name);
        if (unlinkat(dirfd(dir), e->d_name, 0) < 0 && errno != ENOENT) {
            snprintf(err, errlen, "cannot remove %s/%s: %s", paths->domains, e->d_name,
                     strerror(errno));
            st = STATUS_ERROR;
        }
    }
out:
    DomainList_free(&domains);
    closedir(dir);
    return st;
}
