/* columns.c: the columns of the domain table, sorting, and printing. */
#include "columns.h"

#include <inttypes.h>
#include <string.h>
#include <strings.h>

#define COLUMNS_CELL_MAX 256
#define COLUMNS_CMP(a, b) (((a) > (b)) - ((a) < (b)))

static int Columns_cmpName(const DomainRow *a, const DomainRow *b)
{
    return strcmp(a->d->name, b->d->name);
}

static int Columns_cmpId(const DomainRow *a, const DomainRow *b)
{
    return COLUMNS_CMP(a->d->id, b->d->id);
}

static int Columns_cmpState(const DomainRow *a, const DomainRow *b)
{
    return strcmp(a->d->state, b->d->state);
}

static int Columns_cmpCpuSec(const DomainRow *a, const DomainRow *b)
{
    return COLUMNS_CMP(a->d->cpu_ns, b->d->cpu_ns);
}

static int Columns_cmpCpuPct(const DomainRow *a, const DomainRow *b)
{
    return COLUMNS_CMP(a->rate.cpu_pct, b->rate.cpu_pct);
}

static int Columns_cmpMem(const DomainRow *a, const DomainRow *b)
{
    return COLUMNS_CMP(a->d->mem_kib, b->d->mem_kib);
}

static int Columns_cmpMaxMem(const DomainRow *a, const DomainRow *b)
{
    return COLUMNS_CMP(a->d->maxmem_kib, b->d->maxmem_kib);
}

static int Columns_cmpVcpus(const DomainRow *a, const DomainRow *b)
{
    return COLUMNS_CMP(a->d->vcpus, b->d->vcpus);
}

static int Columns_cmpNetTx(const DomainRow *a, const DomainRow *b)
{
    return COLUMNS_CMP(a->d->net_tx_bytes, b->d->net_tx_bytes);
}

static int Columns_cmpNetRx(const DomainRow *a, const DomainRow *b)
{
    return COLUMNS_CMP(a->d->net_rx_bytes, b->d->net_rx_bytes);
}

static int Columns_cmpTxRate(const DomainRow *a, const DomainRow *b)
{
    return COLUMNS_CMP(a->rate.net_tx_kibs, b->rate.net_tx_kibs);
}

static int Columns_cmpRxRate(const DomainRow *a, const DomainRow *b)
{
    return COLUMNS_CMP(a->rate.net_rx_kibs, b->rate.net_rx_kibs);
}

static int Columns_cmpVbdRd(const DomainRow *a, const DomainRow *b)
{
    return COLUMNS_CMP(a->d->vbd_rd_reqs, b->d->vbd_rd_reqs);
}

static int Columns_cmpVbdWr(const DomainRow *a, const DomainRow *b)
{
    return COLUMNS_CMP(a->d->vbd_wr_reqs, b->d->vbd_wr_reqs);
}

static int Columns_cmpRdRate(const DomainRow *a, const DomainRow *b)
{
    return COLUMNS_CMP(a->rate.vbd_rd_ps, b->rate.vbd_rd_ps);
}

static int Columns_cmpWrRate(const DomainRow *a, const DomainRow *b)
{
    return COLUMNS_CMP(a->rate.vbd_wr_ps, b->rate.vbd_wr_ps);
}

static int Columns_cmpImage(const DomainRow *a, const DomainRow *b)
{
    return strcmp(a->image, b->image);
}

static int Columns_cmpType(const DomainRow *a, const DomainRow *b)
{
    return strcmp(a->type, b->type);
}

static int Columns_cmpUptime(const DomainRow *a, const DomainRow *b)
{
    return COLUMNS_CMP(a->uptime_s, b->uptime_s);
}

static void Columns_fmtName(char *buf, size_t len, const DomainRow *r)
{
    snprintf(buf, len, "%s", r->d->name);
}

static void Columns_fmtId(char *buf, size_t len, const DomainRow *r)
{
    if (r->crash)
        snprintf(buf, len, "-"); /* no domain any more */
    else
        snprintf(buf, len, "%" PRIu32, r->d->id);
}

static void Columns_fmtState(char *buf, size_t len, const DomainRow *r)
{
    snprintf(buf, len, "%s", r->crash ? r->crash : r->d->state);
}

static void Columns_fmtCpuSec(char *buf, size_t len, const DomainRow *r)
{
    snprintf(buf, len, "%" PRIu64, r->d->cpu_ns / 1000000000u);
}

static void Columns_fmtCpuPct(char *buf, size_t len, const DomainRow *r)
{
    snprintf(buf, len, "%.1f", r->rate.cpu_pct);
}

