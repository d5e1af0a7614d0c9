/* cmd_list.c: xenlive list [--json] */
#include "catalog.h"
#include "commands.h"
#include "guests.h"
#include "status.h"

int Cmd_list(App *app, int argc, char **argv)
{
    Catalog catalog = {0};
    DomainList domains = {0};
    Backend *be;
    char err[1024];
    bool json;
    int rc = STATUS_ERROR;

    if (!Commands_parseJson(argc, argv, &json))
        return Commands_usageError("list");
    if (Catalog_load(&catalog, app->paths.images, err, sizeof err) < 0)
        goto out;
    be = App_backend(app, err, sizeof err);
    if (!be || be->list_domains(be, &domains, err, sizeof err) < 0)
        goto out;
    if (json)
        Guests_writeJson(stdout, &domains, &catalog, &app->paths);
    else
        Guests_writeTable(stdout, &domains, &catalog, &app->paths);
    rc = STATUS_OK;
out:
    if (rc != STATUS_OK)
        Commands_error("%s", err);
    DomainList_free(&domains);
    Catalog_free(&catalog);
    return rc;
}
