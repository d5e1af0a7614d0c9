/* cmd_ui.c: xenlive ui [-d SECONDS] [-s COLUMN] [-r], and xenlive alone
 * on a terminal. */
#include "catalog.h"
#include "commands.h"
#include "status.h"
#include "top.h"
#include "ui.h"

#include <stdio.h>
#include <unistd.h>

int Cmd_ui(App *app, int argc, char **argv)
{
    Catalog catalog = {0};
    TopOptions opts;
    Backend *be;
    char err[1024];
    Status st;

    st = TopOptions_parse(&opts, argc, argv, err, sizeof err);
    if (st == STATUS_OK && (opts.batch || opts.iterations)) {
        snprintf(err, sizeof err, "%s: -b and -i are for xenlive top --batch", argv[0]);
        st = STATUS_USAGE;
    }
    if (st != STATUS_OK)
        goto out;
    st = STATUS_ERROR;
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        snprintf(err, sizeof err, "%s needs a terminal; xenlive top --batch prints lines",
                 argv[0]);
        st = STATUS_USAGE;
        goto out;
    }
    if (Catalog_load(&catalog, app->paths.images, err, sizeof err) < 0)
        goto out;
    be = App_backend(app, err, sizeof err);
    if (!be)
        goto out;
    st = Ui_run(be, &app->paths, &catalog, &opts, err, sizeof err);
out:
    if (st != STATUS_OK)
        Commands_error("%s", err);
    Catalog_free(&catalog);
    return st;
}
