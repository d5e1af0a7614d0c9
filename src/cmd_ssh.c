/* cmd_ssh.c: xenlive ssh NAME [COMMAND...] */
#include "commands.h"
#include "guestssh.h"
#include "status.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int Cmd_ssh(App *app, int argc, char **argv)
{
    char **args = NULL;
    char host[512];
    Backend *be;
    char err[1024];
    Status st = STATUS_ERROR;

    if (argc < 2)
        return Commands_usageError("ssh");
    args = calloc((size_t)argc + 5, sizeof *args);
    if (!args) {
        snprintf(err, sizeof err, "out of memory");
        goto out;
    }
    st = GuestSsh_argv(&app->paths, argv[1], argv + 2, (size_t)argc - 2, host, sizeof host,
                       args, err, sizeof err);
    if (st != STATUS_OK)
        goto out;
    st = STATUS_ERROR;
    be = App_backend(app, err, sizeof err);
    if (!be)
        goto out;
    st = GuestSsh_refresh(be, &app->paths, argv[1], err, sizeof err);
    if (st != STATUS_OK)
        goto out;
    /* dbclient takes over this process: nothing of libxl's to inherit. */
    be->free(be);
    app->backend = NULL;
    fflush(NULL);
    execvp(args[0], args);
    snprintf(err, sizeof err, "cannot run %s: %s", args[0], strerror(errno));
    st = STATUS_ERROR;
out:
    if (st != STATUS_OK)
        Commands_error("%s", err);
    free(args);
    return st;
}
