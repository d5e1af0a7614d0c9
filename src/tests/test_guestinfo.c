/* test_guestinfo.c: dom0's reading of the guest agent's keys through the
 * fake backend: present, missing and stale keys; the USED, OVERLAY, IP and
 * OS cells; list --json's fields; one batch per refresh. */
#include "guestinfo.h"
#include "guests.h"
#include "testutil.h"
#include "top.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define NOW 1700000000

/* A guest that ran its agent at UPDATED: 60000 KiB total, FREE KiB
 * available, 1024 of 4096 KiB of overlay used, 10.99.0.12, debian 13. */
static GuestKeys agent_keys(const char *free_kib, long long updated)
{
    GuestKeys k;
    char t[32];

    memset(&k, 0, sizeof k);
    BackendFake_setKey(&k, GK_MEM_TOTAL, "60000");
    BackendFake_setKey(&k, GK_MEM_FREE, free_kib);
    BackendFake_setKey(&k, GK_OS_DISTRO, "debian");
    BackendFake_setKey(&k, GK_OS_MAJOR, "13");
    BackendFake_setKey(&k, GK_IPV4, "10.99.0.12");
    BackendFake_setKey(&k, GK_OVERLAY_USED, "1024");
    BackendFake_setKey(&k, GK_OVERLAY_TOTAL, "4096");
    BackendFake_setKey(&k, GK_INTERVAL, "5");
    snprintf(t, sizeof t, "%lld", updated);
    BackendFake_setKey(&k, GK_UPDATED, t);
    return k;
}

static void cells(const GuestInfo *g, uint64_t alloc_kib, char *out, size_t len)
{
    char u[32], o[32], ip[64], os[64];

    GuestInfo_fmtUsed(u, sizeof u, g, alloc_kib);
    GuestInfo_fmtOverlay(o, sizeof o, g);
    GuestInfo_fmtIp(ip, sizeof ip, g);
    GuestInfo_fmtOs(os, sizeof os, g);
    snprintf(out, len, "%s|%s|%s|%s", u, o, ip, os);
}

static void test_present_keys(void **state)
{
    GuestKeys k = agent_keys("30000", NOW - 4);
    GuestInfo g;
    char c[256];

    (void)state;
    GuestInfo_fromKeys(&g, &k, NOW);
    assert_int_equal(g.state, GUESTINFO_OK);
    /* (60000 - 30000) KiB = 29.3 MiB; 30000 of 65536 KiB = 45.8 %. */
    assert_int_equal(GuestInfo_memUsedMib(&g), 29);
    assert_int_equal(GuestInfo_memUsedPct(&g, 65536), 46);
    assert_int_equal(GuestInfo_overlayPct(&g), 25);
    cells(&g, 65536, c, sizeof c);
    assert_string_equal(c, "29 46%|25%|10.99.0.12|debian 13");
}

static void test_missing_keys(void **state)
{
    GuestKeys none = {0};
    GuestKeys some = agent_keys("30000", NOW);
    GuestInfo g;
    char c[256];

    (void)state;
    /* No agent at all: "-" everywhere. */
    GuestInfo_fromKeys(&g, &none, NOW);
    assert_int_equal(g.state, GUESTINFO_NONE);
    cells(&g, 65536, c, sizeof c);
    assert_string_equal(c, "-|-|-|-");
    cells(NULL, 65536, c, sizeof c);
    assert_string_equal(c, "-|-|-|-");
    /* An agent without an address yet, nor an overlay, nor a bad number. */
    some.present[GK_IPV4] = false;
    some.present[GK_OVERLAY_TOTAL] = false;
    BackendFake_setKey(&some, GK_MEM_FREE, "12x");
    some.present[GK_OS_MAJOR] = false;
    GuestInfo_fromKeys(&g, &some, NOW);
    assert_int_equal(g.state, GUESTINFO_OK);
    cells(&g, 65536, c, sizeof c);
    assert_string_equal(c, "-|-|-|debian");
}

static void test_stale_keys(void **state)
{
    GuestKeys k = agent_keys("30000", NOW - 15);
    GuestInfo g;
    char c[256];

    (void)state;
    /* Three intervals (15 s) old is still fresh; one second more is not. */
    GuestInfo_fromKeys(&g, &k, NOW);
    assert_int_equal(g.state, GUESTINFO_OK);
    GuestInfo_fromKeys(&g, &k, NOW + 1);
    assert_int_equal(g.state, GUESTINFO_STALE);
    cells(&g, 65536, c, sizeof c);
    assert_string_equal(c, "?|?|?|?");
    assert_int_equal(GuestInfo_memUsedMib(&g), -1);
    /* The agent's own interval counts: 60 s makes 3 min fresh. */
    BackendFake_setKey(&k, GK_INTERVAL, "60");
    GuestInfo_fromKeys(&g, &k, NOW + 100);
    assert_int_equal(g.state, GUESTINFO_OK);
}

/* A guest's keys are its own text: numbers too large for dom0's
 * arithmetic (found by fuzz_guestinfo: 3 * interval overflowed) count as
 * unknown, and a use larger than Xen's allocation is not believed. */
