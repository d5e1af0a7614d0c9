/* commands.h: the xenlive subcommands (xl style): a table of
 * {name, fn, usage, help}, and what the command functions share.  The
 * commands parse arguments and print; the work is in the modules. */
#ifndef XENLIVE_COMMANDS_H
#define XENLIVE_COMMANDS_H

#include "backend.h"
#include "paths.h"

#include <stdbool.h>
#include <stdio.h>

typedef struct App {
    Paths paths;
    Backend *backend; /* connected on first use, see App_backend */
} App;

typedef int (*CommandFn)(App *app, int argc, char **argv);

typedef struct Command {
    const char *name;
    CommandFn fn;
    const char *usage;   /* the arguments after "xenlive NAME" */
    const char *help;    /* one line */
    const char *options; /* more lines for "xenlive help NAME", or NULL */
} Command;

const Command *Commands_find(const char *name);
void Commands_printHelp(FILE *f);
void Commands_printUsage(FILE *f, const Command *cmd);

/* "xenlive: " + one line on stderr: control characters (a newline in a
 * name) are printed as '?', and the line is cut at 2047 characters. */
void Commands_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Report a usage error for the command NAME; returns STATUS_USAGE. */
int Commands_usageError(const char *name);

/* Accept no argument or just --json. */
bool Commands_parseJson(int argc, char **argv, bool *json);

/* The Xen backend, connected on the first call; NULL with ERR set when
 * Xen cannot be reached. */
Backend *App_backend(App *app, char *err, size_t errlen);

int Cmd_help(App *app, int argc, char **argv);
int Cmd_images(App *app, int argc, char **argv);
int Cmd_launch(App *app, int argc, char **argv);
int Cmd_list(App *app, int argc, char **argv);
int Cmd_destroy(App *app, int argc, char **argv);
int Cmd_stop(App *app, int argc, char **argv);
int Cmd_console(App *app, int argc, char **argv);
int Cmd_save(App *app, int argc, char **argv);
int Cmd_restore(App *app, int argc, char **argv);
int Cmd_saves(App *app, int argc, char **argv);
int Cmd_pair(App *app, int argc, char **argv);
int Cmd_migrate(App *app, int argc, char **argv);
int Cmd_peer(App *app, int argc, char **argv);
int Cmd_top(App *app, int argc, char **argv);
int Cmd_info(App *app, int argc, char **argv);
int Cmd_ssh(App *app, int argc, char **argv);
int Cmd_knownHosts(App *app, int argc, char **argv);
int Cmd_run(App *app, int argc, char **argv);
int Cmd_exec(App *app, int argc, char **argv);
int Cmd_ui(App *app, int argc, char **argv);

#endif
