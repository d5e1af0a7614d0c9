/* images.c: the catalog as "xenlive images" shows it. */
#include "images.h"

#include "json.h"
#include "launch.h"

#include <inttypes.h>
#include <string.h>

Status Room_read(Backend *be, Room *room, char *err, size_t errlen)
{
    uint64_t target, max;

    if (be->free_memory_mib(be, &room->free_mib, err, errlen) < 0 ||
        be->dom0_available_mib(be, &room->dom0_mib, err, errlen) < 0 ||
        be->dom0_memory(be, &target, &max, err, errlen) < 0)
        return STATUS_ERROR;
    room->dom0_grow_mib = max > target ? max - target : 0;
    return STATUS_OK;
}

/* How many guests dom0's spare memory can take on now, without growing. */
static uint64_t Images_dom0Fit(const Room *room)
{
    return room->dom0_mib < DOM0_RESERVE_MIB ? 0
                                             : (room->dom0_mib - DOM0_RESERVE_MIB) / DOM0_PER_GUEST_MIB;
}

/* What dom0 must grow by before it is back up to its reserve. */
static uint64_t Images_dom0Deficit(const Room *room)
{
    return room->dom0_mib < DOM0_RESERVE_MIB ? DOM0_RESERVE_MIB - room->dom0_mib : 0;
}

/* What dom0 may still grow by for guests' shares. */
static uint64_t Images_dom0Growth(const Room *room)
{
    uint64_t deficit = Images_dom0Deficit(room);

    return room->dom0_grow_mib > deficit ? room->dom0_grow_mib - deficit : 0;
}

uint64_t Images_fit(const Image *img, const Room *room)
{
    uint64_t per = (uint64_t)img->memory_mib + GUEST_OVERHEAD_MIB;
    uint64_t now, rest, more, grow;

    if (!img->available)
        return 0;
    now = Images_dom0Fit(room);
    if (room->free_mib / per <= now)
        return room->free_mib / per;
    /* Beyond dom0's spare each guest also grows dom0 by its share. */
    rest = room->free_mib - now * per;
    rest = rest > Images_dom0Deficit(room) ? rest - Images_dom0Deficit(room) : 0;
    more = rest / (per + DOM0_PER_GUEST_MIB);
    grow = Images_dom0Growth(room) / DOM0_PER_GUEST_MIB;
    return now + (more < grow ? more : grow);
}

void Images_room(const Catalog *c, const Room *room, char *buf, size_t len)
{
    const Image *smallest = NULL;
    size_t used = 0;
    size_t i;

    buf[0] = '\0';
    for (i = 0; i < c->count; i++) {
        const Image *img = &c->images[i];

        if (!img->available)
            continue;
        if (!smallest || img->memory_mib < smallest->memory_mib)
            smallest = img;
    }
    if (!smallest) {
        snprintf(buf, len, "no image is available");
        return;
    }
    if (!Images_dom0Fit(room) && Images_dom0Growth(room) < DOM0_PER_GUEST_MIB) {
        snprintf(buf, len, "too small for any guest: dom0 has %" PRIu64 " MiB available, keeps "
                 "%u and needs %u per guest", room->dom0_mib, DOM0_RESERVE_MIB, DOM0_PER_GUEST_MIB);
        return;
    }
    if (!Images_fit(smallest, room)) {
        snprintf(buf, len, "too small for any guest: %" PRIu64 " MiB free, %s needs %u",
                 room->free_mib, smallest->name, smallest->memory_mib + GUEST_OVERHEAD_MIB);
        return;
    }
    for (i = 0; i < c->count && used < len; i++) {
        const Image *img = &c->images[i];
        int n;

        if (!img->available)
            continue;
        n = snprintf(buf + used, len - used, "%s%" PRIu64 " %s", used ? ", " : "room for ",
                     Images_fit(img, room), img->name);
        if (n < 0)
            return;
        used += (size_t)n;
    }
    if (used < len)
        snprintf(buf + used, len - used, " (%" PRIu64 " MiB free)", room->free_mib);
}

void Images_status(const Image *img, char *buf, size_t len)
{
    if (img->available)
        snprintf(buf, len, "ready");
    else if (img->unavailable_reason[0])
        /* The reason says it all: "not included in this build: …" from
         * the build, "damaged on the boot medium …" from dom0's copy. */
        snprintf(buf, len, "%s", img->unavailable_reason);
    else
        snprintf(buf, len, "unavailable");
}

void Images_writeTable(FILE *f, const Catalog *c, const Room *room)
{
    int name_width = (int)strlen("NAME");
    int display_width = (int)strlen("DISPLAY NAME");
    char status[600];
    size_t i;

    for (i = 0; i < c->count; i++) {
        if ((int)strlen(c->images[i].name) > name_width)
            name_width = (int)strlen(c->images[i].name);
        if ((int)strlen(c->images[i].display_name) > display_width)
            display_width = (int)strlen(c->images[i].display_name);
    }
    fprintf(f, "%-*s  %-*s  %10s  %4s  %5s  %4s  %s\n", name_width, "NAME", display_width,
            "DISPLAY NAME", "MEMORY", "MIN", "VCPUS", "FITS", "STATUS");
    for (i = 0; i < c->count; i++) {
        const Image *img = &c->images[i];

        Images_status(img, status, sizeof status);
        fprintf(f, "%-*s  %-*s  %6u MiB  %4u  %5u  %4" PRIu64 "  %s\n", name_width, img->name,
                display_width, img->display_name, img->memory_mib, img->min_memory_mib, img->vcpus,
                Images_fit(img, room), status);
    }
}

void Images_writeJson(FILE *f, const Catalog *c, const Room *room)
{
    char status[600];
    size_t i;

    fputc('[', f);
    for (i = 0; i < c->count; i++) {
        const Image *img = &c->images[i];

        Images_status(img, status, sizeof status);
        fprintf(f, "%s\n  {\"name\": ", i ? "," : "");
        Json_writeString(f, img->name);
        fputs(", \"display_name\": ", f);
        Json_writeString(f, img->display_name);
        fputs(", \"description\": ", f);
        Json_writeString(f, img->description);
        fprintf(f, ", \"memory_mib\": %u, \"min_memory_mib\": %u, \"vcpus\": %u, "
                "\"available\": %s, \"status\": ", img->memory_mib, img->min_memory_mib,
                img->vcpus, img->available ? "true" : "false");
        Json_writeString(f, status);
        fputs(", \"up_marker\": ", f);
        Json_writeString(f, img->up_marker);
        fprintf(f, ", \"fits\": %" PRIu64 "}", Images_fit(img, room));
    }
    fputs(c->count ? "\n]\n" : "]\n", f);
}