static void test_huge_numbers_are_unknown(void **state)
{
    GuestKeys k = agent_keys("30000", NOW - 15);
    GuestInfo g;
    char c[256];

    (void)state;
    BackendFake_setKey(&k, GK_INTERVAL, "9223372036854775807");
    GuestInfo_fromKeys(&g, &k, NOW + 1);
    assert_int_equal(g.state, GUESTINFO_STALE); /* the default 5 s applies */
    k = agent_keys("30000", NOW);
    BackendFake_setKey(&k, GK_OVERLAY_USED, "99999999999999999");
    BackendFake_setKey(&k, GK_MEM_TOTAL, "1099511627777"); /* 2^40 + 1 */
    GuestInfo_fromKeys(&g, &k, NOW);
    assert_int_equal(g.overlay_used_kib, -1);
    assert_int_equal(g.mem_total_kib, -1);
    cells(&g, 65536, c, sizeof c);
    assert_string_equal(c, "-|-|10.99.0.12|debian 13");
    k = agent_keys("0", NOW);
    BackendFake_setKey(&k, GK_MEM_TOTAL, "1099511627776");
    GuestInfo_fromKeys(&g, &k, NOW);
    assert_int_equal(GuestInfo_memUsedPct(&g, 65536), -1);
}

static void test_text_is_made_printable(void **state)
{
    GuestKeys k = agent_keys("30000", NOW);
    GuestInfo g;

    (void)state;
    BackendFake_setKey(&k, GK_OS_DISTRO, "de\033[2Jbian");
    GuestInfo_fromKeys(&g, &k, NOW);
    assert_string_equal(g.os, "de?[2Jbian 13");
}

static void add(Sample *s, uint32_t id, const char *name)
{
    DomainSample d;

    memset(&d, 0, sizeof d);
    d.id = id;
    snprintf(d.name, sizeof d.name, "%s", name);
    snprintf(d.state, sizeof d.state, "-b----");
    d.mem_kib = 65536;
    assert_int_equal(Sample_add(s, &d), 0);
}

/* Top: one batch per refresh, Domain-0 never asked, each row its cells. */
static void test_top_reads_once_per_refresh(void **state)
{
    TestEnv *env = *state;
    Sample s = {.wall_ns = 1, .now_s = NOW, .num_cpus = 1};
    const uint32_t ids[] = {0, 3, 4};
    GuestKeys keys[3];
    Top top = {0};
    char err[256], c[256];
    size_t i;

    keys[0] = agent_keys("1", NOW);   /* Domain-0's: never shown */
    keys[1] = agent_keys("30000", NOW - 2);
    keys[2] = agent_keys("30000", NOW - 60);
    add(&s, 0, "Domain-0");
    add(&s, 3, "debian-1");
    add(&s, 4, "debian-2");
    add(&s, 5, "tiny-1");  /* no agent */
    env->fake.samples = &s;
    env->fake.sample_count = 1;
    env->fake.guest_key_ids = ids;
    env->fake.guest_keys = keys;
    env->fake.guest_key_count = 3;
    assert_int_equal(Top_update(&top, &env->fake.backend, NULL, NULL, err, sizeof err),
                     STATUS_OK);
    assert_int_equal(env->fake.guest_key_reads, 1);
    for (i = 0; i < top.count; i++) {
        const DomainRow *r = &top.rows[i];
        cells(r->guest, r->d->mem_kib, c, sizeof c);
        if (r->d->id == 3)
            assert_string_equal(c, "29 46%|25%|10.99.0.12|debian 13");
        else if (r->d->id == 4)
            assert_string_equal(c, "?|?|?|?");
        else
            assert_string_equal(c, "-|-|-|-");
    }
    assert_int_equal(Top_update(&top, &env->fake.backend, NULL, NULL, err, sizeof err),
                     STATUS_OK);
    assert_int_equal(env->fake.guest_key_reads, 2);
    /* xenstore out of reach: every guest "-", the refresh still works. */
    env->fake.guest_keys_error = "cannot reach xenstore: No such file or directory";
    assert_int_equal(Top_update(&top, &env->fake.backend, NULL, NULL, err, sizeof err),
                     STATUS_OK);
    for (i = 0; i < top.count; i++) {
        cells(top.rows[i].guest, 65536, c, sizeof c);
        assert_string_equal(c, "-|-|-|-");
    }
    Top_free(&top);
    Sample_free(&s);
}

