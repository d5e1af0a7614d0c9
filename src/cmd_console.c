/* cmd_console.c: xenlive console NAME */
#include "commands.h"
#include "guests.h"
#include "status.h"

int Cmd_console(App *app, int argc, char **argv)
{
    Backend *be;
    char err[1024];
    Status st;

    if (argc != 2)
        return Commands_usageError("console");
    be = App_backend(app, err, sizeof err);
    st = be ? Guests_console(be, argv[1], err, sizeof err) : STATUS_ERROR;
    if (st != STATUS_OK)
        Commands_error("%s", err);
    return st;
}
