/* test_catalog.c: image.conf parsing and the catalog folder. */
#include "catalog.h"
#include "testutil.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

/* Parse TEXT as "test.conf"; returns Image_parse's result, ERR its message. */
static int parse(const char *text, Image *img, char *err, size_t errlen)
{
    FILE *f = fmemopen((void *)text, strlen(text), "r");
    int rc;

    assert_non_null(f);
    err[0] = '\0';
    rc = Image_parse(img, f, "test.conf", err, errlen);
    fclose(f);
    return rc;
}

static void expect_error(const char *text, const char *message)
{
    Image img;
    char err[512];

    assert_int_equal(parse(text, &img, err, sizeof err), -1);
    assert_string_equal(err, message);
}

static void test_parse_quotes_comments_and_defaults(void **state)
{
    Image img;
    char err[512];

    (void)state;
    assert_int_equal(parse("# Debian: a comment\n"
                           "\n"
                           "NAME=debian\n"
                           "DISPLAY_NAME=\"Debian 12 (bookworm)\"\n"
                           "  DESCRIPTION='A \"full\" system, $HOME kept'  # trailing comment\n"
                           "MEMORY_MIB=256\n"
                           "CMDLINE=\"console=hvc0 quiet root=/dev/xvda\"\n"
                           "UP_MARKER=\"say \\\"up\\\" \\\\ \\$done\"\n"
                           "SHA256=0123abcd\n"
                           "\t\n",
                           &img, err, sizeof err),
                     0);
    assert_string_equal(img.name, "debian");
    assert_string_equal(img.display_name, "Debian 12 (bookworm)");
    assert_string_equal(img.description, "A \"full\" system, $HOME kept");
    assert_int_equal(img.memory_mib, 256);
    assert_int_equal(img.min_memory_mib, IMAGE_MIN_MEMORY_MIB);
    assert_int_equal(img.vcpus, 1);
    assert_string_equal(img.cmdline, "console=hvc0 quiet root=/dev/xvda");
    assert_string_equal(img.up_marker, "say \"up\" \\ $done");
    assert_true(img.available);
    assert_string_equal(img.unavailable_reason, "");
}

static void test_parse_later_lines_win(void **state)
{
    Image img;
    char err[512];

    (void)state;
    /* guest-images/stage.sh appends AVAILABLE to the recipe's file. */
    assert_int_equal(parse("NAME=centos\nMEMORY_MIB=512\nVCPUS=2\nAVAILABLE=yes\n"
                           "AVAILABLE=no\nUNAVAILABLE_REASON=\"no mirror for CentOS\"\n",
                           &img, err, sizeof err),
                     0);
    assert_int_equal(img.vcpus, 2);
    assert_false(img.available);
    assert_string_equal(img.unavailable_reason, "no mirror for CentOS");
}

static void test_parse_missing_keys(void **state)
{
    (void)state;
    expect_error("MEMORY_MIB=256\n", "test.conf: no NAME line");
    expect_error("NAME=debian\nVCPUS=1\n", "test.conf: no MEMORY_MIB line");
    expect_error("", "test.conf: no NAME line");
}

static void test_parse_bad_numbers_name_the_line(void **state)
{
    (void)state;
    expect_error("NAME=debian\n# memory\nMEMORY_MIB=abc\n",
                 "test.conf:3: MEMORY_MIB must be a whole number of at least 1, not 'abc'");
    expect_error("NAME=debian\nMEMORY_MIB=\"\"\n",
                 "test.conf:2: MEMORY_MIB must be a whole number of at least 1, not ''");
    expect_error("NAME=debian\nMEMORY_MIB=256\nVCPUS=0\n",
                 "test.conf:3: VCPUS must be a whole number of at least 1, not '0'");
    expect_error("NAME=debian\nMEMORY_MIB=-5\n",
                 "test.conf:2: MEMORY_MIB must be a whole number of at least 1, not '-5'");
    expect_error("NAME=debian\nMEMORY_MIB=256\nMIN_MEMORY_MIB=0\n",
                 "test.conf:3: MIN_MEMORY_MIB must be a whole number of at least 1, not '0'");
    expect_error("NAME=debian\nMEMORY_MIB=96\nMIN_MEMORY_MIB=100\n",
                 "test.conf: MEMORY_MIB=96 is below MIN_MEMORY_MIB=100");
    expect_error("NAME=tiny\nMEMORY_MIB=16\n",
                 "test.conf: MEMORY_MIB=16 is below MIN_MEMORY_MIB=28");
}

static void test_parse_bad_syntax_names_the_line(void **state)
{
    (void)state;
    expect_error("NAME=debian\nMEMORY_MIB 256\n", "test.conf:2: expected KEY=VALUE");
    expect_error("name=debian\n", "test.conf:1: expected KEY=VALUE");
    expect_error("=debian\n", "test.conf:1: expected KEY=VALUE");
    expect_error("NAME=debian\nDISPLAY_NAME=\"Debian\n",
                 "test.conf:2: cannot read the value of DISPLAY_NAME (quote a value holding "
                 "blanks or shell characters)");
    expect_error("NAME=debian\nDISPLAY_NAME=Debian 12\n",
                 "test.conf:2: cannot read the value of DISPLAY_NAME (quote a value holding "
                 "blanks or shell characters)");
    expect_error("NAME=debian\nCMDLINE=a;b\n",
                 "test.conf:2: cannot read the value of CMDLINE (quote a value holding "
                 "blanks or shell characters)");
    expect_error("NAME=debian\nMEMORY_MIB=256\nAVAILABLE=maybe\n",
                 "test.conf:3: AVAILABLE must be yes or no, not 'maybe'");
}

