/* test_stats.c: rates between samples, counter wrap and reset, the CPU
 * history ring buffer, uptimes, and sorting by the columns. */
#include "columns.h"
#include "history.h"
#include "stats.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static DomainSample dom(uint32_t id, const char *name)
{
    DomainSample d;

    memset(&d, 0, sizeof d);
    d.id = id;
    snprintf(d.name, sizeof d.name, "%s", name);
    snprintf(d.state, sizeof d.state, "-b----");
    d.vcpus = 1;
    return d;
}

static void test_rates_exact(void **state)
{
    DomainSample a = dom(3, "debian-1");
    DomainSample b = a;
    Sample now = {.wall_ns = 3000000000u, .num_cpus = 4};
    DomainRates r;

    (void)state;
    a.cpu_ns = 10000000000u;
    a.net_rx_bytes = 1000;
    a.net_tx_bytes = 5000;
    a.vbd_rd_reqs = 7;
    a.vbd_wr_reqs = 100;
    /* 2 s later: 3 s of CPU (two busy vCPUs and a half), 4 KiB in, ... */
    b.cpu_ns = a.cpu_ns + 3000000000u;
    b.net_rx_bytes = a.net_rx_bytes + 4096;
    b.net_tx_bytes = a.net_tx_bytes + 1024;
    b.vbd_rd_reqs = a.vbd_rd_reqs + 10;
    b.vbd_wr_reqs = a.vbd_wr_reqs + 1;
    Stats_rates(&a, 1000000000u, &b, &now, &r);
    assert_true(r.has_rate);
    assert_true(r.cpu_pct == 150.0);
    assert_true(r.cpu_host_pct == 37.5);
    assert_true(r.net_rx_kibs == 2.0);
    assert_true(r.net_tx_kibs == 0.5);
    assert_true(r.vbd_rd_ps == 5.0);
    assert_true(r.vbd_wr_ps == 0.5);
}

static void test_rates_no_previous(void **state)
{
    DomainSample b = dom(3, "debian-1");
    Sample now = {.wall_ns = 3000000000u, .num_cpus = 4};
    DomainRates r;

    (void)state;
    b.cpu_ns = 5000000000u;
    Stats_rates(NULL, 1000000000u, &b, &now, &r);
    assert_false(r.has_rate);
    assert_true(r.cpu_pct == 0.0);
    assert_true(r.net_rx_kibs == 0.0);
}

static void test_rates_zero_or_negative_wall_delta(void **state)
{
    DomainSample a = dom(1, "x");
    DomainSample b = a;
    Sample now = {.wall_ns = 5000, .num_cpus = 1};
    DomainRates r;

    (void)state;
    b.cpu_ns = 1000;
    b.net_rx_bytes = 1000;
    Stats_rates(&a, 5000, &b, &now, &r);
    assert_true(r.has_rate);
    assert_true(r.cpu_pct == 0.0);
    assert_true(r.net_rx_kibs == 0.0);
    Stats_rates(&a, 9000, &b, &now, &r);
    assert_true(r.cpu_pct == 0.0);
    assert_true(r.net_rx_kibs == 0.0);
    assert_true(Stats_perSecond(100, 0) == 0.0);
}

static void test_delta_wrap32(void **state)
{
    DomainSample a = dom(1, "x");
    DomainSample b = a;
    Sample now = {.wall_ns = 2000000000u, .num_cpus = 1};
    DomainRates r;

    (void)state;
    assert_int_equal(Stats_delta(10, 15, true), 5);
    /* 1 KiB before the 32-bit limit, then 1 KiB past it: 2 KiB moved. */
    assert_int_equal(Stats_delta(UINT32_MAX - 1023, 1024, true), 2048);
    a.net_rx_bytes = UINT32_MAX - 1023;
    b.net_rx_bytes = 1024;
    a.net_tx_bytes = UINT32_MAX;
    b.net_tx_bytes = 4095;
    Stats_rates(&a, 0, &b, &now, &r);
    assert_true(r.net_rx_kibs == 1.0);
    assert_true(r.net_tx_kibs == 2.0);
}

