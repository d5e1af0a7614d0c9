/* apps.c: see apps.h. */
#include "apps.h"

#include "guestssh.h"
#include "names.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static bool Apps_validName(const char *s)
{
    size_t i;

    if (!s[0] || strlen(s) > APP_NAME_MAX)
        return false;
    for (i = 0; s[i]; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
            return false;
    }
    return true;
}

Status Apps_load(const Paths *paths, const char *image, AppList *out, char *err, size_t errlen)
{
    char path[PATH_MAX + 64];
    char *line = NULL;
    size_t cap = 0;
    unsigned n = 0;
    FILE *f;
    Status st = STATUS_OK;

    memset(out, 0, sizeof *out);
    /* An image is one plain name, never a path ("../x" would leave the
     * images folder), and one that is there. */
    snprintf(path, sizeof path, "%s/%s", paths->images, image);
    if (!Apps_validName(image) || access(path, F_OK) != 0) {
        snprintf(err, errlen, "no image named %s", image);
        return STATUS_ERROR;
    }
    snprintf(path, sizeof path, "%s/%s/apps", paths->images, image);
    f = fopen(path, "r");
    if (!f)
        return STATUS_OK;
    while (getline(&line, &cap, f) > 0) {
        char *bar1, *bar2;
        GuestApp *items;
        GuestApp *a;

        n++;
        line[strcspn(line, "\n")] = '\0';
        if (line[0] == '#' || line[0] == '\0')
            continue;
        bar1 = strchr(line, '|');
        bar2 = bar1 ? strchr(bar1 + 1, '|') : NULL;
        if (!bar2) {
            snprintf(err, errlen, "%s/apps line %u: not NAME|DESCRIPTION|COMMAND", image, n);
            st = STATUS_ERROR;
            break;
        }
        *bar1 = *bar2 = '\0';
        if (!Apps_validName(line)) {
            snprintf(err, errlen, "%s/apps line %u: bad application name '%.40s'", image, n,
                     line);
            st = STATUS_ERROR;
            break;
        }
        if (strlen(bar2 + 1) >= sizeof out->items[0].command || !bar2[1]) {
            snprintf(err, errlen, "%s/apps line %u: the command is empty or too long", image, n);
            st = STATUS_ERROR;
            break;
        }
        items = realloc(out->items, (out->count + 1) * sizeof *items);
        if (!items) {
            snprintf(err, errlen, "out of memory");
            st = STATUS_ERROR;
            break;
        }
        out->items = items;
        a = &items[out->count++];
        snprintf(a->name, sizeof a->name, "%s", line);
        snprintf(a->description, sizeof a->description, "%s", bar1 + 1);
        snprintf(a->command, sizeof a->command, "%s", bar2 + 1);
    }
    free(line);
    fclose(f);
    if (st != STATUS_OK)
        AppList_free(out);
    return st;
}

const GuestApp *Apps_find(const AppList *l, const char *name)
{
    size_t i;

    for (i = 0; i < l->count; i++) {
        if (strcmp(l->items[i].name, name) == 0)
            return &l->items[i];
    }
    return NULL;
}

