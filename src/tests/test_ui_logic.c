/* test_ui_logic.c: the TUI's pure parts: the sparkline, the host
 * header's arithmetic, fitting columns to a width, the prompts. */
#include "hostsum.h"
#include "keycodes.h"
#include "layout.h"
#include "prompt.h"
#include "sparkline.h"
#include "testutil.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

static void test_sparkline(void **state)
{
    History h = {0};
    char buf[64];
    size_t i;

    (void)state;
    Sparkline_format(&h, 5, buf, sizeof buf);
    assert_string_equal(buf, "     ");
    History_push(&h, 0);
    History_push(&h, 100);
    History_push(&h, 50);
    History_push(&h, 0.5); /* below 1 %: idle */
    History_push(&h, 1);   /* 1 %: the lowest visible level */
    Sparkline_format(&h, 7, buf, sizeof buf);
    assert_string_equal(buf, "   @+ .");
    /* Narrower than the history: the newest values. */
    Sparkline_format(&h, 3, buf, sizeof buf);
    assert_string_equal(buf, "+ .");
    /* Above 100 % (two busy vCPUs), the largest value is the scale. */
    History_push(&h, 200);
    Sparkline_format(&h, 2, buf, sizeof buf);
    assert_string_equal(buf, ".@");
    /* The ring keeps a minute; the buffer bounds the width. */
    for (i = 0; i < 100; i++)
        History_push(&h, 100);
    Sparkline_format(&h, 100, buf, 11);
    assert_string_equal(buf, "@@@@@@@@@@");
}

static void add(Sample *s, uint32_t id, const char *name, uint64_t mem_mib)
{
    DomainSample d;

    memset(&d, 0, sizeof d);
    d.id = id;
    snprintf(d.name, sizeof d.name, "%s", name);
    d.mem_kib = mem_mib * 1024;
    assert_int_equal(Sample_add(s, &d), 0);
}

static void test_host_summary(void **state)
{
    Top top = {0};
    DomainRow rows[3];
    HostSum s;
    char bar[64];
    size_t i;

    (void)state;
    top.sample.num_cpus = 4;
    top.sample.tot_mem_kib = 4096 * 1024;
    top.sample.free_mem_kib = 2048 * 1024;
    add(&top.sample, 0, "Domain-0", 768);
    add(&top.sample, 1, "debian-1", 256);
    add(&top.sample, 2, "tiny-1", 64);
    memset(rows, 0, sizeof rows);
    for (i = 0; i < 3; i++)
        rows[i].d = &top.sample.domains[i];
    rows[0].rate.cpu_pct = 100;
    rows[1].rate.cpu_pct = 50;
    rows[2].rate.cpu_pct = 10;
    top.rows = rows;
    top.count = 3;
    HostSum_compute(&top, &s);
    assert_true(s.cpu_pct == 40.0);
    assert_int_equal(s.total_mib, 4096);
    assert_int_equal(s.dom0_mib, 768);
    assert_int_equal(s.guests_mib, 320);
    assert_int_equal(s.free_mib, 2048);
    assert_int_equal(s.xen_mib, 4096 - 2048 - 768 - 320);
    assert_int_equal(s.guests, 2);
    /* 960 Xen, 768 dom0, 320 guests, 2048 free of 4096 in 16 characters:
     * the parts end at 3.75, 6.75, 8 and 16, rounded to 4, 7, 8, 16. */
    HostSum_bar(&s, 16, bar, sizeof bar);
    assert_string_equal(bar, "XXXXDDDG........");
    assert_int_equal(strlen(bar), 16);
    /* Domains that add up to more than Xen's total: Xen's share is 0. */
    top.sample.free_mem_kib = 4000 * 1024;
    HostSum_compute(&top, &s);
    assert_int_equal(s.xen_mib, 0);
    /* No CPUs known: no division by zero. */
    top.sample.num_cpus = 0;
    HostSum_compute(&top, &s);
    assert_true(s.cpu_pct == 160.0);
    top.rows = NULL;
    Sample_free(&top.sample);

    memset(&s, 0, sizeof s);
    HostSum_bar(&s, 4, bar, sizeof bar);
    assert_string_equal(bar, "    ");
    HostSum_uptime(59, bar, sizeof bar);
    assert_string_equal(bar, "00:00");
    HostSum_uptime(3725, bar, sizeof bar);
    assert_string_equal(bar, "01:02");
    HostSum_uptime(2 * 86400 + 3 * 3600 + 4 * 60, bar, sizeof bar);
    assert_string_equal(bar, "2d 03:04");
}

