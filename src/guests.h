/* guests.h: the running domains as xenlive shows them, and destroy. */
#ifndef XENLIVE_GUESTS_H
#define XENLIVE_GUESTS_H

#include "backend.h"
#include "catalog.h"
#include "domlist.h"
#include "paths.h"
#include "status.h"

#include <stdbool.h>
#include <stdio.h>

/* The catalog image a domain named IMAGE-N was launched from. */
const Image *Guests_image(const char *name, const Catalog *c);

void Guests_writeTable(FILE *f, const DomainList *l, const Catalog *c);
void Guests_writeJson(FILE *f, const DomainList *l, const Catalog *c);

/* xl destroy NAME, then remove its config. */
Status Guests_destroy(Backend *be, const Paths *paths, const char *name, char *err,
                      size_t errlen);

#endif
