/* cmd_migrate.c: xenlive migrate NAME HOST */
#include "commands.h"
#include "migrate.h"
#include "status.h"

#include <stdio.h>

int Cmd_migrate(App *app, int argc, char **argv)
{
    MigratePlan plan;
    MigrateResult res;
    Backend *be;
    char err[1024];
    Status st = STATUS_ERROR;

    if (argc != 3)
        return Commands_usageError("migrate");
    be = App_backend(app, err, sizeof err);
    if (!be)
        goto out;
    st = Migrate_plan(be, &app->paths, argv[1], argv[2], &plan, err, sizeof err);
    if (st != STATUS_OK)
        goto out;
    printf("moving %s to %s as %s (%s, %u MiB)...\n", plan.name, plan.host, plan.new_name,
           Migrate_modeName(plan.mode), plan.memory_mib);
    fflush(stdout);
    st = Migrate_run(be, &app->paths, &plan, &res, err, sizeof err);
    if (st != STATUS_OK)
        goto out;
    if (plan.mode == MIGRATE_SUSPEND)
        printf("moved %s to %s as %s in %.1f s (suspend and move: paused %.1f s)\n", plan.name,
               plan.host, plan.new_name, res.seconds, res.pause_s);
    else
        printf("moved %s to %s as %s in %.1f s (live)\n", plan.name, plan.host, plan.new_name,
               res.seconds);
out:
    if (st != STATUS_OK)
        Commands_error("%s", err);
    return st;
}