static void test_delta_reset(void **state)
{
    DomainSample a = dom(1, "x");
    DomainSample b = a;
    Sample now = {.wall_ns = 1000000000u, .num_cpus = 1};
    DomainRates r;

    (void)state;
    /* Not near 2^32, or a big value after: a reset, rate 0. */
    assert_int_equal(Stats_delta(1000000, 10, true), 0);
    assert_int_equal(Stats_delta(UINT32_MAX - 10, UINT32_MAX - 2000000000u, true), 0);
    assert_int_equal(Stats_delta(UINT64_C(1) << 40, 10, true), 0);
    /* CPU and block counters are 64-bit: never a wrap. */
    assert_int_equal(Stats_delta(UINT32_MAX - 1023, 1024, false), 0);
    a.cpu_ns = 9000000000u;
    b.cpu_ns = 100;
    a.net_rx_bytes = 50000;
    b.net_rx_bytes = 10;
    a.vbd_wr_reqs = 500;
    b.vbd_wr_reqs = 3;
    Stats_rates(&a, 0, &b, &now, &r);
    assert_true(r.cpu_pct == 0.0);
    assert_true(r.net_rx_kibs == 0.0);
    assert_true(r.vbd_wr_ps == 0.0);
}

static void test_sample_find_by_id_and_name(void **state)
{
    Sample s = {0};
    Sample copy;
    DomainSample a = dom(0, "Domain-0");
    DomainSample b = dom(4, "debian-1");

    (void)state;
    assert_int_equal(Sample_add(&s, &a), 0);
    assert_int_equal(Sample_add(&s, &b), 0);
    assert_ptr_equal(Sample_find(&s, 4, "debian-1"), &s.domains[1]);
    assert_null(Sample_find(&s, 4, "tiny-1"));
    assert_null(Sample_find(&s, 5, "debian-1"));
    assert_int_equal(Sample_copy(&copy, &s), 0);
    assert_int_equal(copy.count, 2);
    assert_string_equal(copy.domains[1].name, "debian-1");
    Sample_free(&s);
    assert_string_equal(copy.domains[0].name, "Domain-0");
    Sample_free(&copy);
}

static void test_history_wraps_after_60(void **state)
{
    History h = {0};
    size_t i;

    (void)state;
    assert_int_equal(HISTORY_LEN, 60);
    for (i = 0; i < 59; i++)
        History_push(&h, (double)i);
    assert_int_equal(History_count(&h), 59);
    assert_true(History_get(&h, 0) == 0.0);
    History_push(&h, 59.0);
    assert_int_equal(History_count(&h), 60);
    assert_true(History_get(&h, 59) == 59.0);
    /* The 61st value pushes out the first. */
    History_push(&h, 60.0);
    assert_int_equal(History_count(&h), 60);
    assert_true(History_get(&h, 0) == 1.0);
    assert_true(History_get(&h, 59) == 60.0);
    for (i = 61; i < 200; i++)
        History_push(&h, (double)i);
    assert_int_equal(History_count(&h), 60);
    for (i = 0; i < 60; i++)
        assert_true(History_get(&h, i) == (double)(140 + i));
}

/* Rows to sort: names, ids, memory and CPU % chosen so that each column
 * gives a different order (tiny-1 has the higher id, so NAME and ID
 * differ). */
static DomainSample sort_doms[4];

