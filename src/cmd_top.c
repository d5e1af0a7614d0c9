/* cmd_top.c: xenlive top --batch [-d SECONDS] [-i ITERATIONS] [-s COLUMN] [-r] */
#include "catalog.h"
#include "commands.h"
#include "status.h"
#include "top.h"

#include <stdio.h>

int Cmd_top(App *app, int argc, char **argv)
{
    Catalog catalog = {0};
    TopOptions opts;
    Backend *be;
    char err[1024];
    Status st;

    st = TopOptions_parse(&opts, argc, argv, err, sizeof err);
    if (st != STATUS_OK)
        goto out;
    if (!opts.batch)
        return Cmd_ui(app, argc, argv); /* xentop without -b: the full screen */
    st = STATUS_ERROR;
    if (Catalog_load(&catalog, app->paths.images, err, sizeof err) < 0)
        goto out;
    be = App_backend(app, err, sizeof err);
    if (!be)
        goto out;
    st = Top_batch(be, &catalog, &app->paths, &opts, stdout, err, sizeof err);
out:
    if (st != STATUS_OK)
        Commands_error("%s", err);
    Catalog_free(&catalog);
    return st;
}
