/* cmd_save.c: xenlive save NAME | --all */
#include "commands.h"
#include "guests.h"
#include "saves.h"
#include "status.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

typedef struct CmdSaveCount {
    const Paths *paths;
    unsigned saved;
    unsigned failed;
} CmdSaveCount;

/* "saved NAME to the data volume (DIR/NAME.save)" or "... to RAM (...)". */
static void CmdSave_saved(const Paths *paths, const char *name)
{
    char dir[PATH_MAX];
    SaveWhere where;

    if (Saves_dir(paths, dir, sizeof dir, &where) < 0)
        printf("saved %s\n", name);
    else
        printf("saved %s to %s (%s/%s.save)\n", name,
               where == SAVE_DISK ? "the data volume" : "RAM", dir, name);
}

static void CmdSave_print(const char *name, Status st, const char *err, void *data)
{
    CmdSaveCount *count = data;

    if (st == STATUS_OK) {
        CmdSave_saved(count->paths, name);
        count->saved++;
    } else {
        Commands_error("%s", err);
        count->failed++;
    }
    fflush(stdout); /* each line as its guest goes, even into a pipe */
}

int Cmd_save(App *app, int argc, char **argv)
{
    CmdSaveCount count = {.paths = &app->paths};
    Backend *be;
    char err[1024];
    Status st = STATUS_ERROR;

    if (argc != 2)
        return Commands_usageError("save");
    be = App_backend(app, err, sizeof err);
    if (!be)
        goto out;
    if (strcmp(argv[1], "--all") != 0) {
        st = Guests_save(be, &app->paths, argv[1], err, sizeof err);
        if (st == STATUS_OK)
            CmdSave_saved(&app->paths, argv[1]);
        goto out;
    }
    st = Guests_saveAll(be, &app->paths, CmdSave_print, &count, err, sizeof err);
    if (st == STATUS_OK)
        printf(count.saved ? "saved %u guests\n" : "no guests to save\n", count.saved);
out:
    if (st != STATUS_OK)
        Commands_error("%s", err);
    return st;
}
