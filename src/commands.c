/* commands.c: the table of xenlive subcommands, and help. */
#include "commands.h"

#include "backend_xen.h"
#include "launch.h"
#include "status.h"

#include <stdarg.h>
#include <string.h>

static const Command commands[] = {
    {"help", Cmd_help, "[COMMAND]", "Show the commands, or one command's usage", NULL},
    {"images", Cmd_images, "[--json]",
     "List the guest images, and how many more of each fit in free memory", NULL},
    {"launch", Cmd_launch, "IMAGE [-n COUNT] [-m MIB] [--vcpus N] [--type pv|pvh]",
     "Start guests of IMAGE, named IMAGE-1, IMAGE-2, ...",
     "  -n COUNT        start COUNT guests, one by one, while they fit (default 1)\n"
     "  -m MIB          memory of each guest (default: the image's; at least its MIN,\n"
     "                  which xenlive images shows)\n"
     "  --vcpus N       vCPUs of each guest, at most 128 (default: the image's)\n"
     "  --type pv|pvh   guest type (default: pvh when Xen has HVM and the host is\n"
     "                  not QEMU's TCG emulator, else pv)\n"
     "Exit status: 0 all started, 1 error, 2 usage, 3 out of memory.\n"},
    {"list", Cmd_list, "[--json]", "List the domains Xen is running",
     "  --json          a JSON array: id, name, image, type, memory_mib, vcpus, state\n"
     "IMAGE comes from the name (IMAGE-N); TYPE (pv, pvh) from the domain's config\n"
     "in /run/xenlive/domains; - (null in JSON) when unknown.\n"},
    {"destroy", Cmd_destroy, "NAME", "Stop the domain NAME at once, and remove its config",
     NULL},
    {"stop", Cmd_stop, "NAME | --all",
     "Shut the domain NAME down gracefully, then remove its config",
     "  --all           every domain but Domain-0, one after the other; a line for\n"
     "                  each, exit status 1 when any did not stop\n"
     "Waits until the domain is gone (xl shutdown -w); a guest that ignores the\n"
     "request keeps it waiting (Ctrl-C, then xenlive destroy NAME).\n"},
    {"console", Cmd_console, "NAME", "Attach to the guest NAME's console; Ctrl-] comes back",
     NULL},
    {"save", Cmd_save, "NAME | --all",
     "Suspend the guest NAME to the data volume, or to RAM without one; it stops",
     "  --all           every guest, one after the other (at the end of a class);\n"
     "                  a line each, exit status 1 when any was not saved\n"
     "Saves go to /mnt/xenlive-data/saves when start-up mounted a data volume\n"
     "(label XENLIVE-DATA, or xenlive.data=DEVICE), else to /run/xenlive/saves\n"
     "(RAM, gone at reboot).  Refused, with the guest still running, when NAME\n"
     "already has a save, or the file system has less free space than the\n"
     "guest's memory plus 16 MiB.  The saved guest keeps its name: launch does not\n"
     "reuse it.\n"},
    {"saves", Cmd_saves, "[--json]",
     "List the saved guests: where (disk or ram), size, image, when saved",
     "  --json          a JSON array: name, where, size_mib, image, sha256,\n"
     "                  memory_mib, saved (Unix seconds)\n"},
    {"restore", Cmd_restore, "NAME",
     "Start the saved guest NAME again, then remove its save",
     "Works after a reboot for saves on the data volume.  Refused when the\n"
     "image the guest was saved from differs (SHA256) from this ISO's, when a\n"
     "domain NAME runs, or when Xen has too little free memory (exit status 3).\n"},
    {"pair", Cmd_pair, "HOST",
     "Trust another xenlive machine both ways, for migrate (asks its root password)",
     "Asks once for HOST's root password (the one HOST shows on its console;\n"
     "DROPBEAR_PASSWORD=... in the environment instead), then: this dom0's key goes\n"
     "into HOST's /root/.ssh/authorized_keys and HOST's into this one's, each\n"
     "records the other's host key in known_hosts and lists it in\n"
     "/run/xenlive/peers (xenlive info shows them).  Keys are new at each boot: pair\n"
     "again after either machine reboots.  HOST's key is taken on first use here.\n"},
    {"migrate", Cmd_migrate, "NAME HOST",
     "Move the running guest NAME to the paired machine HOST (or localhost)",
     "Live (xl migrate) when NAME is PVH and both machines have HAP (EPT/NPT);\n"
     "otherwise suspend and move: xl save -p here piped into xl restore on HOST,\n"
     "the guest paused meanwhile (the pause is reported in seconds).  Checked\n"
     "first, refused with one line and nothing changed: HOST paired and reachable,\n"
     "the same image (SHA256) there, enough free memory there (exit status 3).\n"
     "NAME keeps its name when it is free on HOST, else takes HOST's next free\n"
     "IMAGE-N.  When the move fails, NAME keeps running here.\n"},
    {"peer", Cmd_peer, "accept|info|take|done|drop|reserve|hostkey ...",
     "The other machine's side of pair and migrate (run by xenlive over SSH)", NULL},
    {"ui", Cmd_ui, "[-d SECONDS] [-s COLUMN] [-r]",
     "The full-screen view: host, domains, keys to launch and manage guests",
     "  -d SECONDS      time between refreshes, fractions allowed (default 1)\n"
     "  -s COLUMN       sort by COLUMN at the start (< and > change it)\n"
     "  -r              sort descending (r toggles it)\n"
     "Needs a terminal; xenlive with no command starts it too.  ? in the view\n"
     "lists the keys; q quits.\n"},
    {"top", Cmd_top, "--batch [-d SECONDS] [-i ITERATIONS] [-s COLUMN] [-r]",
     "Show each domain's CPU, memory, network and disk use, like xentop -b",
     "  --batch, -b     print a header line and one line per domain at each refresh\n"
     "                  (without it: the full-screen view, as xenlive ui)\n"
     "  -d SECONDS      time between refreshes, fractions allowed (default 1)\n"
     "  -i ITERATIONS   refresh this many times, then exit (default: for ever)\n"
     "  -s COLUMN       sort by COLUMN, a header such as NAME, CPU(%) or MEM(k)\n"
     "                  (default: by ID)\n"
     "  -r              sort descending\n"
     "Columns: NAME ID STATE CPU(sec) CPU(%) MEM(k) MAXMEM(k) VCPUS NETTX(k) NETRX(k)\n"
     "TX(k/s) RX(k/s) VBD_RD VBD_WR RD/s WR/s IMAGE TYPE UPTIME.  CPU(%) is of one\n"
     "physical CPU (200 is two busy vCPUs); NETTX/NETRX are KiB and VBD_RD/VBD_WR\n"
     "requests since the domain started; the /s columns are rates since the last\n"
     "refresh, 0 at the first refresh and for a domain that is new since.  TYPE is\n"
     "pv or pvh (- when xenlive did not start it); UPTIME is 45s, 12m05s, 3h07m or\n"
     "12d03h (Domain-0's is the host's).\n"},
    {"info", Cmd_info, "[--json]",
     "Show how to reach dom0: network, address, SSH, password",
     "  --json          one JSON object: xen, network, bridge, guest_net, gateway,\n"
     "                  uplink, address, prefix, ssh, host_key, password,\n"
     "                  password_hidden, guests (null for what is unknown)\n"
     "Root's password is shown only on a local console (/dev/console, ttyN, ttySN,\n"
     "hvcN) outside SSH; elsewhere: (shown on the local console), null in JSON.\n"},
    {"ssh", Cmd_ssh, "NAME [COMMAND...]",
     "Log in to the guest NAME as root (dbclient), or run COMMAND there",
     "Takes NAME's host key from the line it printed on its console into\n"
     "/root/.ssh/known_hosts first, so there is no question to answer; fails when\n"
     "NAME has not printed it yet.  dom0's key /root/.ssh/id_dropbear is the\n"
     "guest's authorized key (xenlive launch puts it on its kernel command line).\n"},
    {"run", Cmd_run, "NAME APP [ARGS...] | NAME -- COMMAND... | --image IMAGE APP [ARGS...]",
     "Start an application (or a command) detached in a guest; print its pid",
     "APP is one of the guest's image's applications (IMAGES/IMAGE/apps; with no\n"
     "APP, the list).  Over SSH as for xenlive ssh; the output goes to\n"
     "/run/xenlive-app-APP.log in the guest.  --image: on every running guest of\n"
     "IMAGE, one line each (NAME: APP pid N, or the error).  Exit 1 if any failed.\n"},
    {"exec", Cmd_exec, "NAME -- COMMAND...",
     "Run COMMAND in the guest NAME; print its output, exit with its status",
     "Over SSH as for xenlive ssh; at most 30 s.  Exit 255: SSH itself failed.\n"},
    {"known-hosts", Cmd_knownHosts, "",
     "Learn the guests' SSH host keys from their consoles (known_hosts)",
     "One line NAME TYPE BASE64 in /root/.ssh/known_hosts for each guest that\n"
     "printed its key (the last 'xenlive-guest hostkey:' line of\n"
     "/var/log/xen/console/guest-NAME.log); other lines stay as they are.\n"},
};

