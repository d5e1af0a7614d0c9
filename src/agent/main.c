/* xenlive-agent: writes the guest's own figures to its xenstore subtree
 * (agent.h lists the keys) every -i SECONDS (5), only what changed, on
 * /dev/xen/xenbus (or -d DEVICE).  -1: one pass, then exit.
 * Exit codes: 0 ok (-1), 1 error, 2 usage.  Errors go to stderr, each
 * different one once. */
#include "agent.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int open_bus(const char *dev)
{
    static const char *const tries[] = {"/dev/xen/xenbus", "/proc/xen/xenbus"};
    size_t i;

    if (dev)
        return open(dev, O_RDWR | O_CLOEXEC);
    for (i = 0; i < sizeof tries / sizeof tries[0]; i++) {
        int fd = open(tries[i], O_RDWR | O_CLOEXEC);
        if (fd >= 0)
            return fd;
    }
    return -1;
}

int main(int argc, char **argv)
{
    const AgentSources src = {"/proc", "/etc/os-release", "/", "eth0"};
    const char *dev = NULL;
    unsigned interval = 5;
    int once = 0, opt;
    char last[256] = "";
    Agent a;

    while ((opt = getopt(argc, argv, "i:d:1")) != -1) {
        switch (opt) {
        case 'i': {
            char *end;
            unsigned long v = strtoul(optarg, &end, 10);
            if (*optarg == '\0' || *end != '\0' || v < 1 || v > 3600) {
                fprintf(stderr, "xenlive-agent: -i takes seconds, 1 to 3600\n");
                return 2;
            }
            interval = (unsigned)v;
            break;
        }
        case 'd': dev = optarg; break;
        case '1': once = 1; break;
        default:
            fprintf(stderr, "usage: xenlive-agent [-i SECONDS] [-d DEVICE] [-1]\n");
            return 2;
        }
    }
    Agent_init(&a, -1, interval, &src);
    for (;;) {
        char err[256] = "";
        if (a.fd < 0) {
            a.fd = open_bus(dev);
            if (a.fd < 0)
                snprintf(err, sizeof err, "cannot open %s: %s", dev ? dev : "/dev/xen/xenbus",
                         strerror(errno));
            /* A new connection holds nothing of ours yet: write all. */
            memset(a.written, 0, sizeof a.written);
        }
        if (a.fd >= 0 && Agent_pass(&a, (long long)time(NULL), err, sizeof err) != 0 &&
            strstr(err, "xenbus")) {
            close(a.fd); /* an I/O failure may leave the stream mid-reply */
            a.fd = -1;
        }
        if (err[0] && strcmp(err, last) != 0)
            fprintf(stderr, "xenlive-agent: %s\n", err);
        snprintf(last, sizeof last, "%s", err);
        if (once)
            return err[0] ? 1 : 0;
        sleep(interval);
    }
}
