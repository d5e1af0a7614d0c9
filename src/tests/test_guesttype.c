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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_choose_pvh_only_with_hvm_and_without_tcg),
        cmocka_unit_test(test_parse_and_name),
    };

    return cmocka_run_group_tests_name("guesttype", tests, NULL, NULL);
}
