/* command.c: run a program (xl) and keep what it printed. */
#include "command.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int Command_start(char *const argv[], const char *password, const char *input,
                         bool session, char *output, size_t len);

int Command_run(char *const argv[], char *output, size_t len)
{
    return Command_start(argv, NULL, NULL, false, output, len);
}

int Command_runInput(char *const argv[], const char *password, const char *input, char *output,
                     size_t len)
{
    return Command_start(argv, password, input, true, output, len);
}

static int Command_start(char *const argv[], const char *password, const char *input,
                         bool session, char *output, size_t len)
{
    int in[2] = {-1, -1};
    int fds[2];
    size_t used = 0;
    pid_t pid;
    int status;

    output[0] = '\0';
    if (input && pipe2(in, O_CLOEXEC) < 0) {
        snprintf(output, len, "cannot run %s: %s", argv[0], strerror(errno));
        return -1;
    }
    if (pipe2(fds, O_CLOEXEC) < 0) {
        snprintf(output, len, "cannot run %s: %s", argv[0], strerror(errno));
        return -1;
    }
    pid = fork();
    if (pid < 0) {
        snprintf(output, len, "cannot run %s: %s", argv[0], strerror(errno));
        close(fds[0]);
        close(fds[1]);
        if (in[0] >= 0) {
            close(in[0]);
            close(in[1]);
        }
        return -1;
    }
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        dup2(fds[1], STDERR_FILENO);
        if (session) {
            int null = open("/dev/null", O_RDONLY);

            setsid();
            if (in[0] >= 0)
                dup2(in[0], STDIN_FILENO);
            else if (null >= 0)
                dup2(null, STDIN_FILENO);
        }
        if (password)
            setenv("DROPBEAR_PASSWORD", password, 1);
        execvp(argv[0], argv);
        dprintf(STDERR_FILENO, "cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(fds[1]);
    if (in[0] >= 0) {
        /* Small enough for the pipe: written whole before reading. */
        size_t n = strlen(input);
        const char *p = input;

        close(in[0]);
        while (n > 0) {
            ssize_t w = write(in[1], p, n);

            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                break;
            p += w;
            n -= (size_t)w;
        }
        close(in[1]);
    }
    /* Read to the end even when OUTPUT is full, so the child never
     * blocks on a full pipe. */
    for (;;) {
        char buf[4096];
        ssize_t n = read(fds[0], buf, sizeof buf);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        if (used + 1 < len) {
            size_t take = (size_t)n < len - 1 - used ? (size_t)n : len - 1 - used;

            memcpy(output + used, buf, take);
            used += take;
        }
    }
    output[used] = '\0';
    close(fds[0]);
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            snprintf(output, len, "cannot wait for %s: %s", argv[0], strerror(errno));
            return -1;
        }
    }
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}

/* xl's progress lines, which say nothing about a failure. */
static bool Command_chatter(const char *p, size_t n)
{
    static const char *const chatter[] = {"Parsing config from", "Loading new save file",
                                          "Savefile contains xl domain config",
                                          "Saving to ", "xc: info:"};
    size_t i;

    for (i = 0; i < sizeof chatter / sizeof chatter[0]; i++)
        if (n >= strlen(chatter[i]) && strncmp(p, chatter[i], strlen(chatter[i])) == 0)
            return true;
    return false;
}

bool Command_summary(const char *output, char *line, size_t len)
{
    const char *first = NULL;
    size_t first_n = 0;
    const char *p = output;

    while (*p) {
        const char *end = p + strcspn(p, "\n");
        const char *last = end;

        while (p < end && isspace((unsigned char)*p))
            p++;
        while (last > p && isspace((unsigned char)last[-1]))
            last--;
        if (last > p && !Command_chatter(p, (size_t)(last - p))) {
            /* The first line that names an error, else the first line. */
            if (memmem(p, (size_t)(last - p), "error", 5)) {
                snprintf(line, len, "%.*s", (int)(last - p), p);
                return true;
            }
            if (!first) {
                first = p;
                first_n = (size_t)(last - p);
            }
        }
        p = *end ? end + 1 : end;
    }
    if (!first)
        return false;
    snprintf(line, len, "%.*s", (int)first_n, first);
    return true;
}
