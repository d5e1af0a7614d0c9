/* stats.c: samples of the per-domain counters, and rates between them. */
#include "stats.h"

#include <stdlib.h>
#include <string.h>

#define STATS_WRAP32 (UINT64_C(1) << 32)
#define STATS_QUARTER32 (UINT64_C(1) << 30)

int Sample_add(Sample *s, const DomainSample *d)
{
    DomainSample *grown = realloc(s->domains, (s->count + 1) * sizeof *s->domains);

    if (!grown)
        return -1;
    s->domains = grown;
    s->domains[s->count++] = *d;
    return 0;
}

int Sample_copy(Sample *to, const Sample *from)
{
    *to = *from;
    to->domains = NULL;
    if (from->count == 0)
        return 0;
    to->domains = malloc(from->count * sizeof *to->domains);
    if (!to->domains) {
        to->count = 0;
        return -1;
    }
    memcpy(to->domains, from->domains, from->count * sizeof *to->domains);
    return 0;
}

const DomainSample *Sample_find(const Sample *s, uint32_t id, const char *name)
{
    size_t i;

    for (i = 0; i < s->count; i++) {
        if (s->domains[i].id == id && strcmp(s->domains[i].name, name) == 0)
            return &s->domains[i];
    }
    return NULL;
}

void Sample_free(Sample *s)
{
    free(s->domains);
    s->domains = NULL;
    s->count = 0;
}

uint64_t Stats_delta(uint64_t prev, uint64_t cur, bool may_wrap32)
{
    if (cur >= prev)
        return cur - prev;
    if (may_wrap32 && prev < STATS_WRAP32 && prev >= STATS_WRAP32 - STATS_QUARTER32 &&
        cur < STATS_QUARTER32)
        return STATS_WRAP32 - prev + cur;
    return 0;
}

int64_t Stats_uptime(const DomainSample *d, const Sample *s)
{
    if (d->start_s == 0)
        return -1;
    if (s->now_s <= d->start_s)
        return 0;
    return (int64_t)(s->now_s - d->start_s);
}

double Stats_perSecond(uint64_t delta, uint64_t wall_ns)
{
    if (wall_ns == 0)
        return 0.0;
    return (double)delta * 1e9 / (double)wall_ns;
}

void Stats_rates(const DomainSample *prev, uint64_t before_ns, const DomainSample *cur,
                 const Sample *now, DomainRates *out)
{
    uint64_t wall;

    memset(out, 0, sizeof *out);
    if (!prev)
        return;
    out->has_rate = true;
    if (now->wall_ns <= before_ns)
        return;
    wall = now->wall_ns - before_ns;
    out->cpu_pct = (double)Stats_delta(prev->cpu_ns, cur->cpu_ns, false) * 100.0 / (double)wall;
    out->cpu_host_pct = now->num_cpus ? out->cpu_pct / now->num_cpus : 0.0;
    out->net_rx_kibs =
        Stats_perSecond(Stats_delta(prev->net_rx_bytes, cur->net_rx_bytes, true), wall) / 1024.0;
    out->net_tx_kibs =
        Stats_perSecond(Stats_delta(prev->net_tx_bytes, cur->net_tx_bytes, true), wall) / 1024.0;
    out->vbd_rd_ps = Stats_perSecond(Stats_delta(prev->vbd_rd_reqs, cur->vbd_rd_reqs, false), wall);
    out->vbd_wr_ps = Stats_perSecond(Stats_delta(prev->vbd_wr_reqs, cur->vbd_wr_reqs, false), wall);
}
