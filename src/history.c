/* history.c: a ring buffer of the last HISTORY_LEN values. */
#include "history.h"

void History_push(History *h, double value)
{
    if (h->count < HISTORY_LEN) {
        h->values[(h->start + h->count) % HISTORY_LEN] = value;
        h->count++;
        return;
    }
    h->values[h->start] = value;
    h->start = (h->start + 1) % HISTORY_LEN;
}

size_t History_count(const History *h)
{
    return h->count;
}

double History_get(const History *h, size_t i)
{
    return h->values[(h->start + i) % HISTORY_LEN];
}
