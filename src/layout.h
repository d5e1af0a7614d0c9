/* layout.h: the TUI's domain table: which columns, in which order, and
 * how many fit in a terminal's width.  The columns are columns.c's
 * (the same headers, compare and format as top --batch), plus two of the
 * TUI's own: the CPU sparkline and MEM(MiB).  At 80 columns: ID NAME
 * IMAGE TYPE STATE VCPUS CPU(%) sparkline MEM(MiB) UPTIME; wider, the
 * guest's own view (USED OVERLAY IP OS), then the rates. */
#ifndef XENLIVE_LAYOUT_H
#define XENLIVE_LAYOUT_H

#include "columns.h"

#include <stdbool.h>
#include <stddef.h>

#define LAYOUT_MAX 20
/* The sparkline shows at least this many seconds, at most HISTORY_LEN. */
#define LAYOUT_SPARK_MIN 10

/* The TUI's columns, left to right; the rightmost go first when the
 * terminal is narrow. */
size_t Layout_count(void);
const Column *Layout_column(size_t i);
/* The sparkline column: drawn with Sparkline_format, sorted by CPU %. */
bool Layout_isSpark(const Column *col);

typedef struct Layout {
    const Column *cols[LAYOUT_MAX];
    int widths[LAYOUT_MAX];
    size_t count;
} Layout;

/* The columns that fit in WIDTH characters, one space apart.  Space left
 * over widens the sparkline, up to a minute of history. */
void Layout_fit(Layout *l, int width);

#endif
