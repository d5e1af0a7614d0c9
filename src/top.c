/* top.c: samples, rates and histories across refreshes; top --batch. */
#include "top.h"

#include "crashes.h"

#include "guests.h"
#include "util.h"

#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static Status TopOptions_delay(const char *value, double *out, char *err, size_t errlen)
{
    char *end;

    *out = strtod(value, &end);
    if (end == value || *end || !isfinite(*out) || *out <= 0.0 || *out > TOP_DELAY_MAX_S) {
        snprintf(err, errlen, "-d: SECONDS must be a number above 0 and at most %.0f, not '%s'",
                 TOP_DELAY_MAX_S, value);
        return STATUS_USAGE;
    }
    return STATUS_OK;
}

Status TopOptions_parse(TopOptions *o, int argc, char **argv, char *err, size_t errlen)
{
    static const struct option options[] = {
        {"batch", no_argument, NULL, 'b'},
        {NULL, 0, NULL, 0},
    };
    Status st = STATUS_OK;
    int opt;

    memset(o, 0, sizeof *o);
    o->delay_s = 1.0;
    optind = 0; /* glibc: start afresh, so a caller may parse twice */
    opterr = 0;
    while (st == STATUS_OK && (opt = getopt_long(argc, argv, ":bd:i:s:r", options, NULL)) != -1) {
        switch (opt) {
        case 'b':
            o->batch = true;
            break;
        case 'd':
            st = TopOptions_delay(optarg, &o->delay_s, err, errlen);
            break;
        case 'i':
            if (!Util_parseUnsigned(optarg, &o->iterations) || o->iterations < 1) {
                snprintf(err, errlen,
                         "-i: ITERATIONS must be a whole number of at least 1, not '%s'", optarg);
                st = STATUS_USAGE;
            }
            break;
        case 's':
            o->sort = Columns_find(optarg);
            if (!o->sort) {
                snprintf(err, errlen, "-s: no column '%s' (see xenlive help top)", optarg);
                st = STATUS_USAGE;
            }
            break;
        case 'r':
            o->descending = true;
            break;
        default: /* ':' or '?' */
            Util_getoptError(opt, argv, err, errlen);
            st = STATUS_USAGE;
        }
    }
    if (st == STATUS_OK && optind != argc) {
        snprintf(err, errlen, "top takes no argument '%s' (see xenlive help top)", argv[optind]);
        st = STATUS_USAGE;
    }
    return st;
}

/* The crashed guests' records whose name no domain of SAMPLE has, as
 * samples: *OUT (freed by the caller; NULL when none), *COUNT of them. */
static void Top_crashes(const Paths *paths, const Sample *sample, DomainSample **out,
                        size_t *count)
{
    static CrashList list;
    size_t i;
    size_t j;

    *out = NULL;
    *count = 0;
    Crashes_list(paths, &list);
    if (list.count == 0 || !(*out = calloc(list.count, sizeof **out)))
        return;
    for (i = 0; i < list.count; i++) {
        bool running = false;

        for (j = 0; j < sample->count && !running; j++)
            running = strcmp(sample->domains[j].name, list.items[i].name) == 0;
        if (running)
            continue;
        snprintf((*out)[*count].name, sizeof (*out)[*count].name, "%s", list.items[i].name);
        /* xl's flag for a crashed domain; the row shows the record's word. */
        snprintf((*out)[*count].state, sizeof (*out)[*count].state, "----c-");
        (*count)++;
    }
}

