/* command.h: run a program (xl) and keep what it printed. */
#ifndef XENLIVE_COMMAND_H
#define XENLIVE_COMMAND_H

#include <stdbool.h>
#include <stddef.h>

/* Run ARGV (looked up in PATH) with stdout and stderr captured into
 * OUTPUT (truncated to LEN).  Returns the exit status, 128 + the signal
 * if it was killed, or -1 if it could not be started (OUTPUT says why). */
int Command_run(char *const argv[], char *output, size_t len);

/* Command_run, but in a new session (no controlling terminal: dbclient
 * cannot ask for a password on it), with INPUT on the program's stdin
 * (NULL: /dev/null; at most 60 KiB, which fits a pipe) and, when
 * PASSWORD is not NULL, DROPBEAR_PASSWORD=PASSWORD in its environment
 * (dbclient(1) reads the password from it). */
int Command_runInput(char *const argv[], const char *password, const char *input, char *output,
                     size_t len);

/* The line of OUTPUT that says what went wrong: the first one with
 * "error" in it, else the first that says something (not blank, and not
 * xl's progress chatter: "Parsing config from ...", "Loading new save
 * file ...", "Savefile contains ...", "Saving to ...", "xc: info: ...").
 * False if there is none. */
bool Command_summary(const char *output, char *line, size_t len);

#endif
