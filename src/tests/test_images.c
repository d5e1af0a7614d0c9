/* test_images.c: JSON strings, and xenlive images as table and JSON. */
#include "images.h"
#include "launch.h"
#include "json.h"
#include "testutil.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static void expect_json(const char *in, const char *want)
{
    TestMem mem;

    Json_writeString(Test_memOpen(&mem), in);
    assert_string_equal(Test_memText(&mem), want);
    Test_memFree(&mem);
}

static void test_json_escaping(void **state)
{
    (void)state;
    expect_json("", "\"\"");
    expect_json("plain text", "\"plain text\"");
    expect_json("say \"hi\"", "\"say \\\"hi\\\"\"");
    expect_json("C:\\dir", "\"C:\\\\dir\"");
    expect_json("a\nb\tc\rd", "\"a\\nb\\tc\\rd\"");
    expect_json("\x01\x1f\x7f", "\"\\u0001\\u001f\x7f\"");
    expect_json("caf\xc3\xa9 /", "\"caf\xc3\xa9 /\""); /* UTF-8 and / pass through */
}

static int setup(void **state)
{
    TestEnv *env;

    TestEnv_setup(state);
    env = *state;
    TestEnv_addImage(env, "debian",
                     "NAME=debian\nDISPLAY_NAME=\"Debian 12 (bookworm)\"\n"
                     "DESCRIPTION=\"A \\\"full\\\" Debian\"\nMEMORY_MIB=256\nVCPUS=2\n"
                     "UP_MARKER=\"xenlive-guest up:\"\n",
                     true);
    TestEnv_addImage(env, "centos",
                     "NAME=centos\nDISPLAY_NAME=\"CentOS Stream 9\"\nMEMORY_MIB=512\n"
                     "AVAILABLE=no\nUNAVAILABLE_REASON=\"not included in this build: mirror unreachable\"\n",
                     false);
    TestEnv_loadCatalog(env);
    return 0;
}

static void test_fit(void **state)
{
    TestEnv *env = *state;
    const Image *debian = Catalog_find(&env->catalog, "debian");
    const Image *centos = Catalog_find(&env->catalog, "centos");
    Room room = {.free_mib = 0, .dom0_mib = 512};

    assert_int_equal(Images_fit(debian, &room), 0);
    room.free_mib = 256;
    assert_int_equal(Images_fit(debian, &room), 0);
    room.free_mib = 257;
    assert_int_equal(Images_fit(debian, &room), 1);
    room.free_mib = 3000;
    assert_int_equal(Images_fit(debian, &room), 3000 / 257);
    assert_int_equal(Images_fit(centos, &room), 0);
    /* Dom0's spare limits it too: 3 guests' share above the reserve. */
    room.dom0_mib = DOM0_RESERVE_MIB + 3 * DOM0_PER_GUEST_MIB + 2;
    assert_int_equal(Images_fit(debian, &room), 3);
    room.dom0_mib = DOM0_RESERVE_MIB + DOM0_PER_GUEST_MIB - 1;
    assert_int_equal(Images_fit(debian, &room), 0);
    room.dom0_mib = 0;
    assert_int_equal(Images_fit(debian, &room), 0);
    /* Dom0 may grow: 2 guests on its spare, then each takes 257 + 3 of
     * Xen's free memory, and 9 MiB of growth covers 3 more. */
    room = (Room){.free_mib = 3000, .dom0_mib = DOM0_RESERVE_MIB + 2 * DOM0_PER_GUEST_MIB,
                  .dom0_grow_mib = 9};
    assert_int_equal(Images_fit(debian, &room), 5);
    /* With room to grow for all, Xen's memory limits: 2 at 257, then
     * (3000 - 514) / 260 = 9 more, not 3000 / 257 = 11. */
    room.dom0_grow_mib = 1000;
    assert_int_equal(Images_fit(debian, &room), 11);
    room.free_mib = 2 * 257 + 9 * 260 + 259;
    assert_int_equal(Images_fit(debian, &room), 11);
    /* Below its reserve, dom0 first grows back up to it: 4 of 10 MiB go
     * there, and 6 cover 2 guests. */
    room = (Room){.free_mib = 3000, .dom0_mib = DOM0_RESERVE_MIB - 4, .dom0_grow_mib = 10};
    assert_int_equal(Images_fit(debian, &room), 2);
}

