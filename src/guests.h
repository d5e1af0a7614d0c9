/* guests.h: the running domains as xenlive shows them, and what the
 * command line and the TUI both do to one guest: destroy, stop, save,
 * pause, memory, console; and the reaping of configs whose domain is gone.
 * Each operation is one function here, so that the two cannot drift
 * (launch is launch.h's, restore Saves_restore). */
#ifndef XENLIVE_GUESTS_H
#define XENLIVE_GUESTS_H

#include "backend.h"
#include "catalog.h"
#include "domlist.h"
#include "guestinfo.h"
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
/* JSON: one object per domain; with GUESTS (one per item of L, or NULL)
 * also mem_used_mib, mem_used_pct, overlay_used_pct, ip, os
 * (GuestInfo_writeJson: null when unknown). */
void Guests_writeJson(FILE *f, const DomainList *l, const Catalog *c, const Paths *paths,
                      const GuestInfo *guests);

/* The guest NAME in DOMAINS (listed here; the caller frees it), or NULL
 * with ERR: unknown ("no domain named NAME"; then *UNKNOWN is set), or
 * Domain-0 ("Domain-0 is dom0, which " WHY, such as "cannot be
 * stopped"), or the domains cannot be listed. */
const Domain *Guests_guest(Backend *be, const char *name, const char *why, DomainList *domains,
                           bool *unknown, char *err, size_t errlen);

/* xl destroy NAME through BE.  A failure after which NAME is no domain
 * any more counts as done: its xl monitor was tearing it down at the same
 * moment, the two ran the hotplug scripts at once, and the second
 * reported the first's work as an error ("/etc/xen/scripts/block remove
 * exited with error status 1").  -1 with ERR when NAME still runs. */
int Guests_destroyDomain(Backend *be, const char *name, char *err, size_t errlen);

/* xl destroy NAME at once, then remove its config so the name is free
 * again.  Refuses Domain-0.  An unknown NAME is STATUS_ERROR ("no domain
 * named NAME"), after removing a config left for it (ERR then says so).
 * Works under Guests_lock, so it waits for a launch under way (of NAME:
 * until its xl create has returned) and no launch takes the name before
 * the config is gone; ERR "cannot lock FOLDER: REASON" when it cannot. */
Status Guests_destroy(Backend *be, const Paths *paths, const char *name, char *err,
                      size_t errlen);

/* Stop the guest NAME gracefully: xl shutdown (the guest powers off).
 * With WAIT (xenlive stop), xl shutdown -w: xl returns once the guest has
 * shut down; then wait up to a minute for the domain to be gone and
 * remove its config, so the name is free again (a domain still there
 * afterwards, one that rebooted, keeps its config: STATUS_ERROR).  A
 * domain still shut down (state s) after 5 s has lost its xl monitor
 * (killed): it is destroyed.  WAIT works under Guests_lock, as
 * Guests_destroy (a launch waits for the stop).  Without WAIT (the TUI's s) return at once: the domain is still there,
 * and Guests_reap removes its config once it is gone.  Refuses Domain-0
 * and unknown names (ERR as Guests_guest's). */
Status Guests_stop(Backend *be, const Paths *paths, const char *name, bool wait, char *err,
                   size_t errlen);

/* After each domain of Guests_stopAll and Guests_saveAll: ERR is its one-line reason when ST
 * is not STATUS_OK. */
typedef void (*GuestsStopCallback)(const char *name, Status st, const char *err, void *data);

/* Guests_stop, waiting, every domain but Domain-0, one after the
 * other, calling ON_STOPPED after each.  STATUS_ERROR when any failed
 * (ERR: "1 of 3 guests did not stop"), or when the domains cannot be
 * listed (ERR says why; no callback ran). */
Status Guests_stopAll(Backend *be, const Paths *paths, GuestsStopCallback on_stopped,
                      void *data, char *err, size_t errlen);

/* Saves_save NAME with its current memory (xl save to the data volume,
 * or RAM without one: the domain is gone afterwards), then remove its
 * config from the domains folder (the save keeps a copy).  Refuses
 * Domain-0, unknown names, a NAME that already has a save, and a save
 * that does not fit (the guest keeps running; see Saves_save). */
Status Guests_save(Backend *be, const Paths *paths, const char *name, char *err,
                   size_t errlen);

/* Guests_save every domain but Domain-0, one after the other (xenlive
 * save --all, the TUI's W: for switching off at the end of a class),
 * calling ON_SAVED after each.  STATUS_ERROR when any failed (ERR: "1 of
 * 3 guests were not saved"; the others are saved), or when the domains
 * cannot be listed (no callback ran).  No guests: STATUS_OK. */
Status Guests_saveAll(Backend *be, const Paths *paths, GuestsStopCallback on_saved, void *data,
                      char *err, size_t errlen);

/* xl pause NAME, or with PAUSE false xl unpause NAME.  Refuses Domain-0
 * and unknown names; ERR is xl's line when it fails. */
Status Guests_pause(Backend *be, const char *name, bool pause, char *err, size_t errlen);

/* xl mem-set NAME MIBm: the guest's balloon target, in MiB.  Refuses
 * Domain-0 and unknown names; ERR is xl's line when it fails. */
Status Guests_memSet(Backend *be, const char *name, unsigned mib, char *err, size_t errlen);

/* xl console NAME on the caller's terminal until the user leaves it
 * (Ctrl-]), after checking that NAME is a guest (not Domain-0). */
Status Guests_console(Backend *be, const char *name, char *err, size_t errlen);

/* The domains folder's lock (flock on the folder, created when missing),
 * held by Launch_one from picking a name to the end of xl create, and by
 * Guests_reap while it looks: a config written for a domain that xl has
 * not created yet is never taken for a stale one.  Also held by
 * Guests_destroy, Guests_stop (waiting), Saves_restore (from putting the
 * config back to the end of xl restore) and the migrate side that
 * receives (Migrate_take, Migrate_drop): every change of which names
 * are taken.  Not reentrant: a holder must not call one of these.  Returns the folder's
 * descriptor, which the caller closes to unlock; -1 with ERR when the
 * folder cannot be created, opened or locked.  Waits for the lock. */
int Guests_lock(const Paths *paths, char *err, size_t errlen);

/* Remove each NAME.cfg in the domains folder whose domain NAME is not
 * running and that is not a save's (Saves_exists: a saved guest keeps
 * its name until it is restored), so that the name is free again.  A
 * domain may go without xenlive's help: its guest powered off or
 * crashed, or the TUI's s did not wait.  Works under Guests_lock: with
 * WAIT it waits for it; without (the TUI's refresh), it removes nothing
 * while a launch holds it (STATUS_OK; the next call reaps).  No domains
 * folder: nothing to do.  STATUS_ERROR when the domains cannot be listed
 * or a config cannot be removed (ERR names the last; the others are
 * still removed). */
Status Guests_reap(Backend *be, const Paths *paths, bool wait, char *err, size_t errlen);

#endif
