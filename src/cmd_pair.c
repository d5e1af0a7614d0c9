/* cmd_pair.c: xenlive pair HOST */
#include "commands.h"
#include "peers.h"
#include "status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

/* HOST's root password: DROPBEAR_PASSWORD when set, else asked once on
 * the terminal without echo; NULL without a terminal (keys only). */
static const char *CmdPair_password(const char *host, char *buf, size_t len)
{
    const char *env = getenv("DROPBEAR_PASSWORD");
    struct termios old;
    struct termios quiet;
    bool restore;

    if (env)
        return env;
    if (!isatty(STDIN_FILENO))
        return NULL;
    fprintf(stderr, "root password of %s (shown on its console): ", host);
    fflush(stderr);
    restore = tcgetattr(STDIN_FILENO, &old) == 0;
    if (restore) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    if (!fgets(buf, (int)len, stdin))
        buf[0] = '\0';
    if (restore)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
    fputc('\n', stderr);
    buf[strcspn(buf, "\r\n")] = '\0';
    return buf;
}

int Cmd_pair(App *app, int argc, char **argv)
{
    char password[256];
    char hostkey[128];
    char err[1024];
    const char *pw;
    Backend *be;
    Status st;

    if (argc != 2)
        return Commands_usageError("pair");
    be = App_backend(app, err, sizeof err);
    if (!be) {
        Commands_error("%s", err);
        return STATUS_ERROR;
    }
    pw = CmdPair_password(argv[1], password, sizeof password);
    st = Peers_pair(be, &app->paths, argv[1], pw, hostkey, sizeof hostkey, err, sizeof err);
    memset(password, 0, sizeof password);
    if (st != STATUS_OK) {
        Commands_error("%s", err);
        return st;
    }
    printf("paired with %s, both ways (its host key: %s)\n", argv[1], hostkey);
    return STATUS_OK;
}
