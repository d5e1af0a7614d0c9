/* test_top.c: top across samples (new, vanished and reused domains, the
 * CPU history, type and uptime), its options, and the text of top
 * --batch. */
#include "testutil.h"
#include "top.h"
#include "util.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#define SEC UINT64_C(1000000000)
#define NOW UINT64_C(1700000000) /* the wall clock of the samples, in s */

static int setup(void **state)
{
    TestEnv *env;

    TestEnv_setup(state);
    env = *state;
    TestEnv_addImage(env, "debian", "NAME=debian\nMEMORY_MIB=256\n", true);
    TestEnv_addImage(env, "tiny", "NAME=tiny\nMEMORY_MIB=64\n", true);
    TestEnv_loadCatalog(env);
    return 0;
}

static void add(Sample *s, uint32_t id, const char *name, uint64_t cpu_ns, uint64_t rx)
{
    DomainSample d;

    memset(&d, 0, sizeof d);
    d.id = id;
    snprintf(d.name, sizeof d.name, "%s", name);
    snprintf(d.state, sizeof d.state, id == 0 ? "r-----" : "-b----");
    d.vcpus = id == 0 ? 2 : 1;
    d.cpu_ns = cpu_ns;
    d.mem_kib = id == 0 ? 786432 : 65536;
    d.maxmem_kib = id == 0 ? STATS_NO_LIMIT : 66560;
    d.net_rx_bytes = rx;
    d.net_tx_bytes = rx / 2;
    d.vbd_rd_reqs = rx / 1024;
    assert_int_equal(Sample_add(s, &d), 0);
}

/* The config launch would have written for NAME, with TEXT. */
static void write_cfg(TestEnv *env, const char *name, const char *text)
{
    char err[256];

    assert_int_equal(Util_mkdirs(env->paths.domains, err, sizeof err), 0);
    Test_writeFile(TestEnv_cfg(env, name), text);
}

static const DomainRow *row(const Top *t, const char *name)
{
    size_t i;

    for (i = 0; i < t->count; i++) {
        if (strcmp(t->rows[i].d->name, name) == 0)
            return &t->rows[i];
    }
    return NULL;
}

static void test_domains_come_and_go(void **state)
{
    TestEnv *env = *state;
    Sample s[3] = {{.wall_ns = 10 * SEC, .num_cpus = 2},
                   {.wall_ns = 12 * SEC, .num_cpus = 2},
                   {.wall_ns = 13 * SEC, .num_cpus = 2}};
    Top top = {0};
    char err[256];
    const DomainRow *r;

    add(&s[0], 0, "Domain-0", 5 * SEC, 0);
    add(&s[0], 1, "tiny-1", 1 * SEC, 0);
    add(&s[0], 2, "tiny-2", 1 * SEC, 0);
    /* tiny-1 goes; tiny-2 runs for 1 s in 2 s; debian-1 comes. */
    add(&s[1], 0, "Domain-0", 6 * SEC, 0);
    add(&s[1], 2, "tiny-2", 2 * SEC, 0);
    add(&s[1], 3, "debian-1", 4 * SEC, 0);
    /* tiny-2 goes and a new domain gets its id 2. */
    add(&s[2], 0, "Domain-0", 6 * SEC + SEC / 4, 0);
    add(&s[2], 2, "tiny-3", 7 * SEC, 0);
    add(&s[2], 3, "debian-1", 5 * SEC, 0);
    env->fake.samples = s;
    env->fake.sample_count = 3;

    assert_int_equal(Top_update(&top, &env->fake.backend, &env->catalog, &env->paths, err,
                                sizeof err),
                     STATUS_OK);
    assert_int_equal(top.count, 3);
    r = row(&top, "tiny-1");
    assert_false(r->rate.has_rate);
    assert_true(r->rate.cpu_pct == 0.0);
    assert_string_equal(r->image, "tiny");
    assert_int_equal(History_count(r->cpu_history), 0);
    assert_string_equal(row(&top, "Domain-0")->image, "-");

    assert_int_equal(Top_update(&top, &env->fake.backend, &env->catalog, &env->paths, err,
                                sizeof err),
                     STATUS_OK);
    assert_int_equal(top.count, 3);
    assert_null(row(&top, "tiny-1"));
    r = row(&top, "tiny-2");
    assert_true(r->rate.has_rate);
    assert_true(r->rate.cpu_pct == 50.0);
    assert_true(r->rate.cpu_host_pct == 25.0);
    assert_int_equal(History_count(r->cpu_history), 1);
    assert_true(row(&top, "Domain-0")->rate.cpu_pct == 50.0);
    r = row(&top, "debian-1");
    assert_false(r->rate.has_rate);
    assert_true(r->rate.cpu_pct == 0.0);
    assert_string_equal(r->image, "debian");

    assert_int_equal(Top_update(&top, &env->fake.backend, &env->catalog, &env->paths, err,
                                sizeof err),
                     STATUS_OK);
    /* Id 2 with a new name: a new domain, no rate from tiny-2's counters. */
    r = row(&top, "tiny-3");
    assert_int_equal(r->d->id, 2);
    assert_false(r->rate.has_rate);
    assert_true(r->rate.cpu_pct == 0.0);
    assert_int_equal(History_count(r->cpu_history), 0);
    r = row(&top, "debian-1");
    assert_true(r->rate.cpu_pct == 100.0);
    assert_int_equal(History_count(r->cpu_history), 1);
    r = row(&top, "Domain-0");
    assert_true(r->rate.cpu_pct == 25.0);
    assert_int_equal(History_count(r->cpu_history), 2);
    assert_true(History_get(r->cpu_history, 0) == 50.0);
    assert_true(History_get(r->cpu_history, 1) == 25.0);

    Top_sort(&top, Columns_find("CPU(%)"), true);
    assert_string_equal(top.rows[0].d->name, "debian-1");
    assert_string_equal(top.rows[1].d->name, "Domain-0");
    assert_string_equal(top.rows[2].d->name, "tiny-3");
    Top_free(&top);
    Sample_free(&s[0]);
    Sample_free(&s[1]);
    Sample_free(&s[2]);
}