static void Columns_fmtMem(char *buf, size_t len, const DomainRow *r)
{
    snprintf(buf, len, "%" PRIu64, r->d->mem_kib);
}

static void Columns_fmtMaxMem(char *buf, size_t len, const DomainRow *r)
{
    if (r->d->maxmem_kib == STATS_NO_LIMIT)
        snprintf(buf, len, "no limit");
    else
        snprintf(buf, len, "%" PRIu64, r->d->maxmem_kib);
}

static void Columns_fmtVcpus(char *buf, size_t len, const DomainRow *r)
{
    snprintf(buf, len, "%u", r->d->vcpus);
}

static void Columns_fmtNetTx(char *buf, size_t len, const DomainRow *r)
{
    snprintf(buf, len, "%" PRIu64, r->d->net_tx_bytes / 1024);
}

static void Columns_fmtNetRx(char *buf, size_t len, const DomainRow *r)
{
    snprintf(buf, len, "%" PRIu64, r->d->net_rx_bytes / 1024);
}

static void Columns_fmtTxRate(char *buf, size_t len, const DomainRow *r)
{
    snprintf(buf, len, "%.1f", r->rate.net_tx_kibs);
}

static void Columns_fmtRxRate(char *buf, size_t len, const DomainRow *r)
{
    snprintf(buf, len, "%.1f", r->rate.net_rx_kibs);
}

static void Columns_fmtVbdRd(char *buf, size_t len, const DomainRow *r)
{
    snprintf(buf, len, "%" PRIu64, r->d->vbd_rd_reqs);
}

static void Columns_fmtVbdWr(char *buf, size_t len, const DomainRow *r)
{
    snprintf(buf, len, "%" PRIu64, r->d->vbd_wr_reqs);
}

static void Columns_fmtRdRate(char *buf, size_t len, const DomainRow *r)
{
    snprintf(buf, len, "%.1f", r->rate.vbd_rd_ps);
}

static void Columns_fmtWrRate(char *buf, size_t len, const DomainRow *r)
{
    snprintf(buf, len, "%.1f", r->rate.vbd_wr_ps);
}

static void Columns_fmtImage(char *buf, size_t len, const DomainRow *r)
{
    snprintf(buf, len, "%s", r->image);
}

static void Columns_fmtType(char *buf, size_t len, const DomainRow *r)
{
    snprintf(buf, len, "%s", r->type);
}

void Columns_uptime(int64_t seconds, char *buf, size_t len)
{
    int64_t m = seconds / 60;
    int64_t h = seconds / 3600;

    if (seconds < 0)
        snprintf(buf, len, "-");
    else if (seconds < 60)
        snprintf(buf, len, "%" PRId64 "s", seconds);
    else if (seconds < 3600)
        snprintf(buf, len, "%" PRId64 "m%02" PRId64 "s", m, seconds % 60);
    else if (seconds < 86400)
        snprintf(buf, len, "%" PRId64 "h%02" PRId64 "m", h, m % 60);
    else
        snprintf(buf, len, "%" PRId64 "d%02" PRId64 "h", h / 24, h % 24);
}

static void Columns_fmtUptime(char *buf, size_t len, const DomainRow *r)
{
    Columns_uptime(r->uptime_s, buf, len);
}

/* The guest's own view (guestinfo.h): unknown sorts first. */
static int Columns_cmpUsed(const DomainRow *a, const DomainRow *b)
{
    return COLUMNS_CMP(GuestInfo_memUsedMib(a->guest), GuestInfo_memUsedMib(b->guest));
}

static void Columns_fmtUsed(char *buf, size_t len, const DomainRow *r)
{
    GuestInfo_fmtUsed(buf, len, r->guest, r->d->mem_kib);
}

static int Columns_cmpOverlay(const DomainRow *a, const DomainRow *b)
{
    return COLUMNS_CMP(GuestInfo_overlayPct(a->guest), GuestInfo_overlayPct(b->guest));
}

static void Columns_fmtOverlay(char *buf, size_t len, const DomainRow *r)
{
    GuestInfo_fmtOverlay(buf, len, r->guest);
}

static int Columns_cmpText(const DomainRow *a, const DomainRow *b,
                           void (*fmt)(char *, size_t, const GuestInfo *))
{
    char x[64], y[64];

    fmt(x, sizeof x, a->guest);
    fmt(y, sizeof y, b->guest);
    return strcmp(x, y);
}

static int Columns_cmpIp(const DomainRow *a, const DomainRow *b)
{
    return Columns_cmpText(a, b, GuestInfo_fmtIp);
}

