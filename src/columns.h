/* columns.h: the columns of the domain table (xentop style), each one
 * {header, width, alignment, compare, format}.  `xenlive top --batch`
 * prints with them; the TUI draws and sorts with the same table. */
#ifndef XENLIVE_COLUMNS_H
#define XENLIVE_COLUMNS_H

#include "guestinfo.h"
#include "history.h"
#include "stats.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* One line of the table: a domain's sample, its rates, its image, its
 * type and how long it has been running. */
typedef struct DomainRow {
    const DomainSample *d;
    DomainRates rate;
    const char *image;          /* the catalog image it was launched from, or "-" */
    const char *type;           /* "pv", "pvh" (Guests_type), or "-" */
    int64_t uptime_s;           /* Stats_uptime: -1 when unknown */
    const History *cpu_history; /* its CPU % values, for a sparkline */
    const GuestInfo *guest;     /* what its agent says (USED, OVERLAY, IP, OS); NULL: "-" */
    const char *crash;          /* a crashed guest's row (crashes.h): "crash"; else NULL */
} DomainRow;

typedef struct Column {
    const char *header;
    int width;                  /* the least width; longer text is not cut */
    bool left;                  /* left-aligned (text) rather than right (numbers) */
    /* <0, 0, >0 as A sorts before, with, after B (ascending). */
    int (*compare)(const DomainRow *a, const DomainRow *b);
    /* The cell's text, unpadded. */
    void (*format)(char *buf, size_t len, const DomainRow *r);
} Column;

/* UPTIME's text, at most 6 characters below 100 days: "45s", "12m05s",
 * "3h07m", "12d03h" (the two largest units); "-" when SECONDS is
 * negative (unknown). */
void Columns_uptime(int64_t seconds, char *buf, size_t len);

/* Every column, in the order top --batch prints them. */
extern const Column Columns_all[];
extern const size_t Columns_count;

/* The column with HEADER (case does not matter), or NULL. */
const Column *Columns_find(const char *header);

/* Sort ROWS by BY, ascending or descending.  The sort is stable: rows
 * that compare equal keep their order. */
void Columns_sort(DomainRow *rows, size_t count, const Column *by, bool descending);

/* The header line, and one row's line, of all the columns: cells padded
 * to their width, one space apart, no trailing spaces. */
void Columns_writeHeader(FILE *f);
void Columns_writeRow(FILE *f, const DomainRow *r);

#endif