/* The fake backend's samples carry each domain's start time, as libxl
 * gives it; the rows get the uptime, and the type from the configs. */
static void test_type_and_uptime_from_fake(void **state)
{
    TestEnv *env = *state;
    Sample s[2] = {{.wall_ns = 10 * SEC, .now_s = NOW, .num_cpus = 1},
                   {.wall_ns = 11 * SEC, .now_s = NOW + 1, .num_cpus = 1}};
    Top top = {0};
    char err[256];
    char cell[16];
    const Column *uptime = Columns_find("UPTIME");
    const Column *type = Columns_find("TYPE");
    size_t i;

    for (i = 0; i < 2; i++) {
        add(&s[i], 0, "Domain-0", 0, 0);
        add(&s[i], 1, "tiny-1", 0, 0);
        add(&s[i], 2, "debian-1", 0, 0);
        add(&s[i], 3, "other", 0, 0);   /* not started by xenlive: no config */
        s[i].domains[0].start_s = NOW - 2 * 86400;
        s[i].domains[1].start_s = NOW - 45;
        s[i].domains[2].start_s = NOW - 3 * 3600 - 7 * 60;
        s[i].domains[3].start_s = 0;    /* libxl could not say */
    }
    write_cfg(env, "tiny-1", "name = \"tiny-1\"\ntype = \"pv\"\n");
    write_cfg(env, "debian-1", "name = \"debian-1\"\ntype = \"pvh\"\n");
    env->fake.samples = s;
    env->fake.sample_count = 2;

    assert_int_equal(Top_update(&top, &env->fake.backend, &env->catalog, &env->paths, err,
                                sizeof err),
                     STATUS_OK);
    assert_int_equal(row(&top, "Domain-0")->uptime_s, 2 * 86400);
    assert_int_equal(row(&top, "tiny-1")->uptime_s, 45);
    assert_int_equal(row(&top, "debian-1")->uptime_s, 3 * 3600 + 7 * 60);
    assert_int_equal(row(&top, "other")->uptime_s, -1);
    assert_string_equal(row(&top, "Domain-0")->type, "-");
    assert_string_equal(row(&top, "tiny-1")->type, "pv");
    assert_string_equal(row(&top, "debian-1")->type, "pvh");
    assert_string_equal(row(&top, "other")->type, "-");
    uptime->format(cell, sizeof cell, row(&top, "debian-1"));
    assert_string_equal(cell, "3h07m");
    uptime->format(cell, sizeof cell, row(&top, "other"));
    assert_string_equal(cell, "-");
    type->format(cell, sizeof cell, row(&top, "tiny-1"));
    assert_string_equal(cell, "pv");

    /* A second later by the wall clock: one second more each.  A type
     * once read is kept (tiny-1's config is gone, and is not read
     * again); a domain without one is looked up again ("other" now has
     * a config). */
    assert_int_equal(unlink(TestEnv_cfg(env, "tiny-1")), 0);
    write_cfg(env, "other", "name = \"other\"\ntype = \"pv\"\n");
    assert_int_equal(Top_update(&top, &env->fake.backend, &env->catalog, &env->paths, err,
                                sizeof err),
                     STATUS_OK);
    assert_int_equal(row(&top, "tiny-1")->uptime_s, 46);
    assert_string_equal(row(&top, "tiny-1")->type, "pv");
    assert_string_equal(row(&top, "other")->type, "pv");
    Top_sort(&top, uptime, true);
    assert_string_equal(top.rows[0].d->name, "Domain-0");
    assert_string_equal(top.rows[1].d->name, "debian-1");
    assert_string_equal(top.rows[2].d->name, "tiny-1");
    assert_string_equal(top.rows[3].d->name, "other");
    Top_sort(&top, type, false);
    assert_string_equal(top.rows[0].d->name, "Domain-0");
    assert_string_equal(top.rows[3].d->name, "debian-1");
    Top_free(&top);

    /* Without paths (no configs to read), every type is "-". */
    assert_int_equal(Top_update(&top, &env->fake.backend, &env->catalog, NULL, err, sizeof err),
                     STATUS_OK);
    assert_string_equal(row(&top, "debian-1")->type, "-");
    Top_free(&top);
    Sample_free(&s[0]);
    Sample_free(&s[1]);
}

