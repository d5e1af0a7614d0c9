/* test_host.c: the host facts that are read from text (fixtures for
 * /proc/cpuinfo, /proc/meminfo and the DMI UUID), the salt of the MACs,
 * and an interface that is not there. */
#include "host.h"
#include "testutil.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* ROOT/NAME holding TEXT; the path stays valid until the next call. */
static const char *fixture(TestEnv *env, const char *name, const char *text)
{
    static char path[PATH_MAX + 64];

    snprintf(path, sizeof path, "%s/%s", env->root, name);
    Test_writeFile(path, text);
    return path;
}

static const char *missing(TestEnv *env, const char *name)
{
    static char path[PATH_MAX + 64];

    snprintf(path, sizeof path, "%s/%s", env->root, name);
    return path;
}

static void test_tcg_from_cpuinfo(void **state)
{
    TestEnv *env = *state;

    assert_true(Host_isTcg(fixture(env, "cpuinfo",
                                   "processor\t: 0\nvendor_id\t: AuthenticAMD\n"
                                   "model name\t: QEMU TCG CPU version 2.5+\nflags\t\t: fpu\n")));
    assert_true(Host_isTcg(fixture(env, "cpuinfo",
                                   "processor\t: 0\n"
                                   "model name\t: QEMU Virtual CPU version 2.5+\n")));
    assert_false(Host_isTcg(fixture(env, "cpuinfo",
                                    "model name\t: Intel(R) Core(TM) i7-8650U CPU @ 1.90GHz\n")));
    /* Only the first model name counts, and not the words elsewhere. */
    assert_false(Host_isTcg(fixture(env, "cpuinfo", "processor\t: 0\nflags\t\t: QEMU TCG\n")));
    assert_false(Host_isTcg(fixture(env, "cpuinfo",
                                    "model name\t: AMD EPYC 7763\n"
                                    "model name\t: QEMU TCG CPU version 2.5+\n")));
    assert_false(Host_isTcg(fixture(env, "cpuinfo", "")));
    assert_false(Host_isTcg(missing(env, "no-cpuinfo")));
}

#define MEMINFO                                                                          \
    "MemTotal:         786432 kB\n"                                                      \
    "MemFree:          402116 kB\n"                                                      \
    "MemAvailable:     538112 kB\n"                                                      \
    "Buffers:           12044 kB\n"

static void test_mem_available(void **state)
{
    TestEnv *env = *state;
    char err[PATH_MAX + 128] = "";
    char want[PATH_MAX + 128];
    uint64_t mib = 0;

    /* 538112 kB = 525.5 MiB: rounded down, never more than there is. */
    assert_int_equal(Host_memAvailableMib(fixture(env, "meminfo", MEMINFO), &mib, err,
                                          sizeof err),
                     STATUS_OK);
    assert_int_equal(mib, 525);
    /* A kernel without MemAvailable (before 3.14): MemFree is not it. */
    assert_int_equal(Host_memAvailableMib(fixture(env, "meminfo",
                                                  "MemTotal: 786432 kB\nMemFree: 402116 kB\n"),
                                          &mib, err, sizeof err),
                     STATUS_ERROR);
    snprintf(want, sizeof want, "no MemAvailable in %s/meminfo", env->root);
    assert_string_equal(err, want);
    assert_int_equal(Host_memAvailableMib(missing(env, "no-meminfo"), &mib, err, sizeof err),
                     STATUS_ERROR);
    snprintf(want, sizeof want, "cannot read %s/no-meminfo: No such file or directory",
             env->root);
    assert_string_equal(err, want);
}

#define UUID "4c4c4544-0042-3510-8052-b4c04f4d3732"

static void test_dmi_uuid(void **state)
{
    TestEnv *env = *state;
    char buf[64];

    assert_true(Host_dmiUuid(fixture(env, "uuid", UUID "\n"), buf, sizeof buf));
    assert_string_equal(buf, UUID);
    /* No UUID: no file (not root, no DMI), empty, all zeros (QEMU
     * without -uuid), all ones (SMBIOS: not present). */
    assert_false(Host_dmiUuid(missing(env, "no-uuid"), buf, sizeof buf));
    assert_false(Host_dmiUuid(fixture(env, "uuid", "\n"), buf, sizeof buf));
    assert_false(Host_dmiUuid(fixture(env, "uuid", "00000000-0000-0000-0000-000000000000\n"),
                              buf, sizeof buf));
    assert_false(Host_dmiUuid(fixture(env, "uuid", "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF\n"),
                              buf, sizeof buf));
    /* Mostly zeros or f's is a UUID all the same. */
    assert_true(Host_dmiUuid(fixture(env, "uuid", "00000000-0000-0000-0000-000000000001\n"),
                             buf, sizeof buf));
    assert_true(Host_dmiUuid(fixture(env, "uuid", "ffffffff-ffff-ffff-ffff-fffffffffff0\n"),
                             buf, sizeof buf));
}