static void test_list_json_fields(void **state)
{
    TestEnv *env = *state;
    const uint32_t ids[] = {1, 2, 3};
    GuestKeys keys[3];
    GuestInfo g[4];
    TestMem mem;

    keys[0] = agent_keys("30000", NOW);
    keys[1] = agent_keys("30000", NOW - 100);
    keys[2] = agent_keys("30000", NOW);
    keys[2].present[GK_IPV4] = false;
    BackendFake_addDomain(&env->fake, "tiny-1", 64);   /* id 1 */
    BackendFake_addDomain(&env->fake, "tiny-2", 64);   /* id 2, stale */
    BackendFake_addDomain(&env->fake, "tiny-3", 64);   /* id 3, no address */
    env->fake.guest_key_ids = ids;
    env->fake.guest_keys = keys;
    env->fake.guest_key_count = 3;
    {
        uint32_t want[4];
        char err[256];
        size_t i;
        for (i = 0; i < env->fake.domains.count; i++)
            want[i] = env->fake.domains.items[i].id;
        assert_int_equal(GuestInfo_read(&env->fake.backend, want, env->fake.domains.count, NOW,
                                        g, err, sizeof err), 0);
    }
    Guests_writeJson(Test_memOpen(&mem), &env->fake.domains, &env->catalog, &env->paths, g);
    assert_non_null(strstr(Test_memText(&mem),
        "\"name\": \"Domain-0\", \"image\": null, \"type\": null, \"memory_mib\": 768, "
        "\"vcpus\": 2, \"state\": \"r-----\", \"mem_used_mib\": null, \"mem_used_pct\": null, "
        "\"overlay_used_pct\": null, \"ip\": null, \"os\": null}"));
    assert_non_null(strstr(Test_memText(&mem),
        "\"name\": \"tiny-1\", \"image\": null, \"type\": null, \"memory_mib\": 64, "
        "\"vcpus\": 1, \"state\": \"-b----\", \"mem_used_mib\": 29, \"mem_used_pct\": 46, "
        "\"overlay_used_pct\": 25, \"ip\": \"10.99.0.12\", \"os\": \"debian 13\"}"));
    assert_non_null(strstr(Test_memText(&mem), "\"name\": \"tiny-2\""));
    assert_non_null(strstr(Test_memText(&mem),
        "\"mem_used_mib\": null, \"mem_used_pct\": null, \"overlay_used_pct\": null, "
        "\"ip\": null, \"os\": null}"));
    assert_non_null(strstr(Test_memText(&mem),
        "\"overlay_used_pct\": 25, \"ip\": null, \"os\": \"debian 13\"}"));
    Test_memFree(&mem);
}

/* A fake xenstore for GuestKeys_readCached: domain 5 runs an agent
 * (data/updated and the memory keys), domain 6 none; counts reads. */
typedef struct FakeStore {
    char updated[32];
    unsigned reads;
} FakeStore;

static bool fake_read(void *ctx, uint32_t domid, const char *path, char *buf, size_t len)
{
    FakeStore *fs = ctx;

    fs->reads++;
    if (domid != 5)
        return false;
    if (strcmp(path, "data/updated") == 0)
        snprintf(buf, len, "%s", fs->updated);
    else if (strcmp(path, "data/meminfo_free") == 0)
        snprintf(buf, len, "%s", fs->updated[0] == '1' ? "1000" : "2000");
    else
        return false;
    return true;
}

/* data/updated unchanged: one read per guest and the same keys; changed:
 * every key again; a domain gone leaves the cache. */
static void test_keys_cached_until_updated(void **state)
{
    GuestKeysCache cache = {0};
    FakeStore fs = {.updated = "100"};
    const uint32_t ids[] = {0, 5, 6};
    GuestKeys out[3];

    (void)state;
    assert_int_equal(GuestKeys_readCached(&cache, ids, 3, out, fake_read, &fs), GK_COUNT + 1);
    assert_false(out[0].present[GK_UPDATED]);
    assert_string_equal(out[1].value[GK_MEM_FREE], "1000");
    assert_false(out[1].present[GK_MEM_TOTAL]);
    assert_false(out[2].present[GK_UPDATED]);
    assert_false(out[2].present[GK_MEM_FREE]);

    /* Unchanged: 2 reads (domains 5 and 6), the keys as before. */
    assert_int_equal(GuestKeys_readCached(&cache, ids, 3, out, fake_read, &fs), 2);
    assert_string_equal(out[1].value[GK_MEM_FREE], "1000");
    assert_string_equal(out[1].value[GK_UPDATED], "100");

    /* The agent's next pass: every key of domain 5 again. */
    snprintf(fs.updated, sizeof fs.updated, "205");
    assert_int_equal(GuestKeys_readCached(&cache, ids, 3, out, fake_read, &fs), GK_COUNT + 1);
    assert_string_equal(out[1].value[GK_MEM_FREE], "2000");

    /* Domain 5 gone, then back under the same id: read afresh. */
    assert_int_equal(GuestKeys_readCached(&cache, ids + 2, 1, out, fake_read, &fs), 1);
    assert_int_equal(cache.count, 1);
    assert_int_equal(GuestKeys_readCached(&cache, ids + 1, 1, out, fake_read, &fs), GK_COUNT);
    GuestKeysCache_free(&cache);
    assert_int_equal(cache.count, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_present_keys),
        cmocka_unit_test(test_missing_keys),
        cmocka_unit_test(test_stale_keys),
        cmocka_unit_test(test_huge_numbers_are_unknown),
        cmocka_unit_test(test_text_is_made_printable),
        cmocka_unit_test(test_keys_cached_until_updated),
        cmocka_unit_test_setup_teardown(test_top_reads_once_per_refresh, TestEnv_setup,
                                        TestEnv_teardown),
        cmocka_unit_test_setup_teardown(test_list_json_fields, TestEnv_setup, TestEnv_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
