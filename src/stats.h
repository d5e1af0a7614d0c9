/* stats.h: samples of the per-domain counters (xentop's numbers), and
 * the rates between two samples.
 *
 * A Sample is what Xen counts for each domain at one moment, plus the
 * host's monotonic time of that moment.  The counters only grow; a rate
 * is (current - previous) / (time between the samples).  Stats_rates
 * matches the domains of two samples by id AND name, so that an id Xen
 * gives again to a new domain is a new domain. */
#ifndef XENLIVE_STATS_H
#define XENLIVE_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STATS_NAME_MAX 127          /* longer names are cut */
#define STATS_NO_LIMIT UINT64_MAX   /* maxmem_kib of a domain without a cap */

typedef struct DomainSample {
    uint32_t id;
    char name[STATS_NAME_MAX + 1];
    char state[7];          /* as xl list shows it: "r-----" */
    unsigned vcpus;
    uint64_t cpu_ns;        /* CPU time used since the domain started */
    uint64_t mem_kib;
    uint64_t maxmem_kib;    /* or STATS_NO_LIMIT */
    uint64_t net_rx_bytes;  /* summed over the domain's vifs */
    uint64_t net_tx_bytes;
    uint64_t vbd_rd_reqs;   /* summed over the domain's vbds */
    uint64_t vbd_wr_reqs;
    /* When the domain started, in wall-clock seconds since the epoch
     * (libxl_vm_get_start_time, what xl uptime uses; Domain-0: when the
     * host booted); 0 when unknown. */
    uint64_t start_s;
} DomainSample;

typedef struct Sample {
    uint64_t wall_ns;       /* CLOCK_MONOTONIC when the sample was taken */
    uint64_t now_s;         /* CLOCK_REALTIME seconds then, to compare start_s with */
    unsigned num_cpus;      /* physical CPUs */
    uint64_t tot_mem_kib;
    uint64_t free_mem_kib;
    uint64_t dom0_available_mib; /* dom0's MemAvailable (/proc/meminfo); 0 when unread */
    uint64_t dom0_grow_mib; /* dom0's max less its balloon target, MiB (Room); 0 when unread */
    DomainSample *domains;
    size_t count;
} Sample;

/* The rates of one domain between two samples.  A domain that was not in
 * the previous sample has has_rate false and all rates 0. */
typedef struct DomainRates {
    bool has_rate;
    double cpu_pct;         /* of one physical CPU: 200 is two busy vCPUs */
    double cpu_host_pct;    /* of the whole host: cpu_pct / num_cpus */
    double net_rx_kibs;     /* KiB/s */
    double net_tx_kibs;
    double vbd_rd_ps;       /* requests/s */
    double vbd_wr_ps;
} DomainRates;

/* Append a copy of D to S; -1 when out of memory. */
int Sample_add(Sample *s, const DomainSample *d);
/* A deep copy of FROM into TO (which is overwritten, not freed). */
int Sample_copy(Sample *to, const Sample *from);
/* The domain with this id and name, or NULL. */
const DomainSample *Sample_find(const Sample *s, uint32_t id, const char *name);
void Sample_free(Sample *s);

/* How much a counter grew from PREV to CUR.  A counter that went back is
 * a reset (0), except that, when MAY_WRAP32, a PREV in the top quarter of
 * the 32-bit range and a CUR in the bottom quarter is a 32-bit wrap. */
uint64_t Stats_delta(uint64_t prev, uint64_t cur, bool may_wrap32);

/* How long D has been running at S's time: -1 when its start is unknown,
 * 0 when the clock says it started in the future. */
int64_t Stats_uptime(const DomainSample *d, const Sample *s);

/* DELTA per second over WALL_NS nanoseconds; 0 when WALL_NS is 0. */
double Stats_perSecond(uint64_t delta, uint64_t wall_ns);

/* The rates of CUR, a domain of the sample NOW, against PREV (NULL: no
 * earlier sample, or the domain is new), taken at BEFORE_NS.  A wall
 * time that did not move forward gives rates of 0. */
void Stats_rates(const DomainSample *prev, uint64_t before_ns, const DomainSample *cur,
                 const Sample *now, DomainRates *out);

#endif
