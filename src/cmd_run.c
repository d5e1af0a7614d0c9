/* cmd_run.c: xenlive run NAME APP [ARGS...] | NAME -- COMMAND... |
 * --image IMAGE APP [ARGS...] */
#include "apps.h"
#include "commands.h"
#include "names.h"
#include "status.h"

#include <stdio.h>
#include <string.h>

static void Cmd_runLine(const char *name, Status st, long pid, const char *error, void *data)
{
    const char *app = data;

    if (st == STATUS_OK)
        printf("%s: %s pid %ld\n", name, app, pid);
    else
        printf("%s: %s\n", name, error);
    fflush(stdout);
}

/* With NAME alone: the applications of its image, one a line. */
static int Cmd_runList(App *app, const char *name)
{
    char image[128], err[1024];
    AppList apps;
    size_t i;

    if (!Names_split(name, image, sizeof image)) {
        Commands_error("no domain named %s", name);
        return STATUS_ERROR;
    }
    if (Apps_load(&app->paths, image, &apps, err, sizeof err) != STATUS_OK) {
        Commands_error("%s", err);
        return STATUS_ERROR;
    }
    for (i = 0; i < apps.count; i++)
        printf("%-14s %s\n", apps.items[i].name, apps.items[i].description);
    if (apps.count == 0)
        printf("%s has no applications; xenlive run %s -- COMMAND... runs a command\n", image,
               name);
    AppList_free(&apps);
    return STATUS_OK;
}

int Cmd_run(App *app, int argc, char **argv)
{
    char err[1024];
    Backend *be;
    Status st;

    if (argc >= 2 && strcmp(argv[1], "--image") == 0) {
        unsigned started = 0;
        if (argc < 4)
            return Commands_usageError("run");
        be = App_backend(app, err, sizeof err);
        if (!be) {
            Commands_error("%s", err);
            return STATUS_ERROR;
        }
        st = Apps_runImage(be, &app->paths, argv[2], argv[3], argv + 4, (size_t)argc - 4,
                           Cmd_runLine, argv[3], &started, err, sizeof err);
        if (st != STATUS_OK)
            Commands_error("%s", err);
        return st;
    }
    if (argc < 2 || argv[1][0] == '-')
        return Commands_usageError("run");
    if (argc == 2)
        return Cmd_runList(app, argv[1]);
    be = App_backend(app, err, sizeof err);
    if (!be) {
        Commands_error("%s", err);
        return STATUS_ERROR;
    }
    {
        long pid = 0;
        bool raw = strcmp(argv[2], "--") == 0;
        if (raw && argc < 4)
            return Commands_usageError("run");
        st = raw ? Apps_run(be, &app->paths, argv[1], NULL, argv + 3, (size_t)argc - 3, &pid,
                            err, sizeof err)
                 : Apps_run(be, &app->paths, argv[1], argv[2], argv + 3, (size_t)argc - 3, &pid,
                            err, sizeof err);
        if (st != STATUS_OK) {
            Commands_error("%s", err);
            return st;
        }
        printf("%s: %s pid %ld\n", argv[1], raw ? argv[3] : argv[2], pid);
    }
    return STATUS_OK;
}
