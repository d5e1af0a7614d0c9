/* test_agent.c: xenlive-agent against a fake xenbus (a socketpair: the
 * test queues xenstored's replies, then reads back the exact requests). */
#include "agent/agent.h"
#include "testutil.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <cmocka.h>

typedef struct Bus {
    TestEnv *env;
    int sv[2]; /* [0] the agent's end, [1] xenstored's */
    char proc[PATH_MAX + 8];
    char osrel[PATH_MAX + 16];
    AgentSources src;
    Agent agent;
} Bus;

static Bus bus;

static void put(const char *dir, const char *name, const char *text)
{
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    Test_writeFile(path, text);
}

static const char meminfo[] = "MemTotal:          98304 kB\nMemFree:           50000 kB\n"
                              "MemAvailable:      60000 kB\nBuffers:    1 kB\n";

static int bus_setup(void **state)
{
    char path[PATH_MAX + 16];
    const struct timeval tv = {2, 0};

    assert_int_equal(TestEnv_setup(state), 0);
    memset(&bus, 0, sizeof bus);
    bus.env = *state;
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, bus.sv), 0);
    /* An agent waiting for a reply the test did not queue fails the test
     * (a short read) instead of hanging it. */
    assert_int_equal(setsockopt(bus.sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv), 0);
    snprintf(bus.proc, sizeof bus.proc, "%s/proc", bus.env->root);
    assert_int_equal(mkdir(bus.proc, 0755), 0);
    put(bus.proc, "meminfo", meminfo);
    put(bus.proc, "loadavg", "0.50 0.25 0.10 1/80 123\n");
    put(bus.proc, "uptime", "123.45 100.00\n");
    snprintf(path, sizeof path, "%s/1", bus.proc);
    assert_int_equal(mkdir(path, 0755), 0);
    snprintf(path, sizeof path, "%s/42", bus.proc);
    assert_int_equal(mkdir(path, 0755), 0);
    snprintf(path, sizeof path, "%s/sys", bus.proc);
    assert_int_equal(mkdir(path, 0755), 0);
    snprintf(bus.osrel, sizeof bus.osrel, "%s/os-release", bus.env->root);
    Test_writeFile(bus.osrel, "NAME=\"Debian GNU/Linux\"\nID=debian\nVERSION_ID=\"13.1\"\n"
                              "PRETTY_NAME=\"Debian GNU/Linux 13 (trixie)\"\n");
    bus.src.proc = bus.proc;
    bus.src.os_release = bus.osrel;
    /* statvfs: /proc, whose figures never move (0 blocks), so that no
     * other process's files change what a pass writes. */
    bus.src.statvfs = "/proc";
    bus.src.ifname = "lo";
    Agent_init(&bus.agent, bus.sv[0], 5, &bus.src);
    return 0;
}

static int bus_teardown(void **state)
{
    close(bus.sv[0]);
    close(bus.sv[1]);
    return TestEnv_teardown(state);
}

/* Queue xenstored's reply to request ID: "OK\0", or XS_ERROR with ERRNAME. */
static void queue_reply(uint32_t id, const char *errname)
{
    char msg[64];
    uint32_t hdr[4] = {errname ? XS_ERROR : XS_WRITE, id, 0, 0};
    const char *body = errname ? errname : "OK";
    size_t blen = strlen(body) + 1;

    hdr[3] = (uint32_t)blen;
    memcpy(msg, hdr, sizeof hdr);
    memcpy(msg + 16, body, blen);
    assert_int_equal(write(bus.sv[1], msg, 16 + blen), (ssize_t)(16 + blen));
}

/* Queue xenstored's answer to the XS_READ request ID: VALUE, or ENOENT
 * when VALUE is NULL. */
static void queue_read(uint32_t id, const char *value)
{
    char msg[64];
    uint32_t hdr[4] = {value ? XS_READ : XS_ERROR, id, 0, 0};
    const char *body = value ? value : "ENOENT";
    size_t blen = strlen(body) + (value ? 0 : 1);

    hdr[3] = (uint32_t)blen;
    memcpy(msg, hdr, sizeof hdr);
    memcpy(msg + 16, body, blen);
    assert_int_equal(write(bus.sv[1], msg, 16 + blen), (ssize_t)(16 + blen));
}