void Apps_names(const AppList *l, char *out, size_t len)
{
    size_t i, used = 0;

    if (len == 0)
        return;
    snprintf(out, len, "%s", l->count ? "" : "none");
    for (i = 0; i < l->count && used < len; i++) {
        int w = snprintf(out + used, len - used, "%s%s", i ? ", " : "", l->items[i].name);
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

void AppList_free(AppList *l)
{
    free(l->items);
    memset(l, 0, sizeof *l);
}

bool Apps_shellQuote(char *out, size_t len, const char *word)
{
    size_t used = strlen(out);
    const char *p;

    if (used + 2 >= len)
        return false;
    out[used++] = '\'';
    for (p = word; *p; p++) {
        if (*p == '\'') {
            if (used + 4 >= len)
                return false;
            memcpy(out + used, "'\\''", 4);
            used += 4;
        } else {
            if (used + 1 >= len)
                return false;
            out[used++] = *p;
        }
    }
    if (used + 1 >= len)
        return false;
    out[used++] = '\'';
    out[used] = '\0';
    return true;
}

Status Apps_detachLine(const char *label, const char *command, char *const *args, size_t nargs,
                       const char *logdir, char *out, size_t len, char *err, size_t errlen)
{
    char log[PATH_MAX + 64];
    size_t i;
    bool ok;

    snprintf(log, sizeof log, "%s/xenlive-app-%s.log", logdir, label);
    snprintf(out, len, "cd / && setsid sh -c ");
    ok = Apps_shellQuote(out, len, command) && strlen(out) + 1 < len;
    if (ok)
        strcat(out, " ");
    ok = ok && Apps_shellQuote(out, len, label);
    for (i = 0; ok && i < nargs; i++) {
        ok = strlen(out) + 1 < len;
        if (ok)
            strcat(out, " ");
        ok = ok && Apps_shellQuote(out, len, args[i]);
    }
    if (ok && strlen(out) + 20 < len) {
        strcat(out, " </dev/null >");
        ok = Apps_shellQuote(out, len, log);
    } else {
        ok = false;
    }
    if (ok && strlen(out) + sizeof " 2>&1 & echo $!" < len)
        strcat(out, " 2>&1 & echo $!");
    else
        ok = false;
    if (!ok) {
        snprintf(err, errlen, "the command for %s is too long", label);
        return STATUS_ERROR;
    }
    return STATUS_OK;
}

int Apps_capture(char *const argv[], unsigned timeout_s, char **output, char *err,
                 size_t errlen)
{
    int fds[2];
    pid_t pid;
    char *buf = NULL;
    size_t used = 0, cap = 0;
    int status = 0;
    struct timespec start, now;
    bool killed = false;

    *output = NULL;
    if (pipe(fds) != 0) {
        snprintf(err, errlen, "pipe: %s", strerror(errno));
        return -1;
    }
    fflush(NULL);
    pid = fork();
    if (pid < 0) {
        snprintf(err, errlen, "fork: %s", strerror(errno));
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        int null = open("/dev/null", O_RDONLY);
        setsid();
        if (null >= 0)
            dup2(null, STDIN_FILENO);
        dup2(fds[1], STDOUT_FILENO);
        dup2(fds[1], STDERR_FILENO);
        close(fds[0]);
        close(fds[1]);
        execvp(argv[0], argv);
        dprintf(STDERR_FILENO, "cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(fds[1]);
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        struct pollfd p = {fds[0], POLLIN, 0};
        long left_ms;
        ssize_t n;

        clock_gettime(CLOCK_MONOTONIC, &now);
        left_ms = (long)timeout_s * 1000 - ((now.tv_sec - start.tv_sec) * 1000 +
                                            (now.tv_nsec - start.tv_nsec) / 1000000);
        if (left_ms <= 0) {
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
            killed = true;
            break;
        }
        if (poll(&p, 1, (int)left_ms) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (!(p.revents & (POLLIN | POLLHUP)))
            continue;
        if (cap - used < 4096) {
            char *nb = realloc(buf, cap + 8192);
            if (!nb)
                break;
            buf = nb;
            cap += 8192;
        }
        n = read(fds[0], buf + used, cap - used - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        used += (size_t)n;
    }
    close(fds[0]);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (!buf)
        buf = calloc(1, 1);
    if (buf)
        buf[used] = '\0';
    *output = buf;
    if (killed)
        return 128 + SIGKILL;
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}

/* The first non-blank line of TEXT, or "no reason given". */
static void first_line(const char *text, char *out, size_t len)
{
    const char *p = text ? text : "";

    while (*p == '\n' || *p == '\r' || *p == ' ')
        p++;
    if (!*p) {
        snprintf(out, len, "no reason given");
        return;
    }
    snprintf(out, len, "%.*s", (int)strcspn(p, "\r\n"), p);
}

/* dbclient root@NAME LINE, after refreshing NAME's known_hosts line. */
static Status Apps_ssh(Backend *be, const Paths *paths, const char *name, const char *line,
                       char **output, int *exit_status, char *err, size_t errlen)
{
    char *words[1];
    char *remote = strdup(line);
    Status st;

    if (!remote) {
        snprintf(err, errlen, "out of memory");
        return STATUS_ERROR;
    }
    words[0] = remote;
    st = GuestSsh_refresh(be, paths, name, err, errlen);
    if (st == STATUS_OK) {
        char host[512];
        char *argv[8];
        int rc;
        st = GuestSsh_argv(paths, name, words, 1, host, sizeof host, argv, err, errlen);
        rc = st != STATUS_OK ? 0 : Apps_capture(argv, APPS_TIMEOUT_S, output, err, errlen);
        if (rc < 0)
            st = STATUS_ERROR;
        else if (st == STATUS_OK)
            *exit_status = rc;
    }
    free(remote);
    return st;
}

Status Apps_run(Backend *be, const Paths *paths, const char *name, const char *app,
                char *const *args, size_t nargs, long *pid, char *err, size_t errlen)
{
    char line[8192];
    char command[4096] = "";
    const char *label = "command";
    AppList apps = {0};
    char *output = NULL;
    int rc = 0;
    Status st;

    if (!app && nargs == 0) {
        snprintf(err, errlen, "no command to run");
        return STATUS_USAGE;
    }
    if (app) {
        const GuestApp *a;
        char image[128];
        if (!Names_split(name, image, sizeof image)) {
            snprintf(err, errlen, "no domain named %s", name);
            return STATUS_ERROR;
        }
        st = Apps_load(paths, image, &apps, err, errlen);
        if (st != STATUS_OK)
            return st;
        a = Apps_find(&apps, app);
        if (!a) {
            char names[512];
            Apps_names(&apps, names, sizeof names);
            snprintf(err, errlen, "no application %s for %s (it has: %s)", app, image, names);
            AppList_free(&apps);
            return STATUS_ERROR;
        }
        snprintf(command, sizeof command, "%s", a->command);
        label = a->name;
        st = Apps_detachLine(label, command, args, nargs, "/run", line, sizeof line, err,
                             errlen);
    } else {
        size_t i;
        for (i = 0; i < nargs; i++) {
            if ((i && strlen(command) + 1 >= sizeof command) ||
                (i && !strcat(command, " ")) || !Apps_shellQuote(command, sizeof command, args[i])) {
                snprintf(err, errlen, "the command is too long");
                return STATUS_ERROR;
            }
        }
        st = Apps_detachLine(label, command, NULL, 0, "/run", line, sizeof line, err, errlen);
    }
    if (st == STATUS_OK)
        st = Apps_ssh(be, paths, name, line, &output, &rc, err, errlen);
    if (st == STATUS_OK) {
        char *end;
        long v = output ? strtol(output, &end, 10) : 0;
        if (rc != 0 || !output || end == output || v <= 0 || (*end && *end != '\n' && *end != '\r')) {
            char why[256];
            first_line(output, why, sizeof why);
            if (rc == 128 + SIGKILL)
                snprintf(why, sizeof why, "no answer in %d s", APPS_TIMEOUT_S);
            snprintf(err, errlen, "%s refused: %s", name, why);
            st = STATUS_ERROR;
        } else {
            *pid = v;
        }
    }
    free(output);
    AppList_free(&apps);
    return st;
}

Status Apps_exec(Backend *be, const Paths *paths, const char *name, char *const *words,
                 size_t nwords, char **output, int *exit_status, char *err, size_t errlen)
{
    char line[8192] = "";
    size_t i;

    *output = NULL;
    if (nwords == 0) {
        snprintf(err, errlen, "no command to run");
        return STATUS_USAGE;
    }
    for (i = 0; i < nwords; i++) {
        if ((i && strlen(line) + 1 >= sizeof line) || (i && !strcat(line, " ")) ||
            !Apps_shellQuote(line, sizeof line, words[i])) {
            snprintf(err, errlen, "the command is too long");
            return STATUS_ERROR;
        }
    }
    return Apps_ssh(be, paths, name, line, output, exit_status, err, errlen);
}

Status Apps_runImage(Backend *be, const Paths *paths, const char *image, const char *app,
                     char *const *args, size_t nargs, AppsCallback on_guest, void *data,
                     unsigned *started, char *err, size_t errlen)
{
    DomainList domains = {0};
    unsigned total = 0, failed = 0;
    size_t i;

    *started = 0;
    if (be->list_domains(be, &domains, err, errlen) < 0)
        return STATUS_ERROR;
    for (i = 0; i < domains.count; i++) {
        char img[128], e[512] = "";
        long pid = 0;
        Status st;

        if (!Names_split(domains.items[i].name, img, sizeof img) || strcmp(img, image) != 0)
            continue;
        total++;
        st = Apps_run(be, paths, domains.items[i].name, app, args, nargs, &pid, e, sizeof e);
        if (st == STATUS_OK)
            (*started)++;
        else
            failed++;
        if (on_guest)
            on_guest(domains.items[i].name, st, pid, e, data);
    }
    DomainList_free(&domains);
    if (total == 0) {
        snprintf(err, errlen, "no running %s guests", image);
        return STATUS_ERROR;
    }
    if (failed) {
        snprintf(err, errlen, "%u of %u %s guests failed", failed, total, image);
        return STATUS_ERROR;
    }
    return STATUS_OK;
}

Status Apps_shell(Backend *be, const Paths *paths, const char *name, char *err, size_t errlen)
{
    char *argv[8];
    pid_t pid;
    int status = 0;
    Status st = GuestSsh_refresh(be, paths, name, err, errlen);

    if (st == STATUS_OK) {
        char host[512];
        st = GuestSsh_argv(paths, name, NULL, 0, host, sizeof host, argv, err, errlen);
    }
    if (st != STATUS_OK)
        return st;
    fflush(NULL);
    pid = fork();
    if (pid < 0) {
        snprintf(err, errlen, "fork: %s", strerror(errno));
        return STATUS_ERROR;
    }
    if (pid == 0) {
        execvp(argv[0], argv);
        dprintf(STDERR_FILENO, "cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            snprintf(err, errlen, "waiting for %s: %s", argv[0], strerror(errno));
            return STATUS_ERROR;
        }
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
        snprintf(err, errlen, "cannot run %s", argv[0]);
        return STATUS_ERROR;
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 255) {
        snprintf(err, errlen, "%s: the SSH connection failed", name);
        return STATUS_ERROR;
    }
    return STATUS_OK;
}
