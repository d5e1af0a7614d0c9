/* history.h: the last HISTORY_LEN values of one number (a domain's CPU %),
 * oldest first, for a sparkline.  A ring buffer: the 61st value pushes
 * out the first. */
#ifndef XENLIVE_HISTORY_H
#define XENLIVE_HISTORY_H

#include <stddef.h>

#define HISTORY_LEN 60

typedef struct History {
    double values[HISTORY_LEN];
    size_t start; /* index of the oldest value */
    size_t count;
} History;

void History_push(History *h, double value);
size_t History_count(const History *h);
/* The I-th value, 0 the oldest; I < History_count. */
double History_get(const History *h, size_t i);

#endif
