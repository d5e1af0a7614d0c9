/* test_xlcfg.c: the xl config text, MACs and machine ids. */
#include "testutil.h"
#include "xlcfg.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static XlCfg example(void)
{
    XlCfg cfg = {
        .name = "debian-1",
        .image = "debian",
        .type = GUEST_PV,
        .kernel = "/usr/share/xenlive/guest/vmlinux",
        .initrd = "/usr/share/xenlive/guest/initrd.img",
        .cmdline = "console=hvc0 quiet",
        .rootfs = "/run/xenlive/images/debian/rootfs.squashfs",
        .memory_mib = 256,
        .vcpus = 1,
        .machine_id = "0123456789abcdef0123456789abcdef",
    };

    return cfg;
}

/* The config text of CFG; RC is what XlCfg_write returned. */
static char *write_cfg(const XlCfg *cfg, int *rc, char *err, size_t errlen)
{
    TestMem mem;
    char *text;

    *rc = XlCfg_write(cfg, Test_memOpen(&mem), err, errlen);
    text = strdup(Test_memText(&mem));
    Test_memFree(&mem);
    return text;
}

static void test_pv_without_bridge(void **state)
{
    XlCfg cfg = example();
    char err[256];
    char *text;
    int rc;

    (void)state;
    text = write_cfg(&cfg, &rc, err, sizeof err);
    assert_int_equal(rc, 0);
    assert_string_equal(text,
        "# Written by xenlive launch; xenlive destroy removes it.\n"
        "name = \"debian-1\"\n"
        "type = \"pv\"\n"
        "kernel = \"/usr/share/xenlive/guest/vmlinux\"\n"
        "ramdisk = \"/usr/share/xenlive/guest/initrd.img\"\n"
        "memory = 256\n"
        "vcpus = 1\n"
        "extra = \"console=hvc0 quiet xenlive.name=debian-1 xenlive.image=debian "
        "xenlive.machine_id=0123456789abcdef0123456789abcdef\"\n"
        "disk = [ \"format=raw, vdev=xvda, access=ro, "
        "target=/run/xenlive/images/debian/rootfs.squashfs\" ]\n"
        "on_crash = \"destroy\"\n");
    free(text);
}

static void test_pvh_with_bridge(void **state)
{
    XlCfg cfg = example();
    char err[256];
    char *text;
    int rc;

    (void)state;
    cfg.name = "debian-2";
    cfg.type = GUEST_PVH;
    cfg.memory_mib = 1024;
    cfg.vcpus = 4;
    cfg.cmdline = "";
    cfg.vif = true;
    XlCfg_mac("debian-2", "host-A", cfg.mac);
    text = write_cfg(&cfg, &rc, err, sizeof err);
    assert_int_equal(rc, 0);
    assert_string_equal(text,
        "# Written by xenlive launch; xenlive destroy removes it.\n"
        "name = \"debian-2\"\n"
        "type = \"pvh\"\n"
        "kernel = \"/usr/share/xenlive/guest/vmlinux\"\n"
        "ramdisk = \"/usr/share/xenlive/guest/initrd.img\"\n"
        "memory = 1024\n"
        "vcpus = 4\n"
        "extra = \"xenlive.name=debian-2 xenlive.image=debian "
        "xenlive.machine_id=0123456789abcdef0123456789abcdef\"\n"
        "disk = [ \"format=raw, vdev=xvda, access=ro, "
        "target=/run/xenlive/images/debian/rootfs.squashfs\" ]\n"
        "vif = [ \"mac=00:16:3e:47:4a:bd, bridge=xenbr0\" ]\n"
        "on_crash = \"destroy\"\n");
    free(text);
}

static void format_mac(const char *name, const char *salt, char out[18])
{
    uint8_t mac[6];

    XlCfg_mac(name, salt, mac);
    snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4],
             mac[5]);
}

static void test_mac_is_xen_oui_and_stable(void **state)
{
    char a[18], b[18], c[18], d[18];

    (void)state;
    format_mac("debian-1", "host-A", a);
    format_mac("debian-1", "host-A", b);
    format_mac("debian-2", "host-A", c);
    format_mac("debian-1", "host-B", d);
    /* Worked out apart from this code, with a few lines of Python. */
    assert_string_equal(a, "00:16:3e:47:46:04");
    assert_string_equal(a, b);
    assert_string_not_equal(a, c);
    assert_string_not_equal(a, d);
    assert_string_equal(d, "00:16:3e:50:31:f5");
}

