/* layout.c: the TUI's columns and fitting them to a width. */
#include "layout.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define LAYOUT_CMP(a, b) (((a) > (b)) - ((a) < (b)))

static int Layout_cmpCpu(const DomainRow *a, const DomainRow *b)
{
    return LAYOUT_CMP(a->rate.cpu_pct, b->rate.cpu_pct);
}

static int Layout_cmpMem(const DomainRow *a, const DomainRow *b)
{
    return LAYOUT_CMP(a->d->mem_kib, b->d->mem_kib);
}

/* The drawing code renders the sparkline itself: it alone knows the width. */
static void Layout_fmtSpark(char *buf, size_t len, const DomainRow *r)
{
    (void)r;
    if (len)
        buf[0] = '\0';
}

/* MiB: a guest's memory is set in MiB, and KiB do not fit 80 columns. */
static void Layout_fmtMem(char *buf, size_t len, const DomainRow *r)
{
    snprintf(buf, len, "%" PRIu64, r->d->mem_kib / 1024);
}

static const Column Layout_spark = {"CPU LAST MINUTE", LAYOUT_SPARK_MIN, true, Layout_cmpCpu,
                                    Layout_fmtSpark};
static const Column Layout_mem = {"MEM(MiB)", 8, false, Layout_cmpMem, Layout_fmtMem};

/* Left to right: at 80 columns everything up to UPTIME fits (exactly);
 * the rates are first to go.  A header, or one of the two above. */
static const struct {
    const char *header;
    const Column *own;
} Layout_table[] = {
    {"ID", NULL},
    {"NAME", NULL},
    {"IMAGE", NULL},
    {"TYPE", NULL},
    {"STATE", NULL},
    {"VCPUS", NULL},
    {"CPU(%)", NULL},
    {NULL, &Layout_spark},
    {NULL, &Layout_mem},
    {"UPTIME", NULL},
    {"USED", NULL},
    {"OVERLAY", NULL},
    {"IP", NULL},
    {"OS", NULL},
    {"RX(k/s)", NULL},
    {"TX(k/s)", NULL},
    {"RD/s", NULL},
    {"WR/s", NULL},
};

size_t Layout_count(void)
{
    return sizeof Layout_table / sizeof Layout_table[0];
}

const Column *Layout_column(size_t i)
{
    if (i >= Layout_count())
        return NULL;
    if (Layout_table[i].own)
        return Layout_table[i].own;
    return Columns_find(Layout_table[i].header);
}

bool Layout_isSpark(const Column *col)
{
    return col == &Layout_spark;
}

void Layout_fit(Layout *l, int width)
{
    int used = 0;
    size_t spark = LAYOUT_MAX;
    size_t i;

    memset(l, 0, sizeof *l);
    for (i = 0; i < Layout_count() && l->count < LAYOUT_MAX; i++) {
        const Column *col = Layout_column(i);
        int w = col->width;
        int need;

        /* The header must fit too, except the sparkline's, which may be cut. */
        if (!Layout_isSpark(col) && (int)strlen(col->header) > w)
            w = (int)strlen(col->header);
        need = used + (l->count ? 1 : 0) + w;
        if (need > width)
            break; /* the rest is further right: drop it all */
        if (Layout_isSpark(col))
            spark = l->count;
        l->cols[l->count] = col;
        l->widths[l->count] = w;
        l->count++;
        used = need;
    }
    if (spark < l->count && used < width) {
        int extra = width - used;
        int room = HISTORY_LEN - l->widths[spark];

        l->widths[spark] += extra < room ? extra : room;
    }
}