static void Columns_fmtIp(char *buf, size_t len, const DomainRow *r)
{
    GuestInfo_fmtIp(buf, len, r->guest);
}

static int Columns_cmpOs(const DomainRow *a, const DomainRow *b)
{
    return Columns_cmpText(a, b, GuestInfo_fmtOs);
}

static void Columns_fmtOs(char *buf, size_t len, const DomainRow *r)
{
    GuestInfo_fmtOs(buf, len, r->guest);
}

const Column Columns_all[] = {
    {"NAME", 16, true, Columns_cmpName, Columns_fmtName},
    {"ID", 5, false, Columns_cmpId, Columns_fmtId},
    {"STATE", 6, true, Columns_cmpState, Columns_fmtState},
    {"CPU(sec)", 8, false, Columns_cmpCpuSec, Columns_fmtCpuSec},
    {"CPU(%)", 6, false, Columns_cmpCpuPct, Columns_fmtCpuPct},
    {"MEM(k)", 10, false, Columns_cmpMem, Columns_fmtMem},
    {"MAXMEM(k)", 10, false, Columns_cmpMaxMem, Columns_fmtMaxMem},
    {"VCPUS", 5, false, Columns_cmpVcpus, Columns_fmtVcpus},
    {"NETTX(k)", 9, false, Columns_cmpNetTx, Columns_fmtNetTx},
    {"NETRX(k)", 9, false, Columns_cmpNetRx, Columns_fmtNetRx},
    {"TX(k/s)", 8, false, Columns_cmpTxRate, Columns_fmtTxRate},
    {"RX(k/s)", 8, false, Columns_cmpRxRate, Columns_fmtRxRate},
    {"VBD_RD", 8, false, Columns_cmpVbdRd, Columns_fmtVbdRd},
    {"VBD_WR", 8, false, Columns_cmpVbdWr, Columns_fmtVbdWr},
    {"RD/s", 7, false, Columns_cmpRdRate, Columns_fmtRdRate},
    {"WR/s", 7, false, Columns_cmpWrRate, Columns_fmtWrRate},
    {"IMAGE", 5, true, Columns_cmpImage, Columns_fmtImage},
    {"TYPE", 4, true, Columns_cmpType, Columns_fmtType},
    {"UPTIME", 6, false, Columns_cmpUptime, Columns_fmtUptime},
    {"USED", 8, false, Columns_cmpUsed, Columns_fmtUsed},
    {"OVERLAY", 7, false, Columns_cmpOverlay, Columns_fmtOverlay},
    {"IP", 15, true, Columns_cmpIp, Columns_fmtIp},
    {"OS", 9, true, Columns_cmpOs, Columns_fmtOs},
};

const size_t Columns_count = sizeof Columns_all / sizeof Columns_all[0];

const Column *Columns_find(const char *header)
{
    size_t i;

    for (i = 0; i < Columns_count; i++) {
        if (strcasecmp(Columns_all[i].header, header) == 0)
            return &Columns_all[i];
    }
    return NULL;
}

/* Insertion sort: stable, and the rows are a few hundred at most. */
void Columns_sort(DomainRow *rows, size_t count, const Column *by, bool descending)
{
    size_t i;

    for (i = 1; i < count; i++) {
        DomainRow row = rows[i];
        size_t j = i;

        while (j > 0) {
            int c = by->compare(&rows[j - 1], &row);

            if (descending ? c >= 0 : c <= 0)
                break;
            rows[j] = rows[j - 1];
            j--;
        }
        rows[j] = row;
    }
}

/* CELL padded to COL's width; the last column gets no trailing spaces. */
static void Columns_writeCell(FILE *f, const Column *col, const char *cell)
{
    bool last = col == &Columns_all[Columns_count - 1];

    if (col != &Columns_all[0])
        fputc(' ', f);
    if (!col->left)
        fprintf(f, "%*s", col->width, cell);
    else if (last)
        fputs(cell, f);
    else
        fprintf(f, "%-*s", col->width, cell);
}

void Columns_writeHeader(FILE *f)
{
    size_t i;

    for (i = 0; i < Columns_count; i++)
        Columns_writeCell(f, &Columns_all[i], Columns_all[i].header);
    fputc('\n', f);
}

void Columns_writeRow(FILE *f, const DomainRow *r)
{
    char cell[COLUMNS_CELL_MAX];
    size_t i;

    for (i = 0; i < Columns_count; i++) {
        Columns_all[i].format(cell, sizeof cell, r);
        Columns_writeCell(f, &Columns_all[i], cell);
    }
    fputc('\n', f);
}
