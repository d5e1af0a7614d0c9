/* crashes.h: what is left of a guest that crashed.
 *
 * The policy (README, Guests): every guest's xl config says
 * on_crash = "destroy", so xl's monitor destroys a crashed domain at once
 * and its memory, loop device, vif and console go with it.  xenlive then
 * keeps a one-line record, RUN/crashed/NAME, so that list, list --json,
 * top and the TUI show the guest as crashed instead of letting it vanish.
 * The record goes when NAME is launched or restored again, or with
 * `xenlive destroy NAME`.
 *
 * How the crash is known: xl's monitor process of NAME logs each shutdown
 * to xl-NAME.log in Xen's log folder (the folder above the console logs),
 * "Domain 5 has shut down, reason code 3 0x3", with libxl's reason codes
 * (3 crash, 4 watchdog); a destroy logs no such line.  Guests_reap, which
 * notices that a domain is gone, reads it and writes the record. */
#ifndef XENLIVE_CRASHES_H
#define XENLIVE_CRASHES_H

#include "paths.h"
#include "stats.h"
#include "status.h"

#include <stddef.h>
#include <stdint.h>

#define CRASHES_REASON_CRASH 3    /* LIBXL_SHUTDOWN_REASON_CRASH */
#define CRASHES_REASON_WATCHDOG 4 /* LIBXL_SHUTDOWN_REASON_WATCHDOG */
#define CRASHES_MAX 256           /* records listed; more are left out */

typedef struct Crash {
    char name[STATS_NAME_MAX + 1];
    char what[16];  /* "crashed" or "watchdog" */
    int64_t when_s; /* when the record was written, Unix seconds */
} Crash;

typedef struct CrashList {
    Crash items[CRASHES_MAX];
    size_t count; /* sorted by name */
} CrashList;

/* The reason code of the last shutdown of NAME's latest domain, from
 * xl-NAME.log (lines after its last "Waiting for domain" line, which xl
 * writes for each domain it watches); -1 when there is none (the domain
 * was destroyed, or no log). */
int Crashes_lastReason(const Paths *paths, const char *name);

/* Write NAME's record ("WHAT WHEN_S\n", temp file + rename) in the
 * crashed folder, creating it.  STATUS_ERROR with ERR when it cannot be
 * written (a name that is not a plain file name, a full /run). */
Status Crashes_record(const Paths *paths, const char *name, const char *what, int64_t when_s,
                      char *err, size_t errlen);

/* Remove NAME's record; true when there was one. */
bool Crashes_clear(const Paths *paths, const char *name);

/* NAME's record into *C; false when there is none or it is unreadable. */
bool Crashes_find(const Paths *paths, const char *name, Crash *c);

/* Every record, sorted by name (none when the folder is missing). */
void Crashes_list(const Paths *paths, CrashList *l);

#endif