static void test_options(void **state)
{
    char *plain[] = {"top", NULL};
    char *full[] = {"top", "--batch", "-d", "0.5", "-i", "3", "-s", "cpu(%)", "-r", NULL};
    char *zero[] = {"top", "-b", "-d", "0", NULL};
    char *junk[] = {"top", "-b", "-d", "1s", NULL};
    char *no_iter[] = {"top", "-b", "-i", "0", NULL};
    char *column[] = {"top", "-b", "-s", "FOO", NULL};
    char *extra[] = {"top", "-b", "now", NULL};
    char *letter[] = {"top", "-b", "-xr", NULL};
    char *word[] = {"top", "--batch", "--bach", NULL};
    TopOptions o;
    char err[256];

    (void)state;
    assert_int_equal(TopOptions_parse(&o, 1, plain, err, sizeof err), STATUS_OK);
    assert_false(o.batch);
    assert_true(o.delay_s == 1.0);
    assert_int_equal(o.iterations, 0);
    assert_null(o.sort);
    assert_int_equal(TopOptions_parse(&o, 9, full, err, sizeof err), STATUS_OK);
    assert_true(o.batch);
    assert_true(o.delay_s == 0.5);
    assert_int_equal(o.iterations, 3);
    assert_string_equal(o.sort->header, "CPU(%)");
    assert_true(o.descending);
    assert_int_equal(TopOptions_parse(&o, 4, zero, err, sizeof err), STATUS_USAGE);
    assert_string_equal(err, "-d: SECONDS must be a number above 0 and at most 86400, not '0'");
    assert_int_equal(TopOptions_parse(&o, 4, junk, err, sizeof err), STATUS_USAGE);
    assert_int_equal(TopOptions_parse(&o, 4, no_iter, err, sizeof err), STATUS_USAGE);
    assert_string_equal(err, "-i: ITERATIONS must be a whole number of at least 1, not '0'");
    assert_int_equal(TopOptions_parse(&o, 4, column, err, sizeof err), STATUS_USAGE);
    assert_string_equal(err, "-s: no column 'FOO' (see xenlive help top)");
    assert_int_equal(TopOptions_parse(&o, 3, extra, err, sizeof err), STATUS_USAGE);
    assert_string_equal(err, "top takes no argument 'now' (see xenlive help top)");
    /* The unknown option is named, not the word before it (fuzz_top). */
    assert_int_equal(TopOptions_parse(&o, 3, letter, err, sizeof err), STATUS_USAGE);
    assert_string_equal(err, "unknown option '-x'");
    assert_int_equal(TopOptions_parse(&o, 3, word, err, sizeof err), STATUS_USAGE);
    assert_string_equal(err, "unknown option '--bach'");
}

