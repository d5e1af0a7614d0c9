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

/* "ready" or "not included in this build: REASON" */
void Images_status(const Image *img, char *buf, size_t len);

void Images_writeTable(FILE *f, const Catalog *c, uint64_t free_mib);
void Images_writeJson(FILE *f, const Catalog *c, uint64_t free_mib);

#endif
