/* hostsum.c: the host header's arithmetic. */
#include "hostsum.h"

#include "images.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

void HostSum_compute(const Top *t, HostSum *out)
{
    uint64_t domains_mib = 0;
    uint64_t used_mib;
    size_t i;

    memset(out, 0, sizeof *out);
    out->num_cpus = t->sample.num_cpus;
    out->total_mib = t->sample.tot_mem_kib / 1024;
    out->free_mib = t->sample.free_mem_kib / 1024;
    out->dom0_available_mib = t->sample.dom0_available_mib;
    out->dom0_grow_mib = t->sample.dom0_grow_mib;
    for (i = 0; i < t->count; i++) {
        const DomainRow *r = &t->rows[i];
        uint64_t mib = r->d->mem_kib / 1024;

        out->cpu_pct += r->rate.cpu_pct;
        domains_mib += mib;
        if (r->d->id == 0) {
            out->dom0_mib += mib;
        } else {
            out->guests_mib += mib;
            out->guests++;
        }
    }
    if (out->num_cpus)
        out->cpu_pct /= out->num_cpus;
    used_mib = out->free_mib + domains_mib;
    /* The counters are read at slightly different moments; a domain
     * growing in between must not make Xen's share wrap around. */
    out->xen_mib = out->total_mib > used_mib ? out->total_mib - used_mib : 0;
}

void HostSum_bar(const HostSum *s, size_t width, char *buf, size_t len)
{
    const uint64_t parts[] = {s->xen_mib, s->dom0_mib, s->guests_mib, s->free_mib};
    const char marks[] = "XDG.";
    uint64_t total = 0;
    uint64_t sum = 0;
    size_t at = 0;
    size_t k;

    if (len == 0)
        return;
    if (width > len - 1)
        width = len - 1;
    for (k = 0; k < 4; k++)
        total += parts[k];
    for (k = 0; k < 4 && total; k++) {
        size_t end;

        sum += parts[k];
        /* Rounding where each part ends, not each part's width, keeps
         * the total exactly WIDTH. */
        end = (size_t)((sum * width + total / 2) / total);
        while (at < end)
            buf[at++] = marks[k];
    }
    while (at < width)
        buf[at++] = ' ';
    buf[width] = '\0';
}

void HostSum_fits(const Catalog *c, const Room *room, char *buf, size_t len)
{
    size_t used = 0;
    size_t i;

    if (len == 0)
        return;
    buf[0] = '\0';
    for (i = 0; i < c->count; i++) {
        const Image *img = &c->images[i];
        int n;

        if (!img->available)
            continue;
        n = snprintf(buf + used, len - used, "%s%s %" PRIu64, used ? "  " : "", img->name,
                     Images_fit(img, room));
        if (n < 0 || (size_t)n >= len - used) {
            buf[used] = '\0'; /* whole images only: no "ti" */
            return;
        }
        used += (size_t)n;
    }
    if (!used)
        snprintf(buf, len, "none (no image available)");
}

void HostSum_uptime(double seconds, char *buf, size_t len)
{
    uint64_t m = seconds > 0 ? (uint64_t)seconds / 60 : 0;
    uint64_t days = m / (24 * 60);

    if (days)
        snprintf(buf, len, "%" PRIu64 "d %02" PRIu64 ":%02" PRIu64, days, m / 60 % 24, m % 60);
    else
        snprintf(buf, len, "%02" PRIu64 ":%02" PRIu64, m / 60, m % 60);
}
