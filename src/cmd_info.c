/* cmd_info.c: xenlive info [--json] */
#include "access.h"
#include "commands.h"
#include "info.h"
#include "status.h"

int Cmd_info(App *app, int argc, char **argv)
{
    Info info;
    Backend *be;
    char err[1024];
    bool json;
    Status st = STATUS_ERROR;

    if (!Commands_parseJson(argc, argv, &json))
        return Commands_usageError("info");
    be = App_backend(app, err, sizeof err);
    if (!be)
        goto out;
    st = Info_gather(&info, be, &app->paths, Access_passwordVisibleHere(), err, sizeof err);
    if (st != STATUS_OK)
        goto out;
    if (json)
        Info_writeJson(stdout, &info);
    else
        Info_writeText(stdout, &info);
out:
    if (st != STATUS_OK)
        Commands_error("%s", err);
    return st;
}
