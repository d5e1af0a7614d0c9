/* test_names.c: IMAGE-N numbering. */
#include "names.h"
#include "testutil.h"
#include "util.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static const char *next(TestEnv *env, const char *image)
{
    static char name[128];

    assert_int_equal(Names_next(image, &env->fake.domains, &env->paths, name, sizeof name), 0);
    return name;
}

static void leave_cfg(TestEnv *env, const char *name)
{
    char err[256];

    assert_int_equal(Util_mkdirs(env->paths.domains, err, sizeof err), 0);
    Test_writeFile(TestEnv_cfg(env, name), "name = \"x\"\n");
}

static void test_first_is_1(void **state)
{
    TestEnv *env = *state;

    assert_string_equal(next(env, "debian"), "debian-1");
}

static void test_fills_gaps(void **state)
{
    TestEnv *env = *state;

    BackendFake_addDomain(&env->fake, "debian-1", 256);
    BackendFake_addDomain(&env->fake, "debian-3", 256);
    assert_string_equal(next(env, "debian"), "debian-2");
    BackendFake_addDomain(&env->fake, "debian-2", 256);
    assert_string_equal(next(env, "debian"), "debian-4");
}

static void test_skips_leftover_cfg(void **state)
{
    TestEnv *env = *state;

    leave_cfg(env, "debian-1");
    BackendFake_addDomain(&env->fake, "debian-2", 256);
    assert_string_equal(next(env, "debian"), "debian-3");
}

static void test_other_images_do_not_count(void **state)
{
    TestEnv *env = *state;

    BackendFake_addDomain(&env->fake, "debian2-1", 256);
    BackendFake_addDomain(&env->fake, "debian", 256);
    BackendFake_addDomain(&env->fake, "my-debian-1", 256);
    leave_cfg(env, "centos-1");
    assert_string_equal(next(env, "debian"), "debian-1");
}

static void test_split(void **state)
{
    char image[16];

    (void)state;
    assert_true(Names_split("debian-12", image, sizeof image));
    assert_string_equal(image, "debian");
    assert_true(Names_split("centos-stream-9-2", image, sizeof image));
    assert_string_equal(image, "centos-stream-9");
    assert_false(Names_split("debian", image, sizeof image));
    assert_false(Names_split("debian-", image, sizeof image));
    assert_false(Names_split("debian-x1", image, sizeof image));
    assert_false(Names_split("-1", image, sizeof image));
    assert_false(Names_split("Domain-0x", image, sizeof image));
    assert_false(Names_split("a-very-long-image-name-1", image, sizeof image));
}

#define ENV_TEST(f) cmocka_unit_test_setup_teardown(f, TestEnv_setup, TestEnv_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        ENV_TEST(test_first_is_1),
        ENV_TEST(test_fills_gaps),
        ENV_TEST(test_skips_leftover_cfg),
        ENV_TEST(test_other_images_do_not_count),
        cmocka_unit_test(test_split),
    };

    return cmocka_run_group_tests_name("names", tests, NULL, NULL);
}
