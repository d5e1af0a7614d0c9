/* agent.c: see agent.h. */
#include "agent.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <sys/utsname.h>
#include <unistd.h>

static const char *const key_paths[AK_COUNT] = {
    [AK_MEM_TOTAL] = "data/meminfo_total",
    [AK_MEM_FREE] = "data/meminfo_free",
    [AK_OS_DISTRO] = "data/os_distro",
    [AK_OS_NAME] = "data/os_name",
    [AK_OS_MAJOR] = "data/os_majorver",
    [AK_OS_MINOR] = "data/os_minorver",
    [AK_OS_UNAME] = "data/os_uname",
    [AK_IPV4] = "attr/vif/0/ipv4/0",
    [AK_LOADAVG] = "data/xenlive/loadavg",
    [AK_PROCESSES] = "data/xenlive/processes",
    [AK_UPTIME] = "data/xenlive/uptime",
    [AK_OVERLAY_USED] = "data/xenlive/overlay_used",
    [AK_OVERLAY_TOTAL] = "data/xenlive/overlay_total",
    [AK_INTERVAL] = "data/xenlive/interval",
    [AK_UPDATED] = "data/updated",
};

const char *Agent_keyPath(int key)
{
    return key >= 0 && key < AK_COUNT ? key_paths[key] : NULL;
}

void Agent_init(Agent *a, int fd, unsigned interval_s, const AgentSources *src)
{
    memset(a, 0, sizeof *a);
    a->fd = fd;
    a->req_id = 1;
    a->interval_s = interval_s;
    a->src = *src;
}