Status Top_update(Top *t, Backend *be, const Catalog *c, const Paths *paths, char *err,
                  size_t errlen)
{
    Sample next = {0};
    DomainSample *crashed = NULL;
    size_t ncrashed = 0;
    TopDomain *domains = NULL;
    DomainRow *rows = NULL;
    GuestInfo *guests = NULL;
    uint32_t *ids = NULL;
    Status st = STATUS_ERROR;
    size_t i;

    if (be->sample(be, &next, err, errlen) < 0)
        goto out;
    if (paths)
        Top_crashes(paths, &next, &crashed, &ncrashed);
    domains = calloc(next.count + ncrashed + 1, sizeof *domains);
    rows = calloc(next.count + ncrashed + 1, sizeof *rows);
    guests = calloc(next.count ? next.count : 1, sizeof *guests);
    ids = calloc(next.count ? next.count : 1, sizeof *ids);
    if (!domains || !rows || !guests || !ids) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    for (i = 0; i < next.count; i++) {
        const DomainSample *d = &next.domains[i];
        const DomainSample *prev = t->sampled ? Sample_find(&t->sample, d->id, d->name) : NULL;
        const Image *img = c ? Guests_image(d->name, c) : NULL;

        if (prev)
            domains[i] = t->domains[prev - t->sample.domains];
        if (!domains[i].type && paths)
            domains[i].type = Guests_type(paths, d->name);
        rows[i].d = d;
        rows[i].image = img ? img->name : "-";
        rows[i].type = domains[i].type ? domains[i].type : "-";
        rows[i].uptime_s = Stats_uptime(d, &next);
        rows[i].cpu_history = &domains[i].cpu;
        rows[i].guest = &guests[i];
        ids[i] = d->id;
        Stats_rates(prev, t->sample.wall_ns, d, &next, &rows[i].rate);
        if (rows[i].rate.has_rate)
            History_push(&domains[i].cpu, rows[i].rate.cpu_pct);
    }
    for (i = 0; i < ncrashed; i++) {
        const Image *img = c ? Guests_image(crashed[i].name, c) : NULL;
        DomainRow *r = &rows[next.count + i];

        r->d = &crashed[i];
        r->image = img ? img->name : "-";
        r->type = "-";
        r->uptime_s = -1;
        r->cpu_history = &domains[next.count + i].cpu;
        r->guest = NULL;
        r->crash = "crash"; /* STATE is six wide in the TUI; a watchdog reset too */
    }
    {
        char gerr[256];
        /* Unreadable xenstore leaves every guest "-"; the view goes on. */
        (void)GuestInfo_read(be, ids, next.count, (int64_t)next.now_s, guests, gerr,
                             sizeof gerr);
    }
    Top_free(t);
    t->sample = next;
    t->sampled = true;
    t->domains = domains;
    t->rows = rows;
    t->guests = guests;
    t->crashed = crashed;
    t->crashed_count = ncrashed;
    t->count = next.count + ncrashed;
    crashed = NULL;
    domains = NULL;
    rows = NULL;
    guests = NULL;
    next.domains = NULL;
    st = STATUS_OK;
out:
    free(domains);
    free(rows);
    free(guests);
    free(ids);
    free(crashed);
    Sample_free(&next);
    return st;
}

void Top_sort(Top *t, const Column *by, bool descending)
{
    Columns_sort(t->rows, t->count, by, descending);
}

void Top_free(Top *t)
{
    Sample_free(&t->sample);
    free(t->domains);
    free(t->rows);
    free(t->guests);
    free(t->crashed);
    memset(t, 0, sizeof *t);
}

Status Top_batch(Backend *be, const Catalog *c, const Paths *paths, const TopOptions *o,
                 FILE *out, char *err, size_t errlen)
{
    Top top = {0};
    Status st = STATUS_OK;
    unsigned n;
    size_t i;

    for (n = 0; o->iterations == 0 || n < o->iterations; n++) {
        if (n > 0)
            be->sleep_ns(be, (uint64_t)(o->delay_s * 1e9));
        st = Top_update(&top, be, c, paths, err, errlen);
        if (st != STATUS_OK)
            break;
        if (o->sort)
            Top_sort(&top, o->sort, o->descending);
        Columns_writeHeader(out);
        for (i = 0; i < top.count; i++)
            Columns_writeRow(out, &top.rows[i]);
        fflush(out);
    }
    Top_free(&top);
    return st;
}
