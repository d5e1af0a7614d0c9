/* cmd_stop.c: xenlive stop NAME | --all */
#include "commands.h"
#include "guests.h"
#include "status.h"

#include <stdio.h>
#include <string.h>

typedef struct CmdStopCount {
    unsigned stopped;
    unsigned failed;
} CmdStopCount;

static void CmdStop_print(const char *name, Status st, const char *err, void *data)
{
    CmdStopCount *count = data;

    if (st == STATUS_OK) {
        printf("stopped %s\n", name);
        count->stopped++;
    } else {
        Commands_error("%s", err);
        count->failed++;
    }
    fflush(stdout); /* each line as its guest goes, even into a pipe */
}

int Cmd_stop(App *app, int argc, char **argv)
{
    CmdStopCount count = {0};
    Backend *be;
    char err[1024];
    bool all;
    Status st = STATUS_ERROR;

    if (argc != 2)
        return Commands_usageError("stop");
    all = strcmp(argv[1], "--all") == 0;
    be = App_backend(app, err, sizeof err);
    if (!be)
        goto out;
    if (!all) {
        st = Guests_stop(be, &app->paths, argv[1], true, err, sizeof err);
        if (st == STATUS_OK)
            printf("stopped %s\n", argv[1]);
        goto out;
    }
    st = Guests_stopAll(be, &app->paths, CmdStop_print, &count, err, sizeof err);
    if (st == STATUS_OK && count.stopped == 0)
        printf("no guests to stop\n");
out:
    if (st != STATUS_OK)
        Commands_error("%s", err);
    return st;
}
