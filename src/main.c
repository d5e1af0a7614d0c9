/* main.c: xenlive COMMAND [ARGS], the dom0 tool of the xenlive live CD. */
#include "commands.h"
#include "status.h"

#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    App app = {0};
    const Command *cmd;
    int rc;

    if (argc < 2 && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) {
        /* On a console, xenlive alone is the full-screen view. */
        static char *ui_argv[] = {"xenlive", "ui", NULL};

        argc = 2;
        argv = ui_argv;
    }
    if (argc < 2) {
        Commands_printHelp(stderr);
        return STATUS_USAGE;
    }
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)
        return Cmd_help(&app, 1, argv + 1);
    cmd = Commands_find(argv[1]);
    if (!cmd) {
        Commands_error("unknown command '%s' (xenlive help lists them)", argv[1]);
        return STATUS_USAGE;
    }
    if (argc == 3 && (strcmp(argv[2], "-h") == 0 || strcmp(argv[2], "--help") == 0)) {
        Commands_printUsage(stdout, cmd);
        return STATUS_OK;
    }
    if (Paths_fromEnv(&app.paths) < 0) {
        Commands_error("a XENLIVE_IMAGES, XENLIVE_GUEST_DIR, XENLIVE_RUN_DIR, XENLIVE_SSH_DIR or "
                       "XENLIVE_CONSOLE_LOG_DIR path is too long");
        return STATUS_ERROR;
    }
    rc = cmd->fn(&app, argc - 1, argv + 1);
    if (app.backend)
        app.backend->free(app.backend);
    return rc;
}
