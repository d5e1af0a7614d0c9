/* test_guests.c: xenlive list output and destroy. */
#include "guests.h"
#include "testutil.h"
#include "util.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static int setup(void **state)
{
    TestEnv *env;

    TestEnv_setup(state);
    env = *state;
    TestEnv_addImage(env, "debian", "NAME=debian\nMEMORY_MIB=256\n", true);
    TestEnv_addImage(env, "centos-stream", "NAME=centos-stream\nMEMORY_MIB=512\n", true);
    TestEnv_loadCatalog(env);
    BackendFake_addDomain(&env->fake, "debian-1", 256);
    BackendFake_addDomain(&env->fake, "centos-stream-12", 512);
    BackendFake_addDomain(&env->fake, "my \"vm\"", 128);
    BackendFake_addDomain(&env->fake, "fedora-1", 128);
    return 0;
}

static void leave_cfg(TestEnv *env, const char *name)
{
    char err[256];

    assert_int_equal(Util_mkdirs(env->paths.domains, err, sizeof err), 0);
    Test_writeFile(TestEnv_cfg(env, name), "name = \"x\"\n");
}

static void test_image_of_a_guest(void **state)
{
    TestEnv *env = *state;

    assert_string_equal(Guests_image("debian-3", &env->catalog)->name, "debian");
    assert_string_equal(Guests_image("centos-stream-12", &env->catalog)->name, "centos-stream");
    assert_null(Guests_image("debian", &env->catalog));
    assert_null(Guests_image("fedora-1", &env->catalog));
    assert_null(Guests_image("Domain-0", &env->catalog));
}

static void test_list_table(void **state)
{
    TestEnv *env = *state;
    TestMem mem;

    Guests_writeTable(Test_memOpen(&mem), &env->fake.domains, &env->catalog);
    assert_string_equal(Test_memText(&mem),
        "   ID  NAME              IMAGE              MEMORY  VCPUS  STATE\n"
        "    0  Domain-0          -                 768 MiB      2  r-----\n"
        "    1  debian-1          debian            256 MiB      1  -b----\n"
        "    2  centos-stream-12  centos-stream     512 MiB      1  -b----\n"
        "    3  my \"vm\"           -                 128 MiB      1  -b----\n"
        "    4  fedora-1          -                 128 MiB      1  -b----\n");
    Test_memFree(&mem);
}

static void test_list_json(void **state)
{
    TestEnv *env = *state;
    DomainList none = {0};
    TestMem mem;

    Guests_writeJson(Test_memOpen(&mem), &env->fake.domains, &env->catalog);
    assert_string_equal(Test_memText(&mem),
        "[\n"
        "  {\"id\": 0, \"name\": \"Domain-0\", \"image\": null, \"memory_mib\": 768, "
        "\"vcpus\": 2, \"state\": \"r-----\"},\n"
        "  {\"id\": 1, \"name\": \"debian-1\", \"image\": \"debian\", \"memory_mib\": 256, "
        "\"vcpus\": 1, \"state\": \"-b----\"},\n"
        "  {\"id\": 2, \"name\": \"centos-stream-12\", \"image\": \"centos-stream\", "
        "\"memory_mib\": 512, \"vcpus\": 1, \"state\": \"-b----\"},\n"
        "  {\"id\": 3, \"name\": \"my \\\"vm\\\"\", \"image\": null, \"memory_mib\": 128, "
        "\"vcpus\": 1, \"state\": \"-b----\"},\n"
        "  {\"id\": 4, \"name\": \"fedora-1\", \"image\": null, \"memory_mib\": 128, "
        "\"vcpus\": 1, \"state\": \"-b----\"}\n"
        "]\n");
    Test_memFree(&mem);
    Guests_writeJson(Test_memOpen(&mem), &none, &env->catalog);
    assert_string_equal(Test_memText(&mem), "[]\n");
    Test_memFree(&mem);
}

static void test_destroy_removes_domain_and_cfg(void **state)
{
    TestEnv *env = *state;
    char err[256] = "";

    leave_cfg(env, "debian-1");
    leave_cfg(env, "fedora-1");
    assert_int_equal(Guests_destroy(&env->fake.backend, &env->paths, "debian-1", err, sizeof err),
                     STATUS_OK);
    assert_int_equal(env->fake.destroys, 1);
    assert_null(DomainList_find(&env->fake.domains, "debian-1"));
    assert_false(Test_exists(TestEnv_cfg(env, "debian-1")));
    assert_true(Test_exists(TestEnv_cfg(env, "fedora-1")));
    /* A domain xenlive did not launch has no config; that is fine. */
    assert_int_equal(Guests_destroy(&env->fake.backend, &env->paths, "my \"vm\"", err, sizeof err),
                     STATUS_OK);
}

static void test_destroy_unknown_name(void **state)
{
    TestEnv *env = *state;
    char err[PATH_MAX + 128];
    char want[PATH_MAX + 128];

    assert_int_equal(Guests_destroy(&env->fake.backend, &env->paths, "debian-9", err, sizeof err),
                     STATUS_ERROR);
    assert_string_equal(err, "no domain named debian-9");
    assert_int_equal(env->fake.destroys, 0);
    /* ... but a config left behind for that name goes. */
    leave_cfg(env, "debian-9");
    assert_int_equal(Guests_destroy(&env->fake.backend, &env->paths, "debian-9", err, sizeof err),
                     STATUS_ERROR);
    snprintf(want, sizeof want, "no domain named debian-9 (removed its leftover %s)",
             TestEnv_cfg(env, "debian-9"));
    assert_string_equal(err, want);
    assert_false(Test_exists(TestEnv_cfg(env, "debian-9")));
}

static void test_destroy_never_dom0_or_paths(void **state)
{
    TestEnv *env = *state;
    char err[256];

    assert_int_equal(Guests_destroy(&env->fake.backend, &env->paths, "Domain-0", err, sizeof err),
                     STATUS_ERROR);
    assert_string_equal(err, "Domain-0 is dom0, which cannot be destroyed");
    assert_int_equal(Guests_destroy(&env->fake.backend, &env->paths, "../images/debian", err,
                                    sizeof err),
                     STATUS_ERROR);
    assert_string_equal(err, "no domain named ../images/debian");
    assert_int_equal(env->fake.destroys, 0);
}

#define ENV_TEST(f) cmocka_unit_test_setup_teardown(f, setup, TestEnv_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        ENV_TEST(test_image_of_a_guest),
        ENV_TEST(test_list_table),
        ENV_TEST(test_list_json),
        ENV_TEST(test_destroy_removes_domain_and_cfg),
        ENV_TEST(test_destroy_unknown_name),
        ENV_TEST(test_destroy_never_dom0_or_paths),
    };

    return cmocka_run_group_tests_name("guests", tests, NULL, NULL);
}
