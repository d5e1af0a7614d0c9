/* sparkline.c: a History as ASCII levels. */
#include "sparkline.h"

#include <math.h>

void Sparkline_format(const History *h, size_t width, char *buf, size_t len)
{
    static const char levels[] = SPARKLINE_LEVELS;
    const size_t top = sizeof levels - 2; /* the highest level's index */
    size_t count = History_count(h);
    size_t shown;
    size_t first;
    double scale = 100.0;
    size_t i;

    if (len == 0)
        return;
    if (width > len - 1)
        width = len - 1;
    shown = count < width ? count : width;
    first = count - shown; /* the oldest value shown */
    for (i = first; i < count; i++) {
        if (History_get(h, i) > scale)
            scale = History_get(h, i);
    }
    for (i = 0; i < width; i++) {
        size_t from_end = width - i; /* 1: the newest */
        double v;
        long level;

        if (from_end > shown) {
            buf[i] = ' ';
            continue;
        }
        v = History_get(h, count - from_end);
        /* NaN or a negative value (never from Stats_rates) is idle. */
        level = isfinite(v) && v > 0 ? (long)(v / scale * (double)top + 0.5) : 0;
        if (level < 0)
            level = 0;
        if ((size_t)level > top)
            level = (long)top;
        /* 1 % and more shows, so an idle guest differs from a light one. */
        if (level == 0 && v >= 1.0)
            level = 1;
        buf[i] = levels[level];
    }
    buf[width] = '\0';
}