static void queue_ok(uint32_t first, unsigned count)
{
    unsigned i;
    for (i = 0; i < count; i++)
        queue_reply(first + i, NULL);
}

static bool pending(void)
{
    char c;
    return recv(bus.sv[1], &c, 1, MSG_DONTWAIT | MSG_PEEK) == 1;
}

/* The next request the agent sent: its header, and PATH and VALUE. */
static void next_request(uint32_t hdr[4], char *path, char *value)
{
    char payload[XENSTORE_PAYLOAD_MAX + 1];
    size_t plen;

    /* The agent is done when Agent_pass returns: a request it did not
     * send fails here instead of blocking the read. */
    assert_true(pending());
    assert_int_equal(read(bus.sv[1], hdr, 16), 16);
    assert_true(hdr[3] <= XENSTORE_PAYLOAD_MAX);
    assert_int_equal(read(bus.sv[1], payload, hdr[3]), (ssize_t)hdr[3]);
    payload[hdr[3]] = '\0';
    plen = strlen(payload);
    assert_true(plen < hdr[3]); /* path\0value, no NUL after the value */
    strcpy(path, payload);
    memcpy(value, payload + plen + 1, hdr[3] - plen - 1);
    value[hdr[3] - plen - 1] = '\0';
}

/* The next request is the XS_READ of data/updated a later pass starts with. */
static void expect_updated_read(void)
{
    uint32_t hdr[4];
    char path[XENSTORE_PAYLOAD_MAX], value[XENSTORE_PAYLOAD_MAX];

    next_request(hdr, path, value);
    assert_int_equal(hdr[0], XS_READ);
    assert_string_equal(path, "data/updated");
}


static void test_write_sends_the_exact_bytes(void **state)
{
    static const unsigned char want[] = {
        11, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 21, 0, 0, 0, /* XS_WRITE, id 1, tx 0, len 21 */
        'd', 'a', 't', 'a', '/', 'm', 'e', 'm', 'i', 'n', 'f', 'o', '_', 'f', 'r', 'e', 'e', 0,
        '1', '2', '3'};
    unsigned char got[sizeof want + 8];
    char err[256] = "";

    (void)state;
    queue_ok(1, 1);
    assert_int_equal(Agent_xsWrite(&bus.agent, "data/meminfo_free", "123", err, sizeof err), 0);
    assert_int_equal(recv(bus.sv[1], got, sizeof got, MSG_DONTWAIT), (ssize_t)sizeof want);
    assert_memory_equal(got, want, sizeof want);
}

static void test_write_reports_xenstores_error(void **state)
{
    char err[256] = "";

    (void)state;
    queue_reply(1, "EACCES");
    assert_int_equal(Agent_xsWrite(&bus.agent, "control/feature-balloon", "1", err, sizeof err),
                     -1);
    assert_string_equal(err, "xenstore refused control/feature-balloon: EACCES");
}

static void test_write_rejects_a_reply_to_another_request(void **state)
{
    char err[256] = "";

    (void)state;
    queue_reply(7, NULL);
    assert_int_equal(Agent_xsWrite(&bus.agent, "data/x", "1", err, sizeof err), -1);
    assert_string_equal(err, "xenbus answered data/x with type 11, id 7");
}

