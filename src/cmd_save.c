/* cmd_save.c: xenlive save NAME */
#include "commands.h"
#include "guests.h"
#include "status.h"

#include <stdio.h>

int Cmd_save(App *app, int argc, char **argv)
{
    Backend *be;
    char err[1024];
    Status st;

    if (argc != 2)
        return Commands_usageError("save");
    be = App_backend(app, err, sizeof err);
    st = be ? Guests_save(be, &app->paths, argv[1], err, sizeof err) : STATUS_ERROR;
    if (st != STATUS_OK)
        Commands_error("%s", err);
    else
        printf("saved %s to %s/%s.save\n", argv[1], app->paths.saves, argv[1]);
    return st;
}
