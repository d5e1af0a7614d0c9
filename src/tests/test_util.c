/* test_util.c: number parsing, mkdir -p, first lines. */
#include "testutil.h"
#include "util.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>

#include <cmocka.h>

static void test_parse_unsigned_accepts_whole_numbers(void **state)
{
    unsigned v = 99;

    (void)state;
    assert_true(Util_parseUnsigned("0", &v));
    assert_int_equal(v, 0);
    assert_true(Util_parseUnsigned("256", &v));
    assert_int_equal(v, 256);
    assert_true(Util_parseUnsigned("4294967295", &v));
    assert_int_equal(v, 4294967295u);
}

static void test_parse_unsigned_rejects_the_rest(void **state)
{
    const char *bad[] = {"", "abc", "12x", "-1", "+1", " 1", "1 ", "1.5", "4294967296",
                         "99999999999999999999999"};
    unsigned v = 7;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (Util_parseUnsigned(bad[i], &v))
            fail_msg("accepted '%s'", bad[i]);
    }
    assert_int_equal(v, 7);
}

static void test_mkdirs_makes_parents_and_accepts_existing(void **state)
{
    TestEnv *env = *state;
    char path[PATH_MAX + 16];
    char err[256];

    snprintf(path, sizeof path, "%s/a/b/c", env->root);
    assert_int_equal(Util_mkdirs(path, err, sizeof err), 0);
    assert_true(Test_exists(path));
    assert_int_equal(Util_mkdirs(path, err, sizeof err), 0);
}

static void test_mkdirs_reports_what_failed(void **state)
{
    TestEnv *env = *state;
    char file[PATH_MAX + 16];
    char path[PATH_MAX + 32];
    char want[PATH_MAX + 64];
    char err[PATH_MAX + 64] = "";

    snprintf(file, sizeof file, "%s/file", env->root);
    Test_writeFile(file, "x");
    snprintf(path, sizeof path, "%s/sub", file);
    assert_int_equal(Util_mkdirs(path, err, sizeof err), -1);
    snprintf(want, sizeof want, "cannot create %s: Not a directory", path);
    assert_string_equal(err, want);
}

static void test_read_line_strips_the_newline(void **state)
{
    TestEnv *env = *state;
    char path[PATH_MAX + 16];
    char buf[64];

    snprintf(path, sizeof path, "%s/f", env->root);
    Test_writeFile(path, "first line\nsecond\n");
    assert_int_equal(Util_readLine(path, buf, sizeof buf), 0);
    assert_string_equal(buf, "first line");
    snprintf(path, sizeof path, "%s/missing", env->root);
    assert_int_equal(Util_readLine(path, buf, sizeof buf), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_unsigned_accepts_whole_numbers),
        cmocka_unit_test(test_parse_unsigned_rejects_the_rest),
        cmocka_unit_test_setup_teardown(test_mkdirs_makes_parents_and_accepts_existing,
                                        TestEnv_setup, TestEnv_teardown),
        cmocka_unit_test_setup_teardown(test_mkdirs_reports_what_failed, TestEnv_setup,
                                        TestEnv_teardown),
        cmocka_unit_test_setup_teardown(test_read_line_strips_the_newline, TestEnv_setup,
                                        TestEnv_teardown),
    };

    return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
