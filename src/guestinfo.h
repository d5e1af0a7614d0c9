/* guestinfo.h: what a guest says about itself, from the keys xenlive-agent
 * (src/agent) writes in its xenstore subtree: xe-guest-utilities' names
 * (data/meminfo_total, data/meminfo_free in KiB, data/os_distro,
 * data/os_majorver, attr/vif/0/ipv4/0, data/updated; xenstore-paths.pandoc
 * ~/data, ~/attr/vif) and xenlive's own (data/xenlive/overlay_used,
 * overlay_total in KiB, interval in seconds).  Dom0 reads them once per
 * refresh through the backend (libxenstore, one connection).  This is the
 * guest's own view; the header's memory bar stays Xen's. */
#ifndef XENLIVE_GUESTINFO_H
#define XENLIVE_GUESTINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The keys dom0 reads, relative to /local/domain/ID. */
enum GuestKey {
    GK_MEM_TOTAL,     /* data/meminfo_total, KiB */
    GK_MEM_FREE,      /* data/meminfo_free, KiB (MemAvailable) */
    GK_OS_DISTRO,     /* data/os_distro ("debian") */
    GK_OS_MAJOR,      /* data/os_majorver ("13") */
    GK_IPV4,          /* attr/vif/0/ipv4/0 */
    GK_OVERLAY_USED,  /* data/xenlive/overlay_used, KiB */
    GK_OVERLAY_TOTAL, /* data/xenlive/overlay_total, KiB */
    GK_INTERVAL,      /* data/xenlive/interval, seconds */
    GK_UPDATED,       /* data/updated, Unix seconds of the agent's last pass */
    GK_COUNT
};

#define GUESTKEY_VALUE_MAX 128

/* The raw values of one domain's keys; present[k] false: no such key. */
typedef struct GuestKeys {
    bool present[GK_COUNT];
    char value[GK_COUNT][GUESTKEY_VALUE_MAX];
} GuestKeys;

/* The path of KEY relative to the domain's subtree ("data/meminfo_free"). */
const char *GuestKeys_path(int key);

/* Reads PATH (relative to /local/domain/DOMID) into BUF (at most LEN - 1
 * bytes and a NUL); false when there is no such key. */
typedef bool (*GuestKeys_readFn)(void *ctx, uint32_t domid, const char *path, char *buf,
                                 size_t len);

/* The keys the last refresh read, per domain.  The agent writes
 * data/updated last in each pass (src/agent/agent.c), so a domain whose
 * data/updated has not changed still has these keys: a refresh then
 * costs one xenstore read per guest instead of GK_COUNT (each read is a
 * round trip to xenstored: about 110 ms under TCG). */
typedef struct GuestKeysCache {
    uint32_t *ids;
    GuestKeys *keys;
    size_t count;
} GuestKeysCache;

/* OUT[0..N-1] for the domains IDS through READ: data/updated first, then,
 * unless it equals what CACHE holds for that domain, every other key.
 * Domain 0, and a domain without data/updated (no agent), get no key
 * present.  CACHE then holds exactly these N domains (or, out of memory,
 * none: the next refresh reads everything).  Returns the number of reads. */
size_t GuestKeys_readCached(GuestKeysCache *cache, const uint32_t *ids, size_t n, GuestKeys *out,
                            GuestKeys_readFn read, void *ctx);
void GuestKeysCache_free(GuestKeysCache *cache);

typedef enum GuestInfoState {
    GUESTINFO_NONE,  /* no agent (no data/updated): shown "-" */
    GUESTINFO_STALE, /* data/updated older than three intervals: shown "?" */
    GUESTINFO_OK,
} GuestInfoState;

typedef struct GuestInfo {
    GuestInfoState state;
    int64_t mem_total_kib;     /* -1: unknown */
    int64_t mem_free_kib;      /* -1: unknown */
    int64_t overlay_used_kib;  /* -1: unknown */
    int64_t overlay_total_kib; /* -1: unknown */
    char ip[48];               /* "" unknown */
    char os[64];               /* "debian 13" (os_distro, os_majorver); "" unknown */
} GuestInfo;

/* The agent's interval when data/xenlive/interval is missing, bad or
 * above GUESTINFO_MAX_INTERVAL_S. */
#define GUESTINFO_DEFAULT_INTERVAL_S 5
#define GUESTINFO_MAX_INTERVAL_S 3600
/* The largest figure believed from a guest (KiB, seconds): 2^40, a PiB
 * of memory; above it a key counts as unknown.  Keys are the guest's own
 * text, so the arithmetic on them must not overflow. */
#define GUESTINFO_NUMBER_MAX (INT64_C(1) << 40)

/* GuestInfo from K at wall-clock NOW_S (Unix seconds): NONE without
 * data/updated; STALE when NOW_S - updated > 3 * interval; else OK with
 * the numbers that parse (the rest -1 or ""). */
void GuestInfo_fromKeys(GuestInfo *out, const GuestKeys *k, int64_t now_s);

/* Memory in use inside the guest, MiB (total - free, rounded down); -1
 * when not OK or unknown.  Percent of ALLOC_KIB (the domain's memory as
 * Xen gives it), rounded to the nearest; -1 likewise. */
int64_t GuestInfo_memUsedMib(const GuestInfo *g);
int GuestInfo_memUsedPct(const GuestInfo *g, uint64_t alloc_kib);
/* The RAM overlay's use, percent of its size, rounded; -1 unknown. */
int GuestInfo_overlayPct(const GuestInfo *g);

/* The cells: "-" (G NULL or NONE), "?" (STALE), else the figure or "-"
 * when that one is unknown.  USED: "45 47%" (MiB, percent of ALLOC_KIB);
 * OVERLAY: "3%"; IP; OS. */
void GuestInfo_fmtUsed(char *buf, size_t len, const GuestInfo *g, uint64_t alloc_kib);
void GuestInfo_fmtOverlay(char *buf, size_t len, const GuestInfo *g);
void GuestInfo_fmtIp(char *buf, size_t len, const GuestInfo *g);
void GuestInfo_fmtOs(char *buf, size_t len, const GuestInfo *g);

/* The JSON members `, "mem_used_mib": N, "mem_used_pct": N,
 * "overlay_used_pct": N, "ip": "...", "os": "..."`, null for each that is
 * unknown (G NULL, NONE or STALE included). */
void GuestInfo_writeJson(FILE *f, const GuestInfo *g, uint64_t alloc_kib);

typedef struct Backend Backend;
/* Read the keys of the N domains IDS through BE (one batch) and make
 * OUT[0..N-1] at NOW_S.  Domain 0 is never read (NONE).  When xenstore
 * cannot be read at all, every OUT is NONE and -1 is returned with the
 * reason in ERR; the caller shows "-" and goes on. */
int GuestInfo_read(Backend *be, const uint32_t *ids, size_t n, int64_t now_s, GuestInfo *out,
                   char *err, size_t errlen);

#endif