static void test_salt_is_the_uuid(void **state)
{
    TestEnv *env = *state;
    char salt[256];
    char err[256] = "";

    assert_int_equal(Host_salt(fixture(env, "uuid", UUID "\n"), env->paths.run, salt,
                               sizeof salt, err, sizeof err),
                     STATUS_OK);
    assert_string_equal(salt, UUID);
    assert_int_equal(Test_countFiles(env->paths.run), 0); /* no host-salt file made */
}

/* Without a UUID (DMI file DMI_NAME: missing, or all zeros), a random
 * salt is made once in the run folder and kept. */
static void expect_random_salt(TestEnv *env, const char *dmi)
{
    char salt[256];
    char again[256];
    char path[PATH_MAX + 64];
    char err[256] = "";
    char *kept;

    assert_int_equal(Host_salt(dmi, env->paths.run, salt, sizeof salt, err, sizeof err),
                     STATUS_OK);
    assert_int_equal(strlen(salt), 32);
    assert_int_equal(strspn(salt, "0123456789abcdef"), 32);
    assert_string_not_equal(salt, "00000000000000000000000000000000");
    snprintf(path, sizeof path, "%s/host-salt", env->paths.run);
    kept = Test_readFile(path);
    assert_non_null(kept);
    assert_int_equal(strncmp(kept, salt, 32), 0);
    free(kept);
    assert_int_equal(Host_salt(dmi, env->paths.run, again, sizeof again, err, sizeof err),
                     STATUS_OK);
    assert_string_equal(again, salt);
}

static void test_salt_without_uuid(void **state)
{
    TestEnv *env = *state;

    expect_random_salt(env, missing(env, "no-uuid"));
}

static void test_salt_with_zero_uuid(void **state)
{
    TestEnv *env = *state;

    expect_random_salt(env, fixture(env, "uuid", "00000000-0000-0000-0000-000000000000\n"));
}

static void test_salt_buffer_too_small(void **state)
{
    TestEnv *env = *state;
    char salt[32];
    char err[256];

    assert_int_equal(Host_salt(missing(env, "no-uuid"), env->paths.run, salt, sizeof salt, err,
                               sizeof err),
                     STATUS_ERROR);
    assert_string_equal(err, "host salt buffer too small");
}

static void test_random_bytes(void **state)
{
    uint8_t a[32] = {0};
    uint8_t b[32] = {0};
    char err[256];

    (void)state;
    assert_int_equal(Host_randomBytes(a, sizeof a, err, sizeof err), STATUS_OK);
    assert_int_equal(Host_randomBytes(b, sizeof b, err, sizeof err), STATUS_OK);
    assert_memory_not_equal(a, b, sizeof a);
}

static void test_no_such_interface(void **state)
{
    char addr[64] = "unchanged";
    unsigned prefix = 99;

    (void)state;
    assert_false(Host_ipv4Address("xenlive-none0", addr, sizeof addr, &prefix));
    assert_int_equal(prefix, 99);
}

#define ENV_TEST(f) cmocka_unit_test_setup_teardown(f, TestEnv_setup, TestEnv_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        ENV_TEST(test_tcg_from_cpuinfo),
        ENV_TEST(test_mem_available),
        ENV_TEST(test_dmi_uuid),
        ENV_TEST(test_salt_is_the_uuid),
        ENV_TEST(test_salt_without_uuid),
        ENV_TEST(test_salt_with_zero_uuid),
        ENV_TEST(test_salt_buffer_too_small),
        cmocka_unit_test(test_random_bytes),
        cmocka_unit_test(test_no_such_interface),
    };

    return cmocka_run_group_tests_name("host", tests, NULL, NULL);
}