static void sort_rows(DomainRow rows[4])
{
    static const char *const names[] = {"tiny-1", "Domain-0", "debian-1", "tiny-2"};
    static const uint32_t ids[] = {7, 0, 3, 5};
    static const uint64_t mem[] = {65536, 786432, 262144, 65536};
    static const double cpu[] = {1.5, 12.0, 0.0, 40.25};
    static const char *const images[] = {"tiny", "-", "debian", "tiny"};
    static const char *const types[] = {"pv", "-", "pvh", "pv"};
    static const int64_t uptimes[] = {3725, 2 * 86400, -1, 45};
    size_t i;

    for (i = 0; i < 4; i++) {
        sort_doms[i] = dom(ids[i], names[i]);
        sort_doms[i].mem_kib = mem[i];
        memset(&rows[i], 0, sizeof rows[i]);
        rows[i].d = &sort_doms[i];
        rows[i].rate.cpu_pct = cpu[i];
        rows[i].image = images[i];
        rows[i].type = types[i];
        rows[i].uptime_s = uptimes[i];
    }
}

static void assert_order(const DomainRow rows[4], uint32_t a, uint32_t b, uint32_t c,
                         uint32_t d)
{
    assert_int_equal(rows[0].d->id, a);
    assert_int_equal(rows[1].d->id, b);
    assert_int_equal(rows[2].d->id, c);
    assert_int_equal(rows[3].d->id, d);
}

static void test_sort_by_columns(void **state)
{
    DomainRow rows[4];

    (void)state;
    sort_rows(rows);
    /* Domain-0, debian-1, tiny-1 (id 7), tiny-2 (id 5). */
    Columns_sort(rows, 4, Columns_find("NAME"), false);
    assert_order(rows, 0, 3, 7, 5);
    Columns_sort(rows, 4, Columns_find("name"), true);
    assert_order(rows, 5, 7, 3, 0);
    Columns_sort(rows, 4, Columns_find("ID"), false);
    assert_order(rows, 0, 3, 5, 7);
    Columns_sort(rows, 4, Columns_find("ID"), true);
    assert_order(rows, 7, 5, 3, 0);
    Columns_sort(rows, 4, Columns_find("CPU(%)"), true);
    assert_order(rows, 5, 0, 7, 3);
    Columns_sort(rows, 4, Columns_find("cpu(%)"), false);
    assert_order(rows, 3, 7, 0, 5);
    /* Stable: the two 64 MiB rows keep their order (7 before 5 now). */
    sort_rows(rows);
    Columns_sort(rows, 4, Columns_find("MEM(k)"), false);
    assert_order(rows, 7, 5, 3, 0);
    Columns_sort(rows, 4, Columns_find("MEM(k)"), true);
    assert_order(rows, 0, 3, 7, 5);
    Columns_sort(rows, 4, Columns_find("IMAGE"), false);
    assert_order(rows, 0, 3, 7, 5);
    assert_null(Columns_find("NOPE"));
}

static void test_sort_by_type_and_uptime(void **state)
{
    DomainRow rows[4];

    (void)state;
    /* TYPE: "-" (unknown) first; the two pv rows keep their order. */
    sort_rows(rows);
    Columns_sort(rows, 4, Columns_find("TYPE"), false);
    assert_order(rows, 0, 7, 5, 3);
    sort_rows(rows);
    Columns_sort(rows, 4, Columns_find("type"), true);
    assert_order(rows, 3, 7, 5, 0);
    /* UPTIME: by seconds, not by text ("45s" after "1h02m"); unknown first. */
    sort_rows(rows);
    Columns_sort(rows, 4, Columns_find("UPTIME"), false);
    assert_order(rows, 3, 5, 7, 0);
    Columns_sort(rows, 4, Columns_find("uptime"), true);
    assert_order(rows, 0, 7, 5, 3);
}