static void test_fits(void **state)
{
    TestEnv *env = *state;
    Room room;
    char buf[128];

    TestEnv_addImage(env, "debian", "NAME=debian\nMEMORY_MIB=256\n", true);
    TestEnv_addImage(env, "tiny", "NAME=tiny\nMEMORY_MIB=64\n", true);
    TestEnv_addImage(env, "centos", "NAME=centos\nMEMORY_MIB=512\nAVAILABLE=no\n", false);
    TestEnv_loadCatalog(env);
    /* 1100 MiB: 1100 / 257 = 4 debian, 1100 / 65 = 16 tiny; centos is not there. */
    room = (Room){.free_mib = 1100, .dom0_mib = 512};
    HostSum_fits(&env->catalog, &room, buf, sizeof buf);
    assert_string_equal(buf, "debian 4  tiny 16");
    /* Dom0's spare, (62 - 32) / 3 = 10, stops tiny first. */
    room.dom0_mib = 62;
    HostSum_fits(&env->catalog, &room, buf, sizeof buf);
    assert_string_equal(buf, "debian 4  tiny 10");
    room.free_mib = 0;
    HostSum_fits(&env->catalog, &room, buf, sizeof buf);
    assert_string_equal(buf, "debian 0  tiny 0");
    /* A short buffer is cut, never overrun. */
    room = (Room){.free_mib = 1100, .dom0_mib = 512};
    HostSum_fits(&env->catalog, &room, buf, 12);
    assert_string_equal(buf, "debian 4");
}

static size_t width_of(const Layout *l)
{
    size_t w = 0;
    size_t i;

    for (i = 0; i < l->count; i++)
        w += (size_t)l->widths[i] + (i ? 1 : 0);
    return w;
}

/* The header of every column L kept, one space apart. */
static const char *headers_of(const Layout *l)
{
    static char buf[512];
    size_t used = 0;
    size_t i;

    buf[0] = '\0';
    for (i = 0; i < l->count; i++)
        used += (size_t)snprintf(buf + used, sizeof buf - used, "%s%s", i ? " " : "",
                                 Layout_isSpark(l->cols[i]) ? "SPARK" : l->cols[i]->header);
    return buf;
}

static void test_layout(void **state)
{
    Layout l;
    size_t i;

    (void)state;
    /* 80 columns: exactly up to UPTIME; the rates are left out. */
    Layout_fit(&l, 80);
    assert_int_equal(width_of(&l), 80);
    assert_true(l.count < Layout_count());
    assert_string_equal(headers_of(&l),
                        "ID NAME IMAGE TYPE STATE VCPUS CPU(%) SPARK MEM(MiB) UPTIME");
    assert_int_equal(l.widths[7], LAYOUT_SPARK_MIN);
    /* The columns kept are the leftmost ones, in order. */
    for (i = 0; i < l.count; i++)
        assert_ptr_equal(l.cols[i], Layout_column(i));
    /* One narrower: UPTIME goes first, whole; nothing is cut. */
    Layout_fit(&l, 79);
    assert_string_equal(headers_of(&l), "ID NAME IMAGE TYPE STATE VCPUS CPU(%) SPARK MEM(MiB)");
    assert_true(width_of(&l) <= 79);
    /* 60: still ID NAME IMAGE TYPE STATE VCPUS CPU(%). */
    Layout_fit(&l, 60);
    assert_string_equal(headers_of(&l), "ID NAME IMAGE TYPE STATE VCPUS CPU(%)");
    /* Wide: every column, and the sparkline grows to a minute at most. */
    Layout_fit(&l, 250);
    assert_int_equal(l.count, Layout_count());
    assert_true(Layout_isSpark(l.cols[7]));
    assert_int_equal(l.widths[7], HISTORY_LEN);
    assert_string_equal(headers_of(&l), "ID NAME IMAGE TYPE STATE VCPUS CPU(%) SPARK MEM(MiB) "
                                        "UPTIME USED OVERLAY IP OS RX(k/s) TX(k/s) RD/s WR/s");
    /* 120: the guest's own view, then the sparkline takes the rest. */
    Layout_fit(&l, 120);
    assert_string_equal(headers_of(&l), "ID NAME IMAGE TYPE STATE VCPUS CPU(%) SPARK MEM(MiB) "
                                        "UPTIME USED OVERLAY IP");
    assert_int_equal(width_of(&l), 120);
    assert_true(l.widths[7] > LAYOUT_SPARK_MIN);
    /* Too narrow for anything but the ID. */
    Layout_fit(&l, 6);
    assert_int_equal(l.count, 1);
    Layout_fit(&l, 0);
    assert_int_equal(l.count, 0);
    /* Every column exists (columns.c's headers are spelled right). */
    for (i = 0; i < Layout_count(); i++)
        assert_non_null(Layout_column(i));
    assert_null(Layout_column(Layout_count()));
}

