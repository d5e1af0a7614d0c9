/* cmd_images.c: xenlive images [--json] */
#include "catalog.h"
#include "commands.h"
#include "images.h"
#include "status.h"

int Cmd_images(App *app, int argc, char **argv)
{
    Catalog catalog = {0};
    Backend *be;
    uint64_t free_mib;
    char err[1024];
    bool json;
    int rc = STATUS_ERROR;

    if (!Commands_parseJson(argc, argv, &json))
        return Commands_usageError("images");
    if (Catalog_load(&catalog, app->paths.images, err, sizeof err) < 0)
        goto out;
    be = App_backend(app, err, sizeof err);
    if (!be || be->free_memory_mib(be, &free_mib, err, sizeof err) < 0)
        goto out;
    if (json)
        Images_writeJson(stdout, &catalog, free_mib);
    else
        Images_writeTable(stdout, &catalog, free_mib);
    rc = STATUS_OK;
out:
    if (rc != STATUS_OK)
        Commands_error("%s", err);
    Catalog_free(&catalog);
    return rc;
}
