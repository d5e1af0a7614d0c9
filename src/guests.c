/* guests.c: the running domains as xenlive shows them, and what the
 * command line does to one: destroy, stop, save, console. */
#include "guests.h"

#include "guesttype.h"
#include "json.h"
#include "names.h"
#include "saves.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>
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

void Guests_writeTable(FILE *f, const DomainList *l, const Catalog *c, const Paths *paths)
{
    int name_width = (int)strlen("NAME");
    int image_width = (int)strlen("IMAGE");
    size_t i;

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
}

void Guests_writeJson(FILE *f, const DomainList *l, const Catalog *c, const Paths *paths)
{
    size_t i;

    fputc('[', f);
    for (i = 0; i < l->count; i++) {
        const Domain *d = &l->items[i];
        const Image *img = Guests_image(d->name, c);
        const char *type = Guests_type(paths, d->name);

        fprintf(f, "%s\n  {\"id\": %" PRIu32 ", \"name\": ", i ? "," : "", d->id);
        Json_writeString(f, d->name);
        fputs(", \"image\": ", f);
        if (img)
            Json_writeString(f, img->name);
        else
            fputs("null", f);
        fputs(", \"type\": ", f);
        if (type)
            Json_writeString(f, type);
        else
            fputs("null", f);
        fprintf(f, ", \"memory_mib\": %" PRIu64 ", \"vcpus\": %u, \"state\": ", d->memory_mib,
                d->vcpus);
        Json_writeString(f, d->state);
        fputc('}', f);
    }
    fputs(l->count ? "\n]\n" : "]\n", f);
}

Status Guests_destroy(Backend *be, const Paths *paths, const char *name, char *err,
                      size_t errlen)
{
    DomainList domains = {0};
    const Domain *d;
    char cfg[PATH_MAX];
    bool has_cfg = Paths_cfg(paths, name, cfg, sizeof cfg) == 0;
    Status st = STATUS_ERROR;

    if (be->list_domains(be, &domains, err, errlen) < 0)
        goto out;
    d = DomainList_find(&domains, name);
    if (!d) {
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
    if (be->destroy(be, name, err, errlen) < 0)
        goto out;
    if (has_cfg && unlink(cfg) < 0 && errno != ENOENT) {
        snprintf(err, errlen, "destroyed %s, but cannot remove %s: %s", name, cfg,
                 strerror(errno));
        goto out;
    }
    st = STATUS_OK;
out:
    DomainList_free(&domains);
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

Status Guests_stop(Backend *be, const Paths *paths, const char *name, char *err,
                   size_t errlen)
{
    DomainList domains = {0};
    bool unknown;
    Status st = STATUS_ERROR;

    if (!Guests_guest(be, name, "cannot be stopped", &domains, &unknown, err, errlen))
        goto out;
    if (be->shutdown(be, name, true, err, errlen) < 0)
        goto out;
    /* Only a domain that is really gone gives its name back: one that
     * rebooted instead (on_poweroff) still needs its config.  xl shutdown
     * -w returns once the guest has shut down; xl's monitor then destroys
     * the domain a moment later, so look again for a while. */
    for (int tries = 0; tries < STOP_GONE_TRIES; tries++) {
        DomainList_free(&domains);
        if (be->list_domains(be, &domains, err, errlen) < 0)
            goto out;
        if (!DomainList_find(&domains, name))
            break;
        be->sleep_ns(be, 500000000ull);
    }
    if (DomainList_find(&domains, name)) {
        snprintf(err, errlen, "%s is still there after xl shutdown -w; its config is kept", name);
        goto out;
    }
    st = Guests_forget(paths, name, "stopped", err, errlen);
out:
    DomainList_free(&domains);
    return st;
}

Status Guests_stopAll(Backend *be, const Paths *paths, GuestsStopCallback on_stopped,
                      void *data, char *err, size_t errlen)
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
        one = Guests_stop(be, paths, name, why, sizeof why);
        guests++;
        if (one != STATUS_OK)
            failed++;
        on_stopped(name, one, why, data);
    }
    if (failed) {
        snprintf(err, errlen, "%u of %u guests did not stop", failed, guests);
        goto out;
    }
    st = STATUS_OK;
out:
    DomainList_free(&domains);
    return st;
}

Status Guests_save(Backend *be, const Paths *paths, const char *name, char *err,
                   size_t errlen)
{
    DomainList domains = {0};
    bool unknown;
    Status st = STATUS_ERROR;

    if (!Guests_guest(be, name, "cannot be saved", &domains, &unknown, err, errlen)) {
        if (unknown && Saves_exists(paths, name))
            snprintf(err, errlen, "no domain named %s (it is saved: xenlive restore %s)", name,
                     name);
        goto out;
    }
    if (Saves_save(be, paths, name, err, errlen) != STATUS_OK)
        goto out;
    st = Guests_forget(paths, name, "saved", err, errlen);
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
