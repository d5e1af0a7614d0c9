/* images.h: the catalog as "xenlive images" shows it. */
#ifndef XENLIVE_IMAGES_H
#define XENLIVE_IMAGES_H

#include "catalog.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* How many more guests of IMG fit in FREE_MIB, at its default memory;
 * 0 for an unavailable image. */
uint64_t Images_fit(const Image *img, uint64_t free_mib);

/* One line: how many guests of each available image fit in FREE_MIB (MiB,
 * Xen's free memory), at their default memory, for the console at start-up
 * and xenlive info:
 *   "room for 103 tiny, 26 debian (3412 MiB free)"
 * or, when not even one guest of the smallest image fits:
 *   "too small for any guest: 40 MiB free, tiny needs 33"
 * or "no image is available" with an empty or unavailable catalog. */
void Images_room(const Catalog *c, uint64_t free_mib, char *buf, size_t len);

/* "ready" or "not included in this build: REASON" */
void Images_status(const Image *img, char *buf, size_t len);

void Images_writeTable(FILE *f, const Catalog *c, uint64_t free_mib);
void Images_writeJson(FILE *f, const Catalog *c, uint64_t free_mib);

#endif
