/* cmd_exec.c: xenlive exec NAME -- COMMAND... */
#include "apps.h"
#include "commands.h"
#include "status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int Cmd_exec(App *app, int argc, char **argv)
{
    char err[1024];
    char *output = NULL;
    int status = 0;
    Backend *be;
    Status st;

    if (argc < 4 || strcmp(argv[2], "--") != 0)
        return Commands_usageError("exec");
    be = App_backend(app, err, sizeof err);
    if (!be) {
        Commands_error("%s", err);
        return STATUS_ERROR;
    }
    st = Apps_exec(be, &app->paths, argv[1], argv + 3, (size_t)argc - 3, &output, &status, err,
                   sizeof err);
    if (st != STATUS_OK) {
        Commands_error("%s", err);
        free(output);
        return st;
    }
    fputs(output ? output : "", stdout);
    fflush(stdout);
    free(output);
    return status;
}
