/* cmd_images.c: xenlive images [--json] */
#include "catalog.h"
#include "commands.h"
#include "images.h"
#include "status.h"

int Cmd_images(App *app, int argc, char **argv)
{
    Catalog catalog = {0};
    Backend *be;
    Room room;
    char err[1024];
    bool json;
    int rc = STATUS_ERROR;

    if (!Commands_parseJson(argc, argv, &json))
        return Commands_usageError("images");
    if (Catalog_load(&catalog, app->paths.images, err, sizeof err) < 0)
        goto out;
    be = App_backend(app, err, sizeof err);
    if (!be || Room_read(be, &room, err, sizeof err) != STATUS_OK)
        goto out;
    if (json)
        Images_writeJson(stdout, &catalog, &room);
    else
        Images_writeTable(stdout, &catalog, &room);
    rc = STATUS_OK;
out:
    if (rc != STATUS_OK)
        Commands_error("%s", err);
    Catalog_free(&catalog);
    return rc;
}