/* Read FILE (at most LEN - 1 bytes) into BUF as text; -1 when it cannot. */
static int read_text(const char *dir, const char *name, char *buf, size_t len)
{
    char path[512];
    int fd;
    size_t got = 0;

    if (name)
        snprintf(path, sizeof path, "%s/%s", dir, name);
    else
        snprintf(path, sizeof path, "%s", dir);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    while (got + 1 < len) {
        ssize_t n = read(fd, buf + got, len - 1 - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    buf[got] = '\0';
    return 0;
}

long long Agent_meminfoKib(const char *text, const char *field)
{
    size_t flen = strlen(field);
    const char *p = text;

    while (p && *p) {
        if (strncmp(p, field, flen) == 0 && p[flen] == ':') {
            char *end;
            long long v = strtoll(p + flen + 1, &end, 10);
            return end == p + flen + 1 || v < 0 ? -1 : v;
        }
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    return -1;
}

int Agent_osReleaseValue(const char *text, const char *key, char *out, size_t len)
{
    size_t klen = strlen(key);
    const char *p = text;

    while (p && *p) {
        if (strncmp(p, key, klen) == 0 && p[klen] == '=') {
            const char *v = p + klen + 1;
            size_t n = strcspn(v, "\n");
            if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
                v++;
                n -= 2;
            }
            if (n >= len)
                n = len - 1;
            memcpy(out, v, n);
            out[n] = '\0';
            return 0;
        }
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    return -1;
}

static void set(Agent *a, int key, const char *fmt, long long v)
{
    snprintf(a->value[key], AGENT_VALUE_MAX, fmt, v);
}

static void collect_os(Agent *a)
{
    char text[4096];
    struct utsname u;

    if (read_text(a->src.os_release, NULL, text, sizeof text) == 0 ||
        read_text("/usr/lib/os-release", NULL, text, sizeof text) == 0) {
        char v[AGENT_VALUE_MAX];
        if (Agent_osReleaseValue(text, "ID", v, sizeof v) == 0)
            snprintf(a->value[AK_OS_DISTRO], AGENT_VALUE_MAX, "%s", v);
        if (Agent_osReleaseValue(text, "PRETTY_NAME", v, sizeof v) == 0)
            snprintf(a->value[AK_OS_NAME], AGENT_VALUE_MAX, "%s", v);
        if (Agent_osReleaseValue(text, "VERSION_ID", v, sizeof v) == 0) {
            char *dot = strchr(v, '.');
            const char *minor = "0";
            if (dot) {
                char *dot2 = strchr(dot + 1, '.');
                *dot = '\0';
                if (dot2)
                    *dot2 = '\0';
                if (dot[1])
                    minor = dot + 1;
            }
            snprintf(a->value[AK_OS_MAJOR], AGENT_VALUE_MAX, "%s", v);
            snprintf(a->value[AK_OS_MINOR], AGENT_VALUE_MAX, "%s", minor);
        }
    }
    if (uname(&u) == 0)
        snprintf(a->value[AK_OS_UNAME], AGENT_VALUE_MAX, "%s", u.release);
}

static void collect_ipv4(Agent *a)
{
    struct ifaddrs *list, *i;

    if (getifaddrs(&list) != 0)
        return;
    for (i = list; i; i = i->ifa_next) {
        if (i->ifa_addr && i->ifa_addr->sa_family == AF_INET &&
            strcmp(i->ifa_name, a->src.ifname) == 0) {
            const struct sockaddr_in *sin = (const struct sockaddr_in *)(const void *)i->ifa_addr;
            inet_ntop(AF_INET, &sin->sin_addr, a->value[AK_IPV4], AGENT_VALUE_MAX);
            break;
        }
    }
    freeifaddrs(list);
}

static void collect_processes(Agent *a)
{
    DIR *d = opendir(a->src.proc);
    struct dirent *e;
    long long n = 0;

    if (!d)
        return;
    while ((e = readdir(d)) != NULL) {
        const char *c = e->d_name;
        while (isdigit((unsigned char)*c))
            c++;
        if (c != e->d_name && *c == '\0')
            n++;
    }
    closedir(d);
    set(a, AK_PROCESSES, "%lld", n);
}

void Agent_collect(Agent *a, long long now)
{
    char text[4096];
    struct statvfs vfs;
    int k;

    for (k = 0; k < AK_COUNT; k++)
        a->value[k][0] = '\0';
    if (read_text(a->src.proc, "meminfo", text, sizeof text) == 0) {
        long long total = Agent_meminfoKib(text, "MemTotal");
        long long avail = Agent_meminfoKib(text, "MemAvailable");
        if (avail < 0)
            avail = Agent_meminfoKib(text, "MemFree");
        if (total >= 0)
            set(a, AK_MEM_TOTAL, "%lld", total);
        if (avail >= 0)
            set(a, AK_MEM_FREE, "%lld", avail);
    }
    collect_os(a);
    collect_ipv4(a);
    if (read_text(a->src.proc, "loadavg", text, sizeof text) == 0) {
        double l1, l5, l15;
        if (sscanf(text, "%lf %lf %lf", &l1, &l5, &l15) == 3)
            snprintf(a->value[AK_LOADAVG], AGENT_VALUE_MAX, "%.2f %.2f %.2f", l1, l5, l15);
    }
    collect_processes(a);
    if (read_text(a->src.proc, "uptime", text, sizeof text) == 0) {
        double up;
        if (sscanf(text, "%lf", &up) == 1 && up >= 0)
            set(a, AK_UPTIME, "%lld", (long long)up);
    }
    /* overlayfs reports its upper layer's statfs: the guest's RAM tmpfs. */
    if (statvfs(a->src.statvfs, &vfs) == 0 && vfs.f_frsize > 0) {
        unsigned long long total = (unsigned long long)vfs.f_blocks * vfs.f_frsize / 1024;
        unsigned long long avail = (unsigned long long)vfs.f_bfree * vfs.f_frsize / 1024;
        set(a, AK_OVERLAY_TOTAL, "%lld", (long long)total);
        set(a, AK_OVERLAY_USED, "%lld", (long long)(total - avail));
    }
    set(a, AK_INTERVAL, "%lld", a->interval_s);
    set(a, AK_UPDATED, "%lld", now);
}

static int write_full(int fd, const void *buf, size_t len)
{
    const char *p = buf;

    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static int read_full(int fd, void *buf, size_t len)
{
    char *p = buf;

    while (len > 0) {
        ssize_t n = read(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* One request of TYPE with PAYLOAD (LEN bytes) and its reply, whose body
 * goes to REPLY (at most XENSTORE_PAYLOAD_MAX bytes and a NUL).  0, or -1
 * with ERR: I/O, XS_ERROR (the errno name xenstored sent, in REPLY too),
 * or a reply to another request.  WHAT names the path in messages. */
static int xs_request(Agent *a, uint32_t type, const char *payload, size_t len, const char *what,
                      char *reply, char *err, size_t errlen)
{
    /* struct xsd_sockmsg: type, req_id, tx_id, len (host order: the
     * guest's kernel passes it to xenstored as is; x86 is little-endian). */
    uint32_t hdr[4];
    char msg[16 + XENSTORE_PAYLOAD_MAX];
    uint32_t id = a->req_id++;

    hdr[0] = type;
    hdr[1] = id;
    hdr[2] = 0;
    hdr[3] = (uint32_t)len;
    memcpy(msg, hdr, sizeof hdr);
    memcpy(msg + 16, payload, len);
    if (write_full(a->fd, msg, 16 + len) != 0) {
        snprintf(err, errlen, "%s %s to xenbus: %s", type == XS_WRITE ? "writing" : "asking for",
                 what, strerror(errno ? errno : EIO));
        return -1;
    }
    if (read_full(a->fd, hdr, sizeof hdr) != 0 || hdr[3] > XENSTORE_PAYLOAD_MAX ||
        read_full(a->fd, reply, hdr[3]) != 0) {
        snprintf(err, errlen, "reading xenbus's reply for %s: %s", what,
                 errno ? strerror(errno) : "short reply");
        return -1;
    }
    reply[hdr[3]] = '\0';
    if (hdr[0] == XS_ERROR) {
        snprintf(err, errlen, "xenstore refused %s: %s", what, reply);
        return -1;
    }
    if (hdr[0] != type || hdr[1] != id) {
        snprintf(err, errlen, "xenbus answered %s with type %u, id %u", what, hdr[0], hdr[1]);
        return -1;
    }
    return 0;
}

int Agent_xsWrite(Agent *a, const char *path, const char *value, char *err, size_t errlen)
{
    char payload[XENSTORE_PAYLOAD_MAX];
    char reply[XENSTORE_PAYLOAD_MAX + 1];
    size_t plen = strlen(path), vlen = strlen(value);

    if (plen + 1 + vlen > XENSTORE_PAYLOAD_MAX) {
        snprintf(err, errlen, "%s: value too long", path);
        return -1;
    }
    memcpy(payload, path, plen + 1);
    memcpy(payload + plen + 1, value, vlen);
    a->writes++;
    return xs_request(a, XS_WRITE, payload, plen + 1 + vlen, path, reply, err, errlen);
}

int Agent_xsExists(Agent *a, const char *path, char *err, size_t errlen)
{
    char reply[XENSTORE_PAYLOAD_MAX + 1];
    size_t plen = strlen(path);

    if (plen + 1 > XENSTORE_PAYLOAD_MAX) {
        snprintf(err, errlen, "%s: path too long", path);
        return -1;
    }
    a->reads++;
    if (xs_request(a, XS_READ, path, plen + 1, path, reply, err, errlen) == 0)
        return 1;
    return strcmp(reply, "ENOENT") == 0 ? 0 : -1;
}

int Agent_pass(Agent *a, long long now, char *err, size_t errlen)
{
    int k, rc = 0;

    Agent_collect(a, now);
    /* A guest restored or moved runs as a new domain, whose subtree
     * xenstore starts empty: data/updated, written every pass, is then
     * missing, and every key is written again. */
    if (a->written[AK_UPDATED][0]) {
        char e[256];
        int found = Agent_xsExists(a, key_paths[AK_UPDATED], e, sizeof e);

        if (found < 0) {
            snprintf(err, errlen, "%s", e);
            return -1;
        }
        if (found == 0)
            memset(a->written, 0, sizeof a->written);
    }
    for (k = 0; k < AK_COUNT; k++) {
        char e[256];
        if (a->value[k][0] == '\0' || strcmp(a->value[k], a->written[k]) == 0)
            continue;
        if (Agent_xsWrite(a, key_paths[k], a->value[k], e, sizeof e) != 0) {
            if (rc == 0)
                snprintf(err, errlen, "%s", e);
            rc = -1;
            a->written[k][0] = '\0';
            continue;
        }
        memcpy(a->written[k], a->value[k], AGENT_VALUE_MAX);
    }
    return rc;
}
