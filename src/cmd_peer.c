/* cmd_peer.c: xenlive peer accept|info|take|done|drop|reserve|hostkey ..., the other
 * machine's side of pair and migrate (migrate.h, peers.h); run by
 * xenlive itself through dbclient, not by people. */
#include "commands.h"
#include "migrate.h"
#include "peers.h"
#include "status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The SSH client's address (SSH_CONNECTION's first word), or localhost. */
static void CmdPeer_client(char *buf, size_t len)
{
    const char *conn = getenv("SSH_CONNECTION");

    if (!conn || !*conn) {
        snprintf(buf, len, "localhost");
        return;
    }
    snprintf(buf, len, "%.*s", (int)strcspn(conn, " "), conn);
}

int Cmd_peer(App *app, int argc, char **argv)
{
    static char input[16384];
    char out[16384];
    char err[1024];
    Backend *be;
    Status st = STATUS_ERROR;

    if (argc < 2)
        return Commands_usageError("peer");
    if (strcmp(argv[1], "accept") == 0 && argc == 6) {
        SshKey *keys = calloc(2, sizeof *keys);
        char line[SSHKEY_BASE64_MAX + 64];
        char client[256];

        if (!keys)
            return STATUS_ERROR;
        CmdPeer_client(client, sizeof client);
        snprintf(line, sizeof line, "%s %s", argv[2], argv[3]);
        if (SshKey_parse(line, &keys[0], err, sizeof err) == 0) {
            snprintf(line, sizeof line, "%s %s", argv[4], argv[5]);
            if (SshKey_parse(line, &keys[1], err, sizeof err) == 0)
                st = Peers_accept(&app->paths, client, &keys[0], &keys[1], out, sizeof out, err,
                                  sizeof err);
        }
        free(keys);
        goto out;
    }
    if (strcmp(argv[1], "done") == 0 && argc == 3) {
        st = Migrate_done(&app->paths, argv[2], err, sizeof err);
        out[0] = '\0';
        goto out;
    }
    if (strcmp(argv[1], "reserve") == 0 && argc == 5) {
        st = Migrate_reserve(&app->paths, argv[2], argv[3], argv[4], err, sizeof err);
        out[0] = '\0';
        goto out;
    }
    if (strcmp(argv[1], "hostkey") == 0 && argc == 5) {
        st = Migrate_hostKey(&app->paths, argv[2], argv[3], argv[4], err, sizeof err);
        out[0] = '\0';
        goto out;
    }
    be = App_backend(app, err, sizeof err);
    if (!be)
        goto out;
    out[0] = '\0';
    if (strcmp(argv[1], "info") == 0 && argc == 4) {
        st = Migrate_info(be, &app->paths, argv[2], argv[3], out, sizeof out, err, sizeof err);
    } else if (strcmp(argv[1], "take") == 0 && argc == 3) {
        size_t n = fread(input, 1, sizeof input - 1, stdin);

        input[n] = '\0';
        st = Migrate_take(be, &app->paths, argv[2], input, err, sizeof err);
    } else if (strcmp(argv[1], "drop") == 0 && argc == 3) {
        st = Migrate_drop(be, &app->paths, argv[2], err, sizeof err);
    } else {
        return Commands_usageError("peer");
    }
out:
    if (st != STATUS_OK)
        Commands_error("%s", err);
    else
        fputs(out, stdout);
    return st;
}