static void test_prompts(void **state)
{
    TestEnv *env = *state;
    char text[PROMPT_MAX] = "";
    unsigned n;
    int i;

    assert_int_equal(Prompt_edit(text, '1'), PROMPT_EDITING);
    assert_int_equal(Prompt_edit(text, '2'), PROMPT_EDITING);
    assert_int_equal(Prompt_edit(text, KEYS_UP), PROMPT_EDITING); /* ignored */
    assert_int_equal(Prompt_edit(text, KEYS_BACKSPACE), PROMPT_EDITING);
    assert_string_equal(text, "1");
    assert_int_equal(Prompt_edit(text, KEYS_ENTER), PROMPT_DONE);
    assert_int_equal(Prompt_edit(text, KEYS_ESCAPE), PROMPT_CANCELLED);
    for (i = 0; i < 2 * PROMPT_MAX; i++)
        Prompt_edit(text, 'a');
    assert_int_equal(strlen(text), PROMPT_MAX - 1);

    assert_true(Prompt_parseCount(" 3 ", &n));
    assert_int_equal(n, 3);
    assert_false(Prompt_parseCount("0", &n));
    assert_false(Prompt_parseCount("", &n));
    assert_false(Prompt_parseCount("3x", &n));
    assert_false(Prompt_parseCount("-1", &n));
    assert_false(Prompt_parseCount("100000", &n));

    assert_true(Prompt_parseMib("512", &n));
    assert_int_equal(n, 512);
    assert_true(Prompt_parseMib("384M", &n));
    assert_int_equal(n, 384);
    assert_true(Prompt_parseMib("2g", &n));
    assert_int_equal(n, 2048);
    assert_false(Prompt_parseMib("0", &n));
    assert_false(Prompt_parseMib("m", &n));
    assert_false(Prompt_parseMib("12k", &n));
    assert_false(Prompt_parseMib("99999999g", &n));

    TestEnv_addImage(env, "debian", "NAME=debian\nMEMORY_MIB=256\n", true);
    TestEnv_addImage(env, "devuan", "NAME=devuan\nMEMORY_MIB=256\n", true);
    TestEnv_addImage(env, "tiny", "NAME=tiny\nMEMORY_MIB=64\n", true);
    TestEnv_addImage(env, "centos", "NAME=centos\nMEMORY_MIB=512\nAVAILABLE=no\n", false);
    TestEnv_loadCatalog(env);
    assert_string_equal(Prompt_parseImage(&env->catalog, "tiny")->name, "tiny");
    assert_string_equal(Prompt_parseImage(&env->catalog, " T ")->name, "tiny");
    assert_string_equal(Prompt_parseImage(&env->catalog, "deb")->name, "debian");
    assert_null(Prompt_parseImage(&env->catalog, "de"));     /* debian or devuan */
    assert_null(Prompt_parseImage(&env->catalog, "centos")); /* unavailable */
    assert_null(Prompt_parseImage(&env->catalog, ""));
    assert_null(Prompt_parseImage(&env->catalog, "fedora"));
}

#define ENV_TEST(f) cmocka_unit_test_setup_teardown(f, TestEnv_setup, TestEnv_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sparkline),
        cmocka_unit_test(test_host_summary),
        ENV_TEST(test_fits),
        cmocka_unit_test(test_layout),
        ENV_TEST(test_prompts),
    };

    return cmocka_run_group_tests_name("ui_logic", tests, NULL, NULL);
}