static void test_images_json(void **state)
{
    TestEnv *env = *state;
    Catalog empty = {0};
    Room room = {.free_mib = 3000, .dom0_mib = 512};
    TestMem mem;

    Images_writeJson(Test_memOpen(&mem), &env->catalog, &room);
    assert_string_equal(Test_memText(&mem),
        "[\n"
        "  {\"name\": \"centos\", \"display_name\": \"CentOS Stream 9\", \"description\": \"\", "
        "\"memory_mib\": 512, \"min_memory_mib\": 28, \"vcpus\": 1, \"available\": false, "
        "\"status\": \"not included in this build: mirror unreachable\", \"up_marker\": \"\", "
        "\"fits\": 0},\n"
        "  {\"name\": \"debian\", \"display_name\": \"Debian 12 (bookworm)\", "
        "\"description\": \"A \\\"full\\\" Debian\", \"memory_mib\": 256, "
        "\"min_memory_mib\": 28, \"vcpus\": 2, "
        "\"available\": true, \"status\": \"ready\", \"up_marker\": \"xenlive-guest up:\", "
        "\"fits\": 11}\n"
        "]\n");
    Test_memFree(&mem);
    Images_writeJson(Test_memOpen(&mem), &empty, &room);
    assert_string_equal(Test_memText(&mem), "[]\n");
    Test_memFree(&mem);
}

static void test_images_room(void **state)
{
    TestEnv *env = *state;
    Catalog empty = {0};
    Room room = {.free_mib = 3000, .dom0_mib = 512};
    char line[256];

    /* centos is unavailable: neither counted nor the smallest. */
    Images_room(&env->catalog, &room, line, sizeof line);
    assert_string_equal(line, "room for 11 debian (3000 MiB free)");
    /* Dom0's spare is the limit: (50 - 32) / 3 = 6. */
    room.dom0_mib = 50;
    Images_room(&env->catalog, &room, line, sizeof line);
    assert_string_equal(line, "room for 6 debian (3000 MiB free)");
    room.dom0_mib = 34;
    Images_room(&env->catalog, &room, line, sizeof line);
    assert_string_equal(line, "too small for any guest: dom0 has 34 MiB available, keeps 32 and "
                              "needs 3 per guest");
    /* ... unless it can grow by a guest's share and what it lacks. */
    room.dom0_grow_mib = 1 + DOM0_PER_GUEST_MIB;
    Images_room(&env->catalog, &room, line, sizeof line);
    assert_string_equal(line, "room for 1 debian (3000 MiB free)");
    room = (Room){.free_mib = 256, .dom0_mib = 512};
    Images_room(&env->catalog, &room, line, sizeof line);
    assert_string_equal(line, "too small for any guest: 256 MiB free, debian needs 257");
    room.free_mib = 3000;
    Images_room(&empty, &room, line, sizeof line);
    assert_string_equal(line, "no image is available");
    /* Cut short, still a terminated string. */
    Images_room(&env->catalog, &room, line, 12);
    assert_string_equal(line, "room for 11");
}

static void test_images_table(void **state)
{
    TestEnv *env = *state;
    Room room = {.free_mib = 3000, .dom0_mib = 512};
    TestMem mem;

    Images_writeTable(Test_memOpen(&mem), &env->catalog, &room);
    assert_string_equal(Test_memText(&mem),
        "NAME    DISPLAY NAME              MEMORY   MIN  VCPUS  FITS  STATUS\n"
        "centos  CentOS Stream 9          512 MiB    28      1     0  not included in this build: "
        "mirror unreachable\n"
        "debian  Debian 12 (bookworm)     256 MiB    28      2    11  ready\n");
    Test_memFree(&mem);
}

#define ENV_TEST(f) cmocka_unit_test_setup_teardown(f, setup, TestEnv_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_escaping),
        ENV_TEST(test_fit),
        ENV_TEST(test_images_json),
        ENV_TEST(test_images_room),
        ENV_TEST(test_images_table),
    };

    return cmocka_run_group_tests_name("images", tests, NULL, NULL);
}
