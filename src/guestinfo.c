/* guestinfo.c: see guestinfo.h. */
#include "guestinfo.h"

#include "backend.h"
#include "json.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static const char *const GuestKeys_paths[GK_COUNT] = {
    [GK_MEM_TOTAL] = "data/meminfo_total",
    [GK_MEM_FREE] = "data/meminfo_free",
    [GK_OS_DISTRO] = "data/os_distro",
    [GK_OS_MAJOR] = "data/os_majorver",
    [GK_IPV4] = "attr/vif/0/ipv4/0",
    [GK_OVERLAY_USED] = "data/xenlive/overlay_used",
    [GK_OVERLAY_TOTAL] = "data/xenlive/overlay_total",
    [GK_INTERVAL] = "data/xenlive/interval",
    [GK_UPDATED] = "data/updated",
};

const char *GuestKeys_path(int key)
{
    return key >= 0 && key < GK_COUNT ? GuestKeys_paths[key] : NULL;
}

/* CACHE's keys for DOMID, or NULL. */
static const GuestKeys *GuestKeys_cached(const GuestKeysCache *cache, uint32_t domid)
{
    size_t i;

    for (i = 0; i < cache->count; i++) {
        if (cache->ids[i] == domid)
            return &cache->keys[i];
    }
    return NULL;
}

size_t GuestKeys_readCached(GuestKeysCache *cache, const uint32_t *ids, size_t n, GuestKeys *out,
                            GuestKeys_readFn read, void *ctx)
{
    GuestKeysCache next = {0};
    size_t reads = 0;
    size_t i;
    int k;

    if (n) {
        next.ids = calloc(n, sizeof *next.ids);
        next.keys = calloc(n, sizeof *next.keys);
    }
    for (i = 0; i < n; i++) {
        const GuestKeys *old = GuestKeys_cached(cache, ids[i]);
        GuestKeys *g = &out[i];

        memset(g, 0, sizeof *g);
        if (ids[i] == 0)
            continue;
        reads++;
        g->present[GK_UPDATED] = read(ctx, ids[i], GuestKeys_paths[GK_UPDATED],
                                      g->value[GK_UPDATED], sizeof g->value[GK_UPDATED]);
        if (!g->present[GK_UPDATED])
            continue;
        if (old && old->present[GK_UPDATED] &&
            strcmp(old->value[GK_UPDATED], g->value[GK_UPDATED]) == 0) {
            *g = *old;
            continue;
        }
        for (k = 0; k < GK_COUNT; k++) {
            if (k == GK_UPDATED)
                continue;
            reads++;
            g->present[k] = read(ctx, ids[i], GuestKeys_paths[k], g->value[k], sizeof g->value[k]);
            if (!g->present[k])
                g->value[k][0] = '\0';
        }
    }
    GuestKeysCache_free(cache);
    if (next.ids && next.keys) {
        memcpy(next.ids, ids, n * sizeof *ids);
        memcpy(next.keys, out, n * sizeof *out);
        next.count = n;
        *cache = next;
    } else {
        GuestKeysCache_free(&next);
    }
    return reads;
}

void GuestKeysCache_free(GuestKeysCache *cache)
{
    free(cache->ids);
    free(cache->keys);
    memset(cache, 0, sizeof *cache);
}

/* The key as a whole non-negative decimal number, or -1. */
static int64_t number(const GuestKeys *k, int key)
{
    const char *s = k->value[key];
    char *end;
    long long v;

    if (!k->present[key] || s[0] < '0' || s[0] > '9')
        return -1;
    v = strtoll(s, &end, 10);
    return *end == '\0' && v >= 0 && v <= GUESTINFO_NUMBER_MAX ? (int64_t)v : -1;
}

