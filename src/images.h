/* images.h: the catalog as "xenlive images" shows it. */
#ifndef XENLIVE_IMAGES_H
#define XENLIVE_IMAGES_H

#include "backend.h"
#include "catalog.h"
#include "status.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Where more guests can go, all in MiB: Xen's free memory holds the
 * guests themselves, dom0's available memory their share of dom0
 * (DOM0_PER_GUEST_MIB each, above DOM0_RESERVE_MIB: launch.h), and once
 * that is spent dom0 grows, from Xen's free memory, up to its max. */
typedef struct Room {
    uint64_t free_mib;      /* Xen's free memory (xl info's free_memory) */
    uint64_t dom0_mib;      /* dom0's MemAvailable (/proc/meminfo) */
    uint64_t dom0_grow_mib; /* dom0's max less its balloon target (0: cannot grow) */
} Room;

/* Fills ROOM from the backend.  STATUS_ERROR with ERR when either cannot
 * be read. */
Status Room_read(Backend *be, Room *room, char *err, size_t errlen);

/* How many more guests of IMG fit in ROOM at its default memory: Xen's
 * free memory holds memory + GUEST_OVERHEAD_MIB each while dom0's spare
 * covers their share, then DOM0_PER_GUEST_MIB more each, for dom0's
 * growth, while dom0 may grow; 0 for an unavailable image. */
uint64_t Images_fit(const Image *img, const Room *room);

/* One line: how many guests of each available image fit in ROOM at
 * their default memory, for the console at start-up and xenlive info:
 *   "room for 103 tiny, 26 debian (3412 MiB free)"
 * or, when not even one guest of the smallest image fits:
 *   "too small for any guest: 40 MiB free, tiny needs 33"
 *   "too small for any guest: dom0 has 34 MiB available, keeps 32 and
 *    needs 3 per guest"
 * or "no image is available" with an empty or unavailable catalog. */
void Images_room(const Catalog *c, const Room *room, char *buf, size_t len);

/* "ready" or "not included in this build: REASON" */
void Images_status(const Image *img, char *buf, size_t len);

/* xenlive images: the table, and its --json form (FITS: Images_fit). */
void Images_writeTable(FILE *f, const Catalog *c, const Room *room);
void Images_writeJson(FILE *f, const Catalog *c, const Room *room);

#endif