static void test_batch_two_iterations(void **state)
{
    TestEnv *env = *state;
    Sample s[2] = {{.wall_ns = 100 * SEC, .num_cpus = 4},
                   {.wall_ns = 100 * SEC + SEC / 2, .num_cpus = 4}};
    TopOptions o = {.batch = true, .delay_s = 0.5, .iterations = 2};
    char err[256] = "";
    TestMem mem;

    add(&s[0], 0, "Domain-0", 42 * SEC, 0);
    add(&s[0], 4, "debian-1", 3 * SEC, UINT32_MAX - 1023);
    /* Half a second: Domain-0 used 0.25 s, debian-1 0.75 s; debian-1's
     * 32-bit RX counter wrapped after 2 KiB more, TX went 1 KiB. */
    add(&s[1], 0, "Domain-0", 42 * SEC + SEC / 4, 0);
    add(&s[1], 4, "debian-1", 3 * SEC + 3 * SEC / 4, 1024);
    s[1].domains[1].net_tx_bytes = s[0].domains[1].net_tx_bytes + 1024;
    s[1].domains[1].vbd_rd_reqs = s[0].domains[1].vbd_rd_reqs + 50;
    /* The host has been up 1h02m05s, debian-1 2m05s; the second sample
     * is a second later by the wall clock.  debian-1 is a PVH guest. */
    s[0].now_s = NOW;
    s[1].now_s = NOW + 1;
    s[0].domains[0].start_s = s[1].domains[0].start_s = NOW - 3725;
    s[0].domains[1].start_s = s[1].domains[1].start_s = NOW - 125;
    write_cfg(env, "debian-1", "name = \"debian-1\"\ntype = \"pvh\"\n");
    env->fake.samples = s;
    env->fake.sample_count = 2;
    assert_int_equal(Top_batch(&env->fake.backend, &env->catalog, &env->paths, &o,
                               Test_memOpen(&mem), err, sizeof err),
                     STATUS_OK);
    assert_string_equal(Test_memText(&mem),
        "NAME                ID STATE  CPU(sec) CPU(%)     MEM(k)  MAXMEM(k) VCPUS  NETTX(k)"
        "  NETRX(k)  TX(k/s)  RX(k/s)   VBD_RD   VBD_WR    RD/s    WR/s IMAGE TYPE UPTIME     USED OVERLAY IP              OS\n"
        "Domain-0             0 r-----       42    0.0     786432   no limit     2         0"
        "         0      0.0      0.0        0        0     0.0     0.0 -     -     1h02m        -       - -               -\n"
        "debian-1             4 -b----        3    0.0      65536      66560     1   2097151"
        "   4194303      0.0      0.0  4194303        0     0.0     0.0 debian pvh   2m05s        -       - -               -\n"
        "NAME                ID STATE  CPU(sec) CPU(%)     MEM(k)  MAXMEM(k) VCPUS  NETTX(k)"
        "  NETRX(k)  TX(k/s)  RX(k/s)   VBD_RD   VBD_WR    RD/s    WR/s IMAGE TYPE UPTIME     USED OVERLAY IP              OS\n"
        "Domain-0             0 r-----       42   50.0     786432   no limit     2         0"
        "         0      0.0      0.0        0        0     0.0     0.0 -     -     1h02m        -       - -               -\n"
        "debian-1             4 -b----        3  150.0      65536      66560     1   2097152"
        "         1      2.0      4.0  4194353        0   100.0     0.0 debian pvh   2m06s        -       - -               -\n");
    Test_memFree(&mem);
    assert_int_equal(env->fake.samples_taken, 2);
    assert_int_equal(env->fake.sleeps, 1);
    assert_int_equal(env->fake.slept_ns, SEC / 2);
    Sample_free(&s[0]);
    Sample_free(&s[1]);
}

static void test_batch_sorted_and_sample_error(void **state)
{
    TestEnv *env = *state;
    Sample s = {.wall_ns = SEC, .num_cpus = 1};
    TopOptions o = {.batch = true, .delay_s = 1, .iterations = 1,
                    .sort = Columns_find("NAME"), .descending = true};
    char err[256] = "";
    TestMem mem;
    const char *text;

    add(&s, 0, "Domain-0", 0, 0);
    add(&s, 1, "tiny-1", 0, 0);
    env->fake.samples = &s;
    env->fake.sample_count = 1;
    assert_int_equal(Top_batch(&env->fake.backend, NULL, NULL, &o, Test_memOpen(&mem), err,
                               sizeof err),
                     STATUS_OK);
    text = strchr(Test_memText(&mem), '\n') + 1;
    assert_int_equal(strncmp(text, "tiny-1 ", 7), 0);
    assert_non_null(strstr(text, "\nDomain-0 "));
    /* Without a catalog, no image. */
    assert_non_null(strstr(text, " -\n"));
    Test_memFree(&mem);
    assert_int_equal(env->fake.sleeps, 0);
    /* A failed sample stops the loop, with the backend's reason. */
    env->fake.sample_error = "cannot read Xen's domain statistics";
    o.iterations = 0;
    assert_int_equal(Top_batch(&env->fake.backend, NULL, NULL, &o, Test_memOpen(&mem), err,
                               sizeof err),
                     STATUS_ERROR);
    assert_string_equal(Test_memText(&mem), "");
    assert_string_equal(err, "cannot read Xen's domain statistics");
    Test_memFree(&mem);
    Sample_free(&s);
}

#define ENV_TEST(f) cmocka_unit_test_setup_teardown(f, setup, TestEnv_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        ENV_TEST(test_domains_come_and_go),
        ENV_TEST(test_type_and_uptime_from_fake),
        cmocka_unit_test(test_options),
        ENV_TEST(test_batch_two_iterations),
        ENV_TEST(test_batch_sorted_and_sample_error),
    };

    return cmocka_run_group_tests_name("top", tests, NULL, NULL);
}
