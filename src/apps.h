/* apps.h: applications started inside guests over SSH (dom0's dbclient,
 * GuestSsh_argv; the guest's host key from its console, GuestSsh_refresh).
 * Each image lists its applications in guest-images/NAME/apps, shipped
 * as IMAGES/NAME/apps: one "NAME|DESCRIPTION|COMMAND" a line, '#'
 * comments; the guest runs COMMAND with sh -c, ARGS as $1....  Both the
 * commands (xenlive run, xenlive exec) and the TUI (a, A) call these;
 * nothing here prints. */
#ifndef XENLIVE_APPS_H
#define XENLIVE_APPS_H

#include "backend.h"
#include "paths.h"
#include "status.h"

#include <stddef.h>

#define APP_NAME_MAX 32

typedef struct GuestApp {
    char name[APP_NAME_MAX + 1];
    char description[160];
    char command[2048];
} GuestApp;

typedef struct AppList {
    GuestApp *items;
    size_t count;
} AppList;

/* The applications of IMAGE (PATHS' images folder, IMAGE/apps).  IMAGE
 * not a plain name ([a-z0-9_-]) or not in the folder: STATUS_ERROR, "no
 * image named IMAGE".  No apps file: an empty list, STATUS_OK.  A line without two '|', or a name that is
 * empty, too long or not [a-z0-9_-]: STATUS_ERROR, "IMAGE/apps line N: ...". */
Status Apps_load(const Paths *paths, const char *image, AppList *out, char *err, size_t errlen);
const GuestApp *Apps_find(const AppList *l, const char *name);
/* "web, cpu-burn, mem-fill" (at most LEN - 1 characters); "none" when empty. */
void Apps_names(const AppList *l, char *out, size_t len);
void AppList_free(AppList *l);

/* WORD quoted for a POSIX shell ('...', with ' as '\''), appended to OUT
 * (size LEN); false when it does not fit. */
bool Apps_shellQuote(char *out, size_t len, const char *word);

/* The command line the guest's shell runs to start COMMAND detached, in a
 * session of its own: sh -c COMMAND LABEL ARGS..., stdin /dev/null,
 * output to LOGDIR/xenlive-app-LABEL.log, then `echo $!` (its pid). */
Status Apps_detachLine(const char *label, const char *command, char *const *args, size_t nargs,
                       const char *logdir, char *out, size_t len, char *err, size_t errlen);

/* Run ARGV (dbclient) in a session of its own (so that it can never ask
 * for a password on the terminal), stdin /dev/null, stdout and stderr
 * into *OUTPUT (malloc'd, NUL-terminated; the caller frees it), at most
 * TIMEOUT_S seconds (then it is killed: 128 + 9).  Returns the exit
 * status, 128 + a signal, or -1 when it could not be started (ERR). */
int Apps_capture(char *const argv[], unsigned timeout_s, char **output, char *err,
                 size_t errlen);

/* Seconds a run or exec may take before dbclient is killed. */
#define APPS_TIMEOUT_S 30

/* Start application APP of NAME's image (NAME is IMAGE-N) with ARGS, or,
 * when APP is NULL, the command ARGS (words, each quoted), detached in
 * the guest; *PID is its pid there.  Errors, one line each: "no domain
 * named NAME", "NAME has not printed its SSH host key yet (is it still
 * booting?)", "no application APP for IMAGE (it has: web, cpu-burn)",
 * "NAME refused: <dbclient's or the guest's first line>". */
Status Apps_run(Backend *be, const Paths *paths, const char *name, const char *app,
                char *const *args, size_t nargs, long *pid, char *err, size_t errlen);

/* Run the command WORDS (each quoted) in NAME and wait (APPS_TIMEOUT_S):
 * *OUTPUT its stdout and stderr (malloc'd; the caller frees it), *EXIT its
 * exit status (dbclient passes the guest's on; 255 is dbclient's own
 * failure).  STATUS_ERROR for NAME unknown, no host key, or dbclient not
 * started (ERR). */
Status Apps_exec(Backend *be, const Paths *paths, const char *name, char *const *words,
                 size_t nwords, char **output, int *exit_status, char *err, size_t errlen);

/* Apps_run of APP on every running guest of IMAGE; ON_GUEST gets each
 * outcome (ST, the pid or the error line).  STATUS_ERROR when one failed
 * (ERR: "N of M IMAGE guests failed") or none runs ("no running IMAGE
 * guests"); *STARTED counts the others. */
typedef void (*AppsCallback)(const char *name, Status st, long pid, const char *error,
                             void *data);
Status Apps_runImage(Backend *be, const Paths *paths, const char *image, const char *app,
                     char *const *args, size_t nargs, AppsCallback on_guest, void *data,
                     unsigned *started, char *err, size_t errlen);

/* An interactive SSH shell in NAME on this terminal (dbclient root@NAME,
 * after refreshing its known_hosts line), until the user leaves it.
 * Errors: NAME unknown, no host key yet, dbclient not started, and
 * dbclient's own failure (exit 255: "NAME: the SSH connection failed"). */
Status Apps_shell(Backend *be, const Paths *paths, const char *name, char *err, size_t errlen);

#endif
