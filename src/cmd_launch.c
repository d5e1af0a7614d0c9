/* cmd_launch.c: xenlive launch IMAGE [-n COUNT] [-m MIB] [--vcpus N] [--type pv|pvh] */
#include "catalog.h"
#include "commands.h"
#include "launch.h"
#include "status.h"

#include <stdio.h>

static void CmdLaunch_print(const LaunchResult *res, void *data)
{
    char line[256];

    (void)data;
    Launch_describe(res, line, sizeof line);
    printf("launched %s\n", line);
    fflush(stdout); /* each line as its guest starts, even into a pipe */
}

int Cmd_launch(App *app, int argc, char **argv)
{
    Catalog catalog = {0};
    LaunchRequest req;
    LaunchPlan plan;
    Backend *be;
    char err[1024];
    Status st;

    st = LaunchRequest_parse(&req, argc, argv, err, sizeof err);
    if (st != STATUS_OK)
        goto out;
    st = STATUS_ERROR;
    if (Catalog_load(&catalog, app->paths.images, err, sizeof err) < 0)
        goto out;
    be = App_backend(app, err, sizeof err);
    if (!be)
        goto out;
    st = Launch_plan(be, &app->paths, &catalog, &req, &plan, err, sizeof err);
    if (st != STATUS_OK)
        goto out;
    st = Launch_many(be, &app->paths, &plan, CmdLaunch_print, NULL, err, sizeof err);
out:
    if (st != STATUS_OK)
        Commands_error("%s", err);
    Catalog_free(&catalog);
    return st;
}