static void test_first_pass_writes_every_key(void **state)
{
    const char *want[][2] = {
        {"data/meminfo_total", "98304"},
        {"data/meminfo_free", "60000"},
        {"data/os_distro", "debian"},
        {"data/os_name", "Debian GNU/Linux 13 (trixie)"},
        {"data/os_majorver", "13"},
        {"data/os_minorver", "1"},
        {"data/os_uname", NULL}, /* the host's uname -r */
        {"attr/vif/0/ipv4/0", "127.0.0.1"},
        {"data/xenlive/loadavg", "0.50 0.25 0.10"},
        {"data/xenlive/processes", "2"},
        {"data/xenlive/uptime", "123"},
        {"data/xenlive/overlay_used", NULL},
        {"data/xenlive/overlay_total", NULL},
        {"data/xenlive/interval", "5"},
        {"data/updated", "1700000000"},
    };
    size_t n = sizeof want / sizeof want[0], i;
    char err[256] = "";

    (void)state;
    queue_ok(1, (unsigned)n);
    assert_int_equal(Agent_pass(&bus.agent, 1700000000, err, sizeof err), 0);
    for (i = 0; i < n; i++) {
        uint32_t hdr[4];
        char path[XENSTORE_PAYLOAD_MAX], value[XENSTORE_PAYLOAD_MAX];
        next_request(hdr, path, value);
        assert_int_equal(hdr[0], XS_WRITE);
        assert_int_equal(hdr[1], i + 1);
        assert_int_equal(hdr[2], 0);
        assert_string_equal(path, want[i][0]);
        if (want[i][1])
            assert_string_equal(value, want[i][1]);
        else
            assert_true(value[0] != '\0');
    }
    assert_false(pending());
    assert_int_equal(bus.agent.writes, n);
}

static void test_later_passes_write_only_what_changed(void **state)
{
    uint32_t hdr[4];
    char path[XENSTORE_PAYLOAD_MAX], value[XENSTORE_PAYLOAD_MAX];
    char err[256] = "";

    (void)state;
    queue_ok(1, AK_COUNT);
    assert_int_equal(Agent_pass(&bus.agent, 1000, err, sizeof err), 0);
    assert_int_equal(bus.agent.writes, AK_COUNT);
    while (pending())
        next_request(hdr, path, value);
    /* Nothing changed but the time: only data/updated, after reading it
     * back. */
    queue_read(AK_COUNT + 1, "1000");
    queue_ok(AK_COUNT + 2, 1);
    assert_int_equal(Agent_pass(&bus.agent, 1005, err, sizeof err), 0);
    expect_updated_read();
    next_request(hdr, path, value);
    assert_string_equal(path, "data/updated");
    assert_string_equal(value, "1005");
    assert_false(pending());
    /* Free memory and the load change. */
    put(bus.proc, "meminfo", "MemTotal: 98304 kB\nMemFree: 1 kB\nMemAvailable: 40000 kB\n");
    put(bus.proc, "loadavg", "1.00 0.25 0.10 1/80 123\n");
    queue_read(AK_COUNT + 3, "1005");
    queue_ok(AK_COUNT + 4, 3);
    assert_int_equal(Agent_pass(&bus.agent, 1010, err, sizeof err), 0);
    expect_updated_read();
    next_request(hdr, path, value);
    assert_string_equal(path, "data/meminfo_free");
    assert_string_equal(value, "40000");
    next_request(hdr, path, value);
    assert_string_equal(path, "data/xenlive/loadavg");
    assert_string_equal(value, "1.00 0.25 0.10");
    next_request(hdr, path, value);
    assert_string_equal(path, "data/updated");
    assert_false(pending());
    assert_int_equal(bus.agent.reads, 2);
}

/* Restored or moved: a new domain, whose subtree has none of the keys.
 * The read of data/updated finds it gone, and every key is written again,
 * the address among them. */
static void test_keys_come_back_in_a_new_domain(void **state)
{
    uint32_t hdr[4];
    char path[XENSTORE_PAYLOAD_MAX], value[XENSTORE_PAYLOAD_MAX];
    char err[256] = "";
    bool ipv4 = false;
    unsigned i;

    (void)state;
    queue_ok(1, AK_COUNT);
    assert_int_equal(Agent_pass(&bus.agent, 1000, err, sizeof err), 0);
    while (pending())
        next_request(hdr, path, value);
    queue_read(AK_COUNT + 1, NULL);
    queue_ok(AK_COUNT + 2, AK_COUNT);
    assert_int_equal(Agent_pass(&bus.agent, 1005, err, sizeof err), 0);
    expect_updated_read();
    for (i = 0; i < AK_COUNT; i++) {
        next_request(hdr, path, value);
        assert_int_equal(hdr[0], XS_WRITE);
        ipv4 = ipv4 || strcmp(path, "attr/vif/0/ipv4/0") == 0;
    }
    assert_true(ipv4);
    assert_false(pending());
    assert_int_equal(bus.agent.writes, 2 * AK_COUNT);
    /* A read xenstored refuses otherwise fails the pass, which writes
     * nothing. */
    queue_reply(2 * AK_COUNT + 2, "EACCES");
    assert_int_equal(Agent_pass(&bus.agent, 1010, err, sizeof err), -1);
    assert_string_equal(err, "xenstore refused data/updated: EACCES");
    expect_updated_read();
    assert_false(pending());
}

