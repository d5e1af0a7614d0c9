/* sparkline.h: a History as a line of ASCII characters, one per value,
 * from " " (0) up to "@" (the scale), so that it reads the same on a
 * serial console without UTF-8 or colour. */
#ifndef XENLIVE_SPARKLINE_H
#define XENLIVE_SPARKLINE_H

#include "history.h"

#include <stddef.h>

/* From low to high; a value gets the level round(value / scale * 9). */
#define SPARKLINE_LEVELS " .:-=+*#%@"

/* The newest WIDTH values of H, right-aligned (older than the history
 * is blank), into BUF (WIDTH + 1 bytes at least, else it is cut).  The
 * scale is 100 (one busy CPU), or the largest value shown when that is
 * more, so a 2-vCPU guest at 200 % still fits. */
void Sparkline_format(const History *h, size_t width, char *buf, size_t len);

#endif
