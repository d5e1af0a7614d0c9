/* cmd_destroy.c: xenlive destroy NAME */
#include "commands.h"
#include "guests.h"
#include "status.h"

#include <stdio.h>

int Cmd_destroy(App *app, int argc, char **argv)
{
    Backend *be;
    char err[1024];
    Status st;

    if (argc != 2)
        return Commands_usageError("destroy");
    be = App_backend(app, err, sizeof err);
    st = be ? Guests_destroy(be, &app->paths, argv[1], err, sizeof err) : STATUS_ERROR;
    if (st != STATUS_OK)
        Commands_error("%s", err);
    else
        printf("destroyed %s\n", argv[1]);
    return st;
}
