/* cmd_list.c: xenlive list [--json] */
#include "catalog.h"
#include "commands.h"
#include "guests.h"
#include "status.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

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
    if (!be)
        goto out;
    /* Domains gone since (a poweroff, a crash): free their names, and
     * record a crash for its row; not waiting for a launch under way. */
    {
        char why[512];

        (void)Guests_reap(be, &app->paths, false, why, sizeof why);
    }
    if (be->list_domains(be, &domains, err, sizeof err) < 0)
        goto out;
    if (json) {
        /* What each guest's agent says: "-" (null) when xenstore is out of reach. */
        GuestInfo *guests = calloc(domains.count ? domains.count : 1, sizeof *guests);
        uint32_t *ids = calloc(domains.count ? domains.count : 1, sizeof *ids);
        char gerr[256];
        size_t i;

        if (!guests || !ids) {
            free(guests);
            free(ids);
            snprintf(err, sizeof err, "out of memory");
            goto out;
        }
        for (i = 0; i < domains.count; i++)
            ids[i] = domains.items[i].id;
        (void)GuestInfo_read(be, ids, domains.count, (int64_t)time(NULL), guests, gerr,
                             sizeof gerr);
        Guests_writeJson(stdout, &domains, &catalog, &app->paths, guests);
        free(guests);
        free(ids);
    }
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
