/* cmd_knownhosts.c: xenlive known-hosts */
#include "commands.h"
#include "guestssh.h"
#include "status.h"

#include <stdio.h>

/* One line per guest: its key type, or why there is none. */
static void CmdKnownHosts_onGuest(const char *name, int found, const SshKey *key,
                                  const char *why, void *data)
{
    unsigned *guests = data;

    (*guests)++;
    if (found > 0)
        printf("%s %s\n", name, key->type);
    else if (found == 0)
        printf("%s: no SSH host key on its console yet\n", name);
    else
        Commands_error("%s: %s", name, why);
}

int Cmd_knownHosts(App *app, int argc, char **argv)
{
    unsigned guests = 0;
    Backend *be;
    char err[1024];
    Status st = STATUS_ERROR;

    (void)argv;
    if (argc != 1)
        return Commands_usageError("known-hosts");
    be = App_backend(app, err, sizeof err);
    if (!be)
        goto out;
    st = GuestSsh_refreshAll(be, &app->paths, CmdKnownHosts_onGuest, &guests, err, sizeof err);
    if (st == STATUS_OK && guests == 0)
        printf("no guests running\n");
out:
    if (st != STATUS_OK)
        Commands_error("%s", err);
    return st;
}