const Command *Commands_find(const char *name)
{
    size_t i;

    for (i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    }
    return NULL;
}

void Commands_printHelp(FILE *f)
{
    size_t i;

    fprintf(f, "Usage: xenlive COMMAND [ARGS]\n\nCommands:\n");
    for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-11s %s\n", commands[i].name, commands[i].help);
    fprintf(f, "\nxenlive help COMMAND shows a command's arguments.\n");
}

void Commands_printUsage(FILE *f, const Command *cmd)
{
    fprintf(f, "Usage: xenlive %s%s%s\n\n%s\n", cmd->name, cmd->usage[0] ? " " : "", cmd->usage,
            cmd->help);
    if (cmd->options)
        fprintf(f, "\n%s", cmd->options);
}

void Commands_error(const char *fmt, ...)
{
    char line[2048];
    char *p;
    va_list ap;

    fflush(stdout); /* keep stdout and stderr lines in order */
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    /* One line, whatever the arguments held: a newline or an escape
     * sequence in a name must not split it or drive the terminal. */
    for (p = line; *p; p++) {
        if ((unsigned char)*p < ' ' || *p == 0x7f)
            *p = '?';
    }
    fprintf(stderr, "xenlive: %s\n", line);
}

int Commands_usageError(const char *name)
{
    const Command *cmd = Commands_find(name);

    Commands_error("usage: xenlive %s%s%s", cmd->name, cmd->usage[0] ? " " : "", cmd->usage);
    return STATUS_USAGE;
}

bool Commands_parseJson(int argc, char **argv, bool *json)
{
    *json = argc == 2 && strcmp(argv[1], "--json") == 0;
    return argc == 1 || *json;
}

Backend *App_backend(App *app, char *err, size_t errlen)
{
    if (!app->backend)
        app->backend = BackendXen_new(&app->paths, err, errlen);
    return app->backend;
}

int Cmd_help(App *app, int argc, char **argv)
{
    const Command *cmd;

    (void)app;
    if (argc == 1) {
        Commands_printHelp(stdout);
        return STATUS_OK;
    }
    cmd = argc == 2 ? Commands_find(argv[1]) : NULL;
    if (!cmd) {
        Commands_error("help: no command '%s' (xenlive help lists them)", argv[1]);
        return STATUS_USAGE;
    }
    Commands_printUsage(stdout, cmd);
    return STATUS_OK;
}
