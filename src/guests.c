/* guests.c: the running domains as xenlive shows them, and destroy. */
#include "guests.h"

#include "json.h"
#include "names.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>

const Image *Guests_image(const char *name, const Catalog *c)
{
    char image[IMAGE_NAME_MAX + 1];

    return Names_split(name, image, sizeof image) ? Catalog_find(c, image) : NULL;
}

void Guests_writeTable(FILE *f, const DomainList *l, const Catalog *c)
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
    fprintf(f, "%5s  %-*s  %-*s  %10s  %5s  %s\n", "ID", name_width, "NAME", image_width,
            "IMAGE", "MEMORY", "VCPUS", "STATE");
    for (i = 0; i < l->count; i++) {
        const Domain *d = &l->items[i];
        const Image *img = Guests_image(d->name, c);

        fprintf(f, "%5" PRIu32 "  %-*s  %-*s  %6" PRIu64 " MiB  %5u  %s\n", d->id, name_width,
                d->name, image_width, img ? img->name : "-", d->memory_mib, d->vcpus, d->state);
    }
}

void Guests_writeJson(FILE *f, const DomainList *l, const Catalog *c)
{
    size_t i;

    fputc('[', f);
    for (i = 0; i < l->count; i++) {
        const Domain *d = &l->items[i];
        const Image *img = Guests_image(d->name, c);

        fprintf(f, "%s\n  {\"id\": %" PRIu32 ", \"name\": ", i ? "," : "", d->id);
        Json_writeString(f, d->name);
        fputs(", \"image\": ", f);
        if (img)
            Json_writeString(f, img->name);
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
