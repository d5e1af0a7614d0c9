/* top.h: what `xenlive top` shows, kept across refreshes: the last
 * sample, each domain's rates since the sample before it, and each
 * domain's CPU % history.  Top_batch is `xenlive top --batch`; the TUI
 * will call Top_update and draw Top.rows with the column table. */
#ifndef XENLIVE_TOP_H
#define XENLIVE_TOP_H

#include "backend.h"
#include "catalog.h"
#include "columns.h"
#include "history.h"
#include "paths.h"
#include "stats.h"
#include "status.h"

#include <stdbool.h>
#include <stdio.h>

/* What Top keeps about one domain from one sample to the next. */
typedef struct TopDomain {
    History cpu;          /* its CPU % */
    const char *type;     /* from its config, read once; NULL: none found yet */
} TopDomain;

typedef struct Top {
    Sample sample;       /* the last one */
    bool sampled;        /* there is a last sample */
    TopDomain *domains;  /* one per sample.domains item, same order */
    DomainRow *rows;     /* one per sample.domains item, in display order */
    GuestInfo *guests;   /* one per sample.domains item, same order as domains */
    /* Guests that crashed (crashes.h), after the domains' rows: no
     * domain, ID "-", STATE "crash"; their rows come after the domains'. */
    DomainSample *crashed;
    size_t crashed_count;
    size_t count;        /* rows: sample.count + crashed_count */
} Top;

/* Take a new sample from BE and make the rows: rates against the last
 * sample (0, and has_rate false, for the first sample and for a domain
 * that is new since), the CPU % histories, the image from C, the type
 * from the configs in PATHS' domains folder (C and PATHS may be NULL:
 * "-"; a domain's config is read until it gives a type, then no more),
 * the uptime, and what each guest's agent says (GuestInfo_read: one
 * batch of xenstore reads per update; unreadable is "-", never an error).
 * Domains that went away are dropped, histories included.  With PATHS,
 * a row per crashed guest record (crashes.h) whose name has no domain
 * follows, its STATE "crash" (the TUI's column is six wide). */
Status Top_update(Top *t, Backend *be, const Catalog *c, const Paths *paths, char *err,
                  size_t errlen);
void Top_sort(Top *t, const Column *by, bool descending);
void Top_free(Top *t);

#define TOP_DELAY_MAX_S 86400.0

typedef struct TopOptions {
    bool batch;           /* --batch: print lines, no TUI */
    double delay_s;       /* between samples; > 0, default 1 */
    unsigned iterations;  /* 0: for ever */
    const Column *sort;   /* NULL: Xen's order (by id) */
    bool descending;
} TopOptions;

/* Parse the arguments of "top" (ARGV[0] is the command name):
 * [--batch|-b] [-d SECONDS] [-i ITERATIONS] [-s COLUMN] [-r]. */
Status TopOptions_parse(TopOptions *o, int argc, char **argv, char *err, size_t errlen);

/* `xentop -b`: every O->delay_s, the header line and one line per domain
 * on OUT, O->iterations times.  Sleeps with BE->sleep_ns. */
Status Top_batch(Backend *be, const Catalog *c, const Paths *paths, const TopOptions *o,
                 FILE *out, char *err, size_t errlen);

#endif
