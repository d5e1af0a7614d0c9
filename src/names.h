/* names.h: guest names, IMAGE-N. */
#ifndef XENLIVE_NAMES_H
#define XENLIVE_NAMES_H

#include "domlist.h"
#include "paths.h"

#include <stdbool.h>
#include <stddef.h>

/* IMAGE-N with the smallest N (from 1) that is neither a running domain,
 * nor the name of a config left in the domains folder, nor a saved guest
 * (its restore brings that name back). */
int Names_next(const char *image, const DomainList *running, const Paths *paths, char *out,
               size_t len);

/* The IMAGE of a name IMAGE-N (N all digits), or false. */
bool Names_split(const char *name, char *image, size_t len);

#endif