static void test_uptime(void **state)
{
    Sample s = {.now_s = 1700000000};
    DomainSample d = dom(4, "tiny-1");
    char buf[16];

    (void)state;
    /* Stats_uptime: from the start time and the sample's clock. */
    assert_int_equal(Stats_uptime(&d, &s), -1); /* start_s 0: unknown */
    d.start_s = 1700000000 - 3725;
    assert_int_equal(Stats_uptime(&d, &s), 3725);
    d.start_s = 1700000010; /* the clock went back: not negative */
    assert_int_equal(Stats_uptime(&d, &s), 0);

    /* Columns_uptime: the two largest units, 6 characters below 100 days. */
    Columns_uptime(-1, buf, sizeof buf);
    assert_string_equal(buf, "-");
    Columns_uptime(0, buf, sizeof buf);
    assert_string_equal(buf, "0s");
    Columns_uptime(45, buf, sizeof buf);
    assert_string_equal(buf, "45s");
    Columns_uptime(59, buf, sizeof buf);
    assert_string_equal(buf, "59s");
    Columns_uptime(60, buf, sizeof buf);
    assert_string_equal(buf, "1m00s");
    Columns_uptime(12 * 60 + 5, buf, sizeof buf);
    assert_string_equal(buf, "12m05s");
    Columns_uptime(3599, buf, sizeof buf);
    assert_string_equal(buf, "59m59s");
    Columns_uptime(3600, buf, sizeof buf);
    assert_string_equal(buf, "1h00m");
    Columns_uptime(3 * 3600 + 7 * 60 + 59, buf, sizeof buf);
    assert_string_equal(buf, "3h07m");
    Columns_uptime(86399, buf, sizeof buf);
    assert_string_equal(buf, "23h59m");
    Columns_uptime(86400, buf, sizeof buf);
    assert_string_equal(buf, "1d00h");
    Columns_uptime(12 * 86400 + 3 * 3600 + 59 * 60, buf, sizeof buf);
    assert_string_equal(buf, "12d03h");
    Columns_uptime(99 * 86400 + 23 * 3600, buf, sizeof buf);
    assert_string_equal(buf, "99d23h");
    Columns_uptime(400 * 86400, buf, sizeof buf);
    assert_string_equal(buf, "400d00h");
    /* A short buffer is cut, never overrun. */
    Columns_uptime(12 * 60 + 5, buf, 4);
    assert_string_equal(buf, "12m");
}

static void test_row_format(void **state)
{
    DomainSample d = dom(12, "debian-1");
    DomainRow r = {.d = &d, .image = "debian", .type = "pvh", .uptime_s = 3725};
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);

    (void)state;
    d.cpu_ns = 125500000000u;
    d.mem_kib = 262144;
    d.maxmem_kib = STATS_NO_LIMIT;
    d.vcpus = 2;
    d.net_tx_bytes = 10240;
    d.net_rx_bytes = 2047;
    d.vbd_rd_reqs = 42;
    r.rate.cpu_pct = 101.25;
    r.rate.net_tx_kibs = 1.5;
    Columns_writeHeader(f);
    Columns_writeRow(f, &r);
    fclose(f);
    assert_string_equal(text,
        "NAME                ID STATE  CPU(sec) CPU(%)     MEM(k)  MAXMEM(k) VCPUS  NETTX(k)"
        "  NETRX(k)  TX(k/s)  RX(k/s)   VBD_RD   VBD_WR    RD/s    WR/s IMAGE TYPE UPTIME     USED OVERLAY IP              OS\n"
        "debian-1            12 -b----      125  101.2     262144   no limit     2        10"
        "         1      1.5      0.0       42        0     0.0     0.0 debian pvh   1h02m        -       - -               -\n");
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rates_exact),
        cmocka_unit_test(test_rates_no_previous),
        cmocka_unit_test(test_rates_zero_or_negative_wall_delta),
        cmocka_unit_test(test_delta_wrap32),
        cmocka_unit_test(test_delta_reset),
        cmocka_unit_test(test_sample_find_by_id_and_name),
        cmocka_unit_test(test_history_wraps_after_60),
        cmocka_unit_test(test_sort_by_columns),
        cmocka_unit_test(test_sort_by_type_and_uptime),
        cmocka_unit_test(test_uptime),
        cmocka_unit_test(test_row_format),
    };

    return cmocka_run_group_tests_name("stats", tests, NULL, NULL);
}
