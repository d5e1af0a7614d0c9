/* test_guesttype.c: PV or PVH. */
#include "guesttype.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static void test_choose_pvh_only_with_hvm_and_without_tcg(void **state)
{
    (void)state;
    assert_int_equal(GuestType_choose(true, false), GUEST_PVH);
    assert_int_equal(GuestType_choose(true, true), GUEST_PV);
    assert_int_equal(GuestType_choose(false, false), GUEST_PV);
    assert_int_equal(GuestType_choose(false, true), GUEST_PV);
}

static void test_parse_and_name(void **state)
{
    GuestType t = GUEST_AUTO;

    (void)state;
    assert_true(GuestType_parse("pv", &t));
    assert_int_equal(t, GUEST_PV);
    assert_string_equal(GuestType_name(t), "pv");
    assert_true(GuestType_parse("pvh", &t));
    assert_int_equal(t, GUEST_PVH);
    assert_string_equal(GuestType_name(t), "pvh");
    assert_false(GuestType_parse("hvm", &t));
    assert_false(GuestType_parse("PV", &t));
    assert_false(GuestType_parse("", &t));
    assert_int_equal(t, GUEST_PVH);
}

static bool cpuinfo_is_tcg(const char *text)
{
    FILE *f = fmemopen((void *)text, strlen(text), "r");
    bool tcg;

    assert_non_null(f);
    tcg = GuestType_cpuinfoIsTcg(f);
    fclose(f);
    return tcg;
}

static void test_cpuinfo_tcg(void **state)
{
    (void)state;
    assert_true(cpuinfo_is_tcg("processor\t: 0\nvendor_id\t: AuthenticAMD\n"
                               "model name\t: QEMU TCG CPU version 2.5+\nflags\t\t: fpu\n"));
    assert_true(cpuinfo_is_tcg("processor\t: 0\nmodel name\t: QEMU Virtual CPU version 2.5+\n"));
    assert_false(cpuinfo_is_tcg("model name\t: Intel(R) Core(TM) i7-8650U CPU @ 1.90GHz\n"));
    /* Only the model name counts, not the word elsewhere. */
    assert_false(cpuinfo_is_tcg("processor\t: 0\nflags\t\t: QEMU TCG\n"));
    assert_false(cpuinfo_is_tcg(""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_choose_pvh_only_with_hvm_and_without_tcg),
        cmocka_unit_test(test_parse_and_name),
        cmocka_unit_test(test_cpuinfo_tcg),
    };

    return cmocka_run_group_tests_name("guesttype", tests, NULL, NULL);
}