static void test_parse_rejects_unsafe_names(void **state)
{
    (void)state;
    expect_error("NAME=../etc\nMEMORY_MIB=256\n",
                 "test.conf: NAME '../etc' is not a valid image name");
    expect_error("NAME=\"deb ian\"\nMEMORY_MIB=256\n",
                 "test.conf: NAME 'deb ian' is not a valid image name");
    assert_true(Image_validName("centos-stream.9_x"));
    assert_false(Image_validName("-debian"));
    assert_false(Image_validName("a/b"));
    assert_false(Image_validName("abcdefghijabcdefghijabcdefghijabcdefghijabcdefghij"));
}

static void test_catalog_loads_sorted_and_finds(void **state)
{
    TestEnv *env = *state;
    char path[PATH_MAX + 32];

    TestEnv_addImage(env, "tiny", "NAME=tiny\nMEMORY_MIB=96\n", true);
    TestEnv_addImage(env, "debian", "NAME=debian\nMEMORY_MIB=256\n", true);
    TestEnv_addImage(env, "centos",
                     "NAME=centos\nMEMORY_MIB=512\nAVAILABLE=no\n"
                     "UNAVAILABLE_REASON=\"CentOS mirror unreachable\"\n",
                     false);
    /* A folder without image.conf is not an image. */
    snprintf(path, sizeof path, "%s/lost+found", env->paths.images);
    assert_int_equal(mkdir(path, 0755), 0);
    TestEnv_loadCatalog(env);
    assert_int_equal(env->catalog.count, 3);
    assert_string_equal(env->catalog.images[0].name, "centos");
    assert_string_equal(env->catalog.images[1].name, "debian");
    assert_string_equal(env->catalog.images[2].name, "tiny");
    assert_false(env->catalog.images[0].available);
    assert_string_equal(env->catalog.images[0].unavailable_reason, "CentOS mirror unreachable");
    assert_ptr_equal(Catalog_find(&env->catalog, "debian"), &env->catalog.images[1]);
    assert_null(Catalog_find(&env->catalog, "deb"));
}

static void test_catalog_missing_rootfs_makes_unavailable(void **state)
{
    TestEnv *env = *state;

    TestEnv_addImage(env, "debian", "NAME=debian\nMEMORY_MIB=256\nAVAILABLE=yes\n", false);
    TestEnv_loadCatalog(env);
    assert_false(env->catalog.images[0].available);
    assert_string_equal(env->catalog.images[0].unavailable_reason,
                        "its rootfs.squashfs is missing");
}

static void test_catalog_errors_name_the_file(void **state)
{
    TestEnv *env = *state;
    char err[PATH_MAX + 128];
    char want[PATH_MAX + 128];

    TestEnv_addImage(env, "debian", "NAME=debian\nMEMORY_MIB=256\n", true);
    TestEnv_addImage(env, "broken", "NAME=broken\nMEMORY_MIB=lots\n", true);
    assert_int_equal(Catalog_load(&env->catalog, env->paths.images, err, sizeof err), -1);
    snprintf(want, sizeof want,
             "%s/broken/image.conf:2: MEMORY_MIB must be a whole number of at least 1, "
             "not 'lots'", env->paths.images);
    assert_string_equal(err, want);
    assert_int_equal(env->catalog.count, 0);
    assert_null(env->catalog.images);
}

static void test_catalog_name_must_match_folder(void **state)
{
    TestEnv *env = *state;
    char err[PATH_MAX + 128];
    char want[PATH_MAX + 128];

    TestEnv_addImage(env, "debian", "NAME=ubuntu\nMEMORY_MIB=256\n", true);
    assert_int_equal(Catalog_load(&env->catalog, env->paths.images, err, sizeof err), -1);
    snprintf(want, sizeof want, "%s/debian/image.conf: NAME=ubuntu does not match its folder "
             "debian", env->paths.images);
    assert_string_equal(err, want);
}

static void test_catalog_missing_root(void **state)
{
    TestEnv *env = *state;
    char root[PATH_MAX + 16];
    char err[PATH_MAX + 128];
    char want[PATH_MAX + 128];

    snprintf(root, sizeof root, "%s/nowhere", env->root);
    assert_int_equal(Catalog_load(&env->catalog, root, err, sizeof err), -1);
    snprintf(want, sizeof want, "cannot open the image catalog %s: No such file or directory",
             root);
    assert_string_equal(err, want);
}

#define ENV_TEST(f) cmocka_unit_test_setup_teardown(f, TestEnv_setup, TestEnv_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_quotes_comments_and_defaults),
        cmocka_unit_test(test_parse_later_lines_win),
        cmocka_unit_test(test_parse_missing_keys),
        cmocka_unit_test(test_parse_bad_numbers_name_the_line),
        cmocka_unit_test(test_parse_bad_syntax_names_the_line),
        cmocka_unit_test(test_parse_rejects_unsafe_names),
        ENV_TEST(test_catalog_loads_sorted_and_finds),
        ENV_TEST(test_catalog_missing_rootfs_makes_unavailable),
        ENV_TEST(test_catalog_errors_name_the_file),
        ENV_TEST(test_catalog_name_must_match_folder),
        ENV_TEST(test_catalog_missing_root),
    };

    return cmocka_run_group_tests_name("catalog", tests, NULL, NULL);
}