static void test_a_refused_write_is_tried_again(void **state)
{
    uint32_t hdr[4];
    char path[XENSTORE_PAYLOAD_MAX], value[XENSTORE_PAYLOAD_MAX];
    char err[256] = "";
    unsigned i;

    (void)state;
    /* The first key (data/meminfo_total) is refused, the rest accepted. */
    queue_reply(1, "EQUOTA");
    queue_ok(2, AK_COUNT - 1);
    assert_int_equal(Agent_pass(&bus.agent, 1000, err, sizeof err), -1);
    assert_string_equal(err, "xenstore refused data/meminfo_total: EQUOTA");
    for (i = 0; i < AK_COUNT; i++)
        next_request(hdr, path, value);
    queue_read(AK_COUNT + 1, "1000");
    queue_ok(AK_COUNT + 2, 2);
    assert_int_equal(Agent_pass(&bus.agent, 1005, err, sizeof err), 0);
    expect_updated_read();
    next_request(hdr, path, value);
    assert_string_equal(path, "data/meminfo_total");
    assert_string_equal(value, "98304");
    next_request(hdr, path, value);
    assert_string_equal(path, "data/updated");
    assert_false(pending());
}

static void test_missing_sources_are_not_written(void **state)
{
    (void)state;
    bus.agent.src.proc = "/nonexistent";
    bus.agent.src.os_release = "/nonexistent";
    bus.agent.src.statvfs = "/nonexistent";
    bus.agent.src.ifname = "nosuchif0";
    Agent_collect(&bus.agent, 5);
    assert_string_equal(bus.agent.value[AK_MEM_FREE], "");
    assert_string_equal(bus.agent.value[AK_IPV4], "");
    assert_string_equal(bus.agent.value[AK_OVERLAY_USED], "");
    assert_string_equal(bus.agent.value[AK_PROCESSES], "");
    assert_string_equal(bus.agent.value[AK_UPDATED], "5");
}

static void test_parsers(void **state)
{
    char v[64];

    (void)state;
    assert_int_equal(Agent_meminfoKib(meminfo, "MemAvailable"), 60000);
    assert_int_equal(Agent_meminfoKib(meminfo, "MemFree"), 50000);
    assert_int_equal(Agent_meminfoKib(meminfo, "Mem"), -1);
    assert_int_equal(Agent_meminfoKib("MemTotal: x kB\n", "MemTotal"), -1);
    assert_int_equal(Agent_osReleaseValue("ID='tiny'\nX=1", "ID", v, sizeof v), 0);
    assert_string_equal(v, "tiny");
    assert_int_equal(Agent_osReleaseValue("VERSION_ID=9\n", "VERSION", v, sizeof v), -1);
}

static void test_memavailable_missing_falls_back_to_memfree(void **state)
{
    (void)state;
    put(bus.proc, "meminfo", "MemTotal: 1000 kB\nMemFree: 300 kB\n");
    Agent_collect(&bus.agent, 1);
    assert_string_equal(bus.agent.value[AK_MEM_FREE], "300");
    assert_string_equal(bus.agent.value[AK_OS_MINOR], "1");
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, bus_setup, bus_teardown)
    const struct CMUnitTest tests[] = {
        T(test_write_sends_the_exact_bytes),
        T(test_write_reports_xenstores_error),
        T(test_write_rejects_a_reply_to_another_request),
        T(test_first_pass_writes_every_key),
        T(test_later_passes_write_only_what_changed),
        T(test_keys_come_back_in_a_new_domain),
        T(test_a_refused_write_is_tried_again),
        T(test_missing_sources_are_not_written),
        T(test_parsers),
        T(test_memavailable_missing_falls_back_to_memfree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
