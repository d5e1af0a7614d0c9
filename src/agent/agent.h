/* agent.h: xenlive-agent, the guest's reporter.  It writes what the guest
 * knows about itself into its own xenstore subtree, in the layout of
 * xe-guest-utilities (guestmetric/guestmetric_linux.go, xe-daemon.go) and
 * xen-guest-agent (src/xenstore_schema_std.rs), plus xenlive's own keys
 * under data/xenlive/.  xenstore-paths.pandoc: ~/data/... is "available for
 * arbitrary domain use", ~/attr/vif/$DEVID/ipv4/$INDEX is for display.
 *
 * It talks the xenstore wire protocol (xen.git xen/include/public/io/
 * xs_wire.h) on a file descriptor, /dev/xen/xenbus in a guest, a socket in
 * the unit tests; no libxenstore.  Nothing here prints or exits. */
#ifndef XENLIVE_AGENT_H
#define XENLIVE_AGENT_H

#include <stddef.h>
#include <stdint.h>

#define XS_READ 2u
#define XS_WRITE 11u
#define XS_ERROR 16u
#define XENSTORE_PAYLOAD_MAX 4096u

/* The keys, relative to /local/domain/N (xenstored resolves a relative
 * path to the caller's own domain).  Values are decimal text. */
enum AgentKey {
    AK_MEM_TOTAL,     /* data/meminfo_total: MemTotal, KiB */
    AK_MEM_FREE,      /* data/meminfo_free: MemAvailable (MemFree without it), KiB */
    AK_OS_DISTRO,     /* data/os_distro: os-release ID ("debian") */
    AK_OS_NAME,       /* data/os_name: os-release PRETTY_NAME */
    AK_OS_MAJOR,      /* data/os_majorver: VERSION_ID before the first '.' */
    AK_OS_MINOR,      /* data/os_minorver: after it ("0" without one) */
    AK_OS_UNAME,      /* data/os_uname: uname -r */
    AK_IPV4,          /* attr/vif/0/ipv4/0: the first IPv4 address of eth0 */
    AK_LOADAVG,       /* data/xenlive/loadavg: /proc/loadavg's three averages */
    AK_PROCESSES,     /* data/xenlive/processes: processes (numeric /proc dirs) */
    AK_UPTIME,        /* data/xenlive/uptime: seconds since the guest booted */
    AK_OVERLAY_USED,  /* data/xenlive/overlay_used: KiB used on / (the RAM overlay's upper tmpfs) */
    AK_OVERLAY_TOTAL, /* data/xenlive/overlay_total: KiB, its size */
    AK_INTERVAL,      /* data/xenlive/interval: seconds between passes */
    AK_UPDATED,       /* data/updated: Unix time (seconds) of the pass; written every pass */
    AK_COUNT
};

/* The xenstore path of KEY ("data/meminfo_free"). */
const char *Agent_keyPath(int key);

/* Where the agent looks; the tests point these at fixtures. */
typedef struct AgentSources {
    const char *proc;       /* "/proc": meminfo, loadavg, uptime, the pid folders */
    const char *os_release; /* "/etc/os-release" (then /usr/lib/os-release) */
    const char *statvfs;    /* "/": the overlay */
    const char *ifname;     /* "eth0" */
} AgentSources;

#define AGENT_VALUE_MAX 128

typedef struct Agent {
    int fd;          /* the xenbus */
    uint32_t req_id; /* the next request's id */
    unsigned interval_s;
    AgentSources src;
    char value[AK_COUNT][AGENT_VALUE_MAX]; /* this pass; "" = unknown, not written */
    char written[AK_COUNT][AGENT_VALUE_MAX]; /* what xenstore holds from us */
    unsigned writes; /* XS_WRITE requests sent, in total */
    unsigned reads;  /* XS_READ requests sent, in total */
} Agent;

void Agent_init(Agent *a, int fd, unsigned interval_s, const AgentSources *src);

/* Fill a->value from the sources at Unix time NOW (seconds).  A source
 * that cannot be read leaves its keys "" (not written). */
void Agent_collect(Agent *a, long long now);

/* One pass: collect, then write each key whose value differs from what was
 * last written (data/updated every time).  From the second pass on it
 * first reads data/updated back: when xenstore no longer has it (the
 * guest was restored or moved: a new domain, an empty subtree), every
 * key is written again.  0, or -1 with a one-line reason in ERR (a write
 * that failed is tried again next pass). */
int Agent_pass(Agent *a, long long now, char *err, size_t errlen);

/* One XS_WRITE of VALUE at PATH: 0, or -1 with the errno name xenstored
 * sent (XS_ERROR) or the I/O failure in ERR. */
int Agent_xsWrite(Agent *a, const char *path, const char *value, char *err, size_t errlen);

/* One XS_READ of PATH: 1 when it exists, 0 when xenstored answers
 * ENOENT, -1 with the reason in ERR otherwise. */
int Agent_xsExists(Agent *a, const char *path, char *err, size_t errlen);

/* Parsers, for the tests.  The value of FIELD ("MemAvailable") in
 * /proc/meminfo text TEXT, in KiB; -1 when missing. */
long long Agent_meminfoKib(const char *text, const char *field);
/* The value of KEY in os-release(5) text, quotes removed, into OUT. */
int Agent_osReleaseValue(const char *text, const char *key, char *out, size_t len);

#endif