/* Printable ASCII only, so that a guest cannot draw on dom0's screen. */
static void text(char *out, size_t len, const GuestKeys *k, int key)
{
    size_t n = 0;

    if (k->present[key]) {
        size_t i;
        for (i = 0; k->value[key][i] && n + 1 < len; i++) {
            unsigned char c = (unsigned char)k->value[key][i];
            out[n++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
        }
    }
    out[n] = '\0';
}

void GuestInfo_fromKeys(GuestInfo *out, const GuestKeys *k, int64_t now_s)
{
    int64_t updated = number(k, GK_UPDATED);
    int64_t interval = number(k, GK_INTERVAL);
    char distro[32], major[16];

    memset(out, 0, sizeof *out);
    out->mem_total_kib = out->mem_free_kib = -1;
    out->overlay_used_kib = out->overlay_total_kib = -1;
    if (updated < 0) {
        out->state = GUESTINFO_NONE;
        return;
    }
    if (interval <= 0 || interval > GUESTINFO_MAX_INTERVAL_S)
        interval = GUESTINFO_DEFAULT_INTERVAL_S;
    if (now_s - updated > 3 * interval) {
        out->state = GUESTINFO_STALE;
        return;
    }
    out->state = GUESTINFO_OK;
    out->mem_total_kib = number(k, GK_MEM_TOTAL);
    out->mem_free_kib = number(k, GK_MEM_FREE);
    out->overlay_used_kib = number(k, GK_OVERLAY_USED);
    out->overlay_total_kib = number(k, GK_OVERLAY_TOTAL);
    text(out->ip, sizeof out->ip, k, GK_IPV4);
    text(distro, sizeof distro, k, GK_OS_DISTRO);
    text(major, sizeof major, k, GK_OS_MAJOR);
    if (distro[0])
        snprintf(out->os, sizeof out->os, "%s%s%s", distro, major[0] ? " " : "", major);
}

int64_t GuestInfo_memUsedMib(const GuestInfo *g)
{
    if (!g || g->state != GUESTINFO_OK || g->mem_total_kib < 0 || g->mem_free_kib < 0 ||
        g->mem_free_kib > g->mem_total_kib)
        return -1;
    return (g->mem_total_kib - g->mem_free_kib) / 1024;
}

int GuestInfo_memUsedPct(const GuestInfo *g, uint64_t alloc_kib)
{
    int64_t used;

    if (!g || g->state != GUESTINFO_OK || g->mem_total_kib < 0 || g->mem_free_kib < 0 ||
        g->mem_free_kib > g->mem_total_kib || alloc_kib == 0)
        return -1;
    used = g->mem_total_kib - g->mem_free_kib;
    if ((uint64_t)used > alloc_kib) /* more than Xen gave it: not believed */
        return -1;
    return (int)(((uint64_t)used * 100 + alloc_kib / 2) / alloc_kib);
}

int GuestInfo_overlayPct(const GuestInfo *g)
{
    if (!g || g->state != GUESTINFO_OK || g->overlay_used_kib < 0 || g->overlay_total_kib <= 0 ||
        g->overlay_used_kib > g->overlay_total_kib)
        return -1;
    return (int)((g->overlay_used_kib * 100 + g->overlay_total_kib / 2) / g->overlay_total_kib);
}

/* "-" or "?" for a guest without figures; false when it has them. */
static bool no_figures(char *buf, size_t len, const GuestInfo *g)
{
    if (g && g->state == GUESTINFO_OK)
        return false;
    snprintf(buf, len, "%s", g && g->state == GUESTINFO_STALE ? "?" : "-");
    return true;
}

void GuestInfo_fmtUsed(char *buf, size_t len, const GuestInfo *g, uint64_t alloc_kib)
{
    int64_t mib = GuestInfo_memUsedMib(g);
    int pct = GuestInfo_memUsedPct(g, alloc_kib);

    if (no_figures(buf, len, g))
        return;
    if (mib < 0)
        snprintf(buf, len, "-");
    else if (pct < 0)
        snprintf(buf, len, "%" PRId64, mib);
    else
        snprintf(buf, len, "%" PRId64 " %d%%", mib, pct);
}

void GuestInfo_fmtOverlay(char *buf, size_t len, const GuestInfo *g)
{
    int pct = GuestInfo_overlayPct(g);

    if (no_figures(buf, len, g))
        return;
    if (pct < 0)
        snprintf(buf, len, "-");
    else
        snprintf(buf, len, "%d%%", pct);
}

void GuestInfo_fmtIp(char *buf, size_t len, const GuestInfo *g)
{
    if (!no_figures(buf, len, g))
        snprintf(buf, len, "%s", g->ip[0] ? g->ip : "-");
}

void GuestInfo_fmtOs(char *buf, size_t len, const GuestInfo *g)
{
    if (!no_figures(buf, len, g))
        snprintf(buf, len, "%s", g->os[0] ? g->os : "-");
}

static void json_number(FILE *f, const char *name, int64_t v)
{
    if (v < 0)
        fprintf(f, ", \"%s\": null", name);
    else
        fprintf(f, ", \"%s\": %" PRId64, name, v);
}

static void json_text(FILE *f, const char *name, const GuestInfo *g, const char *v)
{
    fprintf(f, ", \"%s\": ", name);
    Json_writeStringOrNull(f, g && g->state == GUESTINFO_OK ? v : NULL);
}

void GuestInfo_writeJson(FILE *f, const GuestInfo *g, uint64_t alloc_kib)
{
    json_number(f, "mem_used_mib", GuestInfo_memUsedMib(g));
    json_number(f, "mem_used_pct", GuestInfo_memUsedPct(g, alloc_kib));
    json_number(f, "overlay_used_pct", GuestInfo_overlayPct(g));
    json_text(f, "ip", g, g ? g->ip : "");
    json_text(f, "os", g, g ? g->os : "");
}

int GuestInfo_read(Backend *be, const uint32_t *ids, size_t n, int64_t now_s, GuestInfo *out,
                   char *err, size_t errlen)
{
    GuestKeys *keys;
    size_t i;
    int rc;

    for (i = 0; i < n; i++) {
        static const GuestKeys none;
        GuestInfo_fromKeys(&out[i], &none, now_s);
    }
    if (n == 0)
        return 0;
    keys = calloc(n, sizeof *keys);
    if (!keys) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    rc = be->guest_keys(be, ids, n, keys, err, errlen);
    if (rc == 0) {
        for (i = 0; i < n; i++) {
            if (ids[i] != 0)
                GuestInfo_fromKeys(&out[i], &keys[i], now_s);
        }
    }
    free(keys);
    return rc;
}
