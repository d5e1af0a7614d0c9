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

/* The guest type ("pv", "pvh") from the type line of NAME's config in
 * the domains folder; NULL when there is no config or no such line. */
const char *Guests_type(const Paths *paths, const char *name);

/* ID NAME IMAGE TYPE MEMORY VCPUS STATE; the type from Guests_type. */
void Guests_writeTable(FILE *f, const DomainList *l, const Catalog *c, const Paths *paths);
void Guests_writeJson(FILE *f, const DomainList *l, const Catalog *c, const Paths *paths);

/* The guest NAME in DOMAINS (listed here; the caller frees it), or NULL
 * with ERR: unknown ("no domain named NAME"; then *UNKNOWN is set), or
 * Domain-0 ("Domain-0 is dom0, which " WHY, such as "cannot be
 * stopped"), or the domains cannot be listed. */
const Domain *Guests_guest(Backend *be, const char *name, const char *why, DomainList *domains,
                           bool *unknown, char *err, size_t errlen);

/* xl destroy NAME, then remove its config. */
Status Guests_destroy(Backend *be, const Paths *paths, const char *name, char *err,
                      size_t errlen);

/* xl shutdown -w NAME (the guest powers off; xl returns once the domain
 * is gone), then remove its config so the name is free again.  Refuses
 * Domain-0 and unknown names; keeps the config when the domain is still
 * there afterwards. */
Status Guests_stop(Backend *be, const Paths *paths, const char *name, char *err,
                   size_t errlen);

/* After each domain of Guests_stopAll: ERR is its one-line reason when ST
 * is not STATUS_OK. */
typedef void (*GuestsStopCallback)(const char *name, Status st, const char *err, void *data);

/* Guests_stop every domain but Domain-0, one after the other, calling
 * ON_STOPPED after each.  STATUS_ERROR when any failed (ERR: "1 of 3
 * guests did not stop"), or when the domains cannot be listed (ERR says
 * why; no callback ran). */
Status Guests_stopAll(Backend *be, const Paths *paths, GuestsStopCallback on_stopped,
                      void *data, char *err, size_t errlen);

/* Saves_save NAME (xl save to the saves folder: the domain is gone
 * afterwards), then remove its config.  Refuses Domain-0, unknown names
 * and a NAME that already has a save. */
Status Guests_save(Backend *be, const Paths *paths, const char *name, char *err,
                   size_t errlen);

/* xl console NAME, after checking that NAME is a guest (not Domain-0). */
Status Guests_console(Backend *be, const char *name, char *err, size_t errlen);

#endif
