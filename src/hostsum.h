/* hostsum.h: the TUI's host header as numbers: CPU use of the whole
 * host, where the memory is (Xen, dom0, guests, free), and how many more
 * guests of each image fit.  No drawing here, so the tests can check it. */
#ifndef XENLIVE_HOSTSUM_H
#define XENLIVE_HOSTSUM_H

#include "catalog.h"
#include "images.h"
#include "top.h"

#include <stddef.h>
#include <stdint.h>

typedef struct HostSum {
    unsigned num_cpus;
    double cpu_pct;       /* of the whole host: the domains' CPU % summed / num_cpus */
    uint64_t total_mib;
    uint64_t xen_mib;     /* Xen's own: total - free - all domains (0 if that is negative) */
    uint64_t dom0_mib;
    uint64_t guests_mib;
    uint64_t free_mib;
    uint64_t dom0_available_mib; /* dom0's MemAvailable, for the fits */
    uint64_t dom0_grow_mib;      /* what dom0 may still grow by, for the fits */
    unsigned guests;      /* domains other than dom0 */
} HostSum;

void HostSum_compute(const Top *t, HostSum *out);

/* The memory bar: WIDTH characters, 'X' Xen, 'D' dom0, 'G' guests, '.'
 * free, each part as wide as its share (rounded so the parts add up). */
void HostSum_bar(const HostSum *s, size_t width, char *buf, size_t len);

/* "debian 4  tiny 12": each available image and how many more fit in
 * ROOM (Images_fit); "none" when no image is available. */
void HostSum_fits(const Catalog *c, const Room *room, char *buf, size_t len);

/* "3d 04:05" or "04:05" (hours:minutes). */
void HostSum_uptime(double seconds, char *buf, size_t len);

#endif
