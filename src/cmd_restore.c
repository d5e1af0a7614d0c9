/* cmd_restore.c: xenlive restore NAME */
#include "commands.h"
#include "saves.h"
#include "status.h"

#include <stdio.h>

int Cmd_restore(App *app, int argc, char **argv)
{
    Backend *be;
    char err[1024];
    Status st;

    if (argc != 2)
        return Commands_usageError("restore");
    be = App_backend(app, err, sizeof err);
    st = be ? Saves_restore(be, &app->paths, argv[1], err, sizeof err) : STATUS_ERROR;
    if (st != STATUS_OK)
        Commands_error("%s", err);
    else
        printf("restored %s\n", argv[1]);
    return st;
}