static void test_mac_fourth_byte_stays_below_0x80(void **state)
{
    char name[32];
    uint8_t mac[6];
    int i;

    (void)state;
    for (i = 0; i < 1000; i++) {
        snprintf(name, sizeof name, "debian-%d", i);
        XlCfg_mac(name, "salt", mac);
        assert_true(mac[0] == 0x00 && mac[1] == 0x16 && mac[2] == 0x3e);
        assert_true(mac[3] < 0x80);
    }
}

static void test_machine_id_is_lowercase_hex(void **state)
{
    uint8_t bytes[16];
    char id[33];
    int i;

    (void)state;
    for (i = 0; i < 16; i++)
        bytes[i] = (uint8_t)(0xa0 + i * 5);
    XlCfg_machineId(bytes, id);
    assert_string_equal(id, "a0a5aaafb4b9bec3c8cdd2d7dce1e6eb");
}

static void test_rejects_what_xl_cannot_hold(void **state)
{
    XlCfg cfg = example();
    char err[256];
    char *text;
    int rc;

    (void)state;
    cfg.cmdline = "init=\"/bin/sh\"";
    text = write_cfg(&cfg, &rc, err, sizeof err);
    assert_int_equal(rc, -1);
    assert_string_equal(err, "cannot put 'init=\"/bin/sh\"' in an xl config (quote, backslash "
                        "or control character)");
    assert_string_equal(text, ""); /* nothing half-written */
    free(text);
    cfg = example();
    cfg.rootfs = "/tmp/a\\b";
    text = write_cfg(&cfg, &rc, err, sizeof err);
    assert_int_equal(rc, -1);
    free(text);
}

static void test_authkey_on_the_command_line(void **state)
{
    XlCfg cfg = example();
    char err[256];
    char *text;
    int rc;

    (void)state;
    cfg.authkey = "ssh-ed25519:AAAAC3NzaC1lZDI1NTE5AAAAIGZha2Uga2V5IGZvciB4ZW5saXZlIHVuaXQgdGVzdHMh";
    text = write_cfg(&cfg, &rc, err, sizeof err);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(text,
        "extra = \"console=hvc0 quiet xenlive.name=debian-1 xenlive.image=debian "
        "xenlive.machine_id=0123456789abcdef0123456789abcdef "
        "xenlive.authkey=ssh-ed25519:AAAAC3NzaC1lZDI1NTE5AAAAIGZha2Uga2V5IGZvciB4ZW5saXZlIHVuaXQg"
        "dGVzdHMh\"\n"));
    free(text);
}

static void test_command_line_longer_than_xen_takes(void **state)
{
    XlCfg cfg = example();
    char key[XLCFG_CMDLINE_MAX + 64];
    size_t fixed;
    char err[256];
    char *text;
    int rc;

    (void)state;
    /* Exactly XLCFG_CMDLINE_MAX characters pass; one more does not. */
    fixed = strlen("console=hvc0 quiet xenlive.name=debian-1 xenlive.image=debian "
                   "xenlive.machine_id=0123456789abcdef0123456789abcdef xenlive.authkey=");
    memset(key, 'A', sizeof key);
    key[XLCFG_CMDLINE_MAX - fixed] = '\0';
    cfg.authkey = key;
    text = write_cfg(&cfg, &rc, err, sizeof err);
    assert_int_equal(rc, 0);
    free(text);
    key[XLCFG_CMDLINE_MAX - fixed] = 'A';
    key[XLCFG_CMDLINE_MAX - fixed + 1] = '\0';
    text = write_cfg(&cfg, &rc, err, sizeof err);
    assert_int_equal(rc, -1);
    assert_string_equal(err, "the kernel command line of debian-1 would be longer than the 1023 "
                        "characters Xen passes on (a long CMDLINE, or a long dom0 key: use "
                        "ssh-ed25519)");
    assert_string_equal(text, "");
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pv_without_bridge),
        cmocka_unit_test(test_pvh_with_bridge),
        cmocka_unit_test(test_mac_is_xen_oui_and_stable),
        cmocka_unit_test(test_mac_fourth_byte_stays_below_0x80),
        cmocka_unit_test(test_machine_id_is_lowercase_hex),
        cmocka_unit_test(test_rejects_what_xl_cannot_hold),
        cmocka_unit_test(test_authkey_on_the_command_line),
        cmocka_unit_test(test_command_line_longer_than_xen_takes),
    };

    return cmocka_run_group_tests_name("xlcfg", tests, NULL, NULL);
}
