/* test_access.c: how to reach dom0: when the password may be shown, the
 * net file, the uplink's address from the backend, the TUI's header
 * line and xenlive info (text and JSON). */
#include "access.h"
#include "info.h"
#include "testutil.h"
#include "util.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#define NAT_NET "MODE=nat\nUPLINK=eth0\nGUEST_NET=10.99.0.0/24\nGATEWAY=10.99.0.1\n"

static void test_password_only_on_a_local_console(void **state)
{
    (void)state;
    assert_true(Access_passwordVisible("/dev/console", NULL));
    assert_true(Access_passwordVisible("/dev/tty1", NULL));
    assert_true(Access_passwordVisible("/dev/tty12", NULL));
    assert_true(Access_passwordVisible("/dev/ttyS0", NULL));
    assert_true(Access_passwordVisible("/dev/hvc0", NULL));
    /* SSH, even on what looks like a console. */
    assert_false(Access_passwordVisible("/dev/tty1", "10.0.2.2 51234 10.0.2.15 22"));
    assert_false(Access_passwordVisible("/dev/hvc0", ""));
    /* Pseudo-terminals (ssh, tmux, screen), no terminal, look-alikes. */
    assert_false(Access_passwordVisible("/dev/pts/0", NULL));
    assert_false(Access_passwordVisible(NULL, NULL));
    assert_false(Access_passwordVisible("/dev/tty", NULL));
    assert_false(Access_passwordVisible("/dev/ttyS", NULL));
    assert_false(Access_passwordVisible("/dev/hvc", NULL));
    assert_false(Access_passwordVisible("/dev/ttyUSB0", NULL));
    assert_false(Access_passwordVisible("/dev/tty1x", NULL));
    assert_false(Access_passwordVisible("/dev/hvc0/../pts/1", NULL));
    assert_false(Access_passwordVisible("/tmp/dev/tty1", NULL));
    assert_false(Access_passwordVisible("/dev/console2", NULL));
}

static void parse(const char *text, Access *a)
{
    FILE *f = fmemopen((void *)text, strlen(text), "r");

    assert_non_null(f);
    memset(a, 0, sizeof *a);
    Access_parseNet(f, a);
    fclose(f);
}

static void test_net_file(void **state)
{
    Access a;

    (void)state;
    parse(NAT_NET, &a);
    assert_true(a.net_started);
    assert_string_equal(a.mode, "nat");
    assert_string_equal(a.uplink, "eth0");
    assert_string_equal(a.guest_net, "10.99.0.0/24");
    assert_string_equal(a.gateway, "10.99.0.1");
    parse("MODE=bridged\nUPLINK=xenbr0\n", &a);
    assert_string_equal(a.mode, "bridged");
    assert_string_equal(a.uplink, "xenbr0");
    assert_string_equal(a.guest_net, "");
    /* No network card: UPLINK is empty. */
    parse("MODE=nat\nUPLINK=\nGUEST_NET=10.99.0.0/24\n", &a);
    assert_string_equal(a.uplink, "");
    /* Shell quotes, comments, CRLF, other keys; blanks and control
     * characters are not taken. */
    parse("# written by 40-network\r\nMODE='nat'\r\nUPLINK=\"eth1\"\nFOO=bar\n"
          "GATEWAY=10.99.0.1 ; reboot\nGUEST_NET=10.99.\0330.0/24\n", &a);
    assert_string_equal(a.mode, "nat");
    assert_string_equal(a.uplink, "eth1");
    assert_string_equal(a.gateway, "");
    assert_string_equal(a.guest_net, "");
    /* A line too long to read at once is skipped whole: its end is not a
     * line of its own (fuzz_net found "# xxx...xMODE=evil" set MODE). */
    {
        char text[600];

        snprintf(text, sizeof text, "MODE=nat\n# %0253dMODE=evil\nUPLINK=eth0\n", 0);
        parse(text, &a);
        assert_string_equal(a.mode, "nat");
        assert_string_equal(a.uplink, "eth0");
    }
    /* A '\r' ends the line (and its key) before any '=' after it. */
    parse("UPLINK=eth0\nUPLINK\rGATE=evil\n", &a);
    assert_string_equal(a.uplink, "eth0");
}

/* Write the run folder's FILE with TEXT. */
static void write_run(TestEnv *env, const char *path, const char *text)
{
    char err[256];

    assert_int_equal(Util_mkdirs(env->paths.run, err, sizeof err), 0);
    Test_writeFile(path, text);
}

static void test_load_asks_the_backend_for_the_address(void **state)
{
    TestEnv *env = *state;
    Access a;

    /* Nothing written yet: networking did not start. */
    Access_load(&a, &env->fake.backend, &env->paths, true);
    assert_false(a.net_started);
    assert_false(a.has_address);
    assert_string_equal(a.password, "");
    assert_string_equal(a.host_key, "");

    write_run(env, env->paths.net, NAT_NET);
    write_run(env, env->paths.password, "Ab3k-x9Qe-7mPz\n");
    write_run(env, env->paths.ssh_fingerprint, "SHA256:q8bNUz2pPOlUZuZ6ScwXxKmJk9zMHs7u4ez0XGF4s6E\n");
    /* DHCP has not finished. */
    Access_load(&a, &env->fake.backend, &env->paths, true);
    assert_true(a.net_started);
    assert_false(a.has_address);
    assert_string_equal(a.password, "Ab3k-x9Qe-7mPz");
    assert_string_equal(a.host_key, "SHA256:q8bNUz2pPOlUZuZ6ScwXxKmJk9zMHs7u4ez0XGF4s6E");
    /* Now it has; an address on another interface does not count. */
    env->fake.ifname = "eth1";
    env->fake.address = "192.168.1.20";
    env->fake.prefix = 24;
    Access_load(&a, &env->fake.backend, &env->paths, true);
    assert_false(a.has_address);
    env->fake.ifname = "eth0";
    env->fake.address = "10.0.2.15";
    Access_load(&a, &env->fake.backend, &env->paths, true);
    assert_true(a.has_address);
    assert_string_equal(a.address, "10.0.2.15");
    assert_int_equal(a.prefix, 24);
    /* Not on a local console: the password is not even read. */
    Access_load(&a, &env->fake.backend, &env->paths, false);
    assert_true(a.password_hidden);
    assert_string_equal(a.password, "");
}

static Access nat_with_address(void)
{
    Access a;

    parse(NAT_NET, &a);
    a.has_address = true;
    snprintf(a.address, sizeof a.address, "10.0.2.15");
    a.prefix = 24;
    snprintf(a.host_key, sizeof a.host_key, "SHA256:q8bNUz2pPOlUZuZ6ScwXxKmJk9zMHs7u4ez0XGF4s6E");
    snprintf(a.password, sizeof a.password, "Ab3k-x9Qe-7mPz");
    return a;
}

static void test_header_line(void **state)
{
    Access a = nat_with_address();
    char line[256];

    (void)state;
    Access_headerLine(&a, 80, line, sizeof line);
    assert_string_equal(line, "net nat  eth0 10.0.2.15  ssh root@10.0.2.15  password Ab3k-x9Qe-7mPz");
    a.password_hidden = true;
    a.password[0] = '\0';
    Access_headerLine(&a, 80, line, sizeof line);
    /* 85 characters: the ssh part goes. */
    assert_string_equal(line, "net nat  eth0 10.0.2.15  password (shown on the local console)");
    /* Narrower: then "net nat", then the uplink; then it is cut. */
    Access_headerLine(&a, 55, line, sizeof line);
    assert_string_equal(line, "eth0 10.0.2.15  password (shown on the local console)");
    Access_headerLine(&a, 40, line, sizeof line);
    assert_string_equal(line, "password (shown on the local console)");
    Access_headerLine(&a, 20, line, sizeof line);
    assert_string_equal(line, "password (shown on t");
    Access_headerLine(&a, 0, line, sizeof line);
    assert_string_equal(line, "");
    /* A short buffer is cut, never overrun. */
    Access_headerLine(&a, 80, line, 12);
    assert_string_equal(line, "net nat  et");

    /* No address yet, no network card, no network, no password file. */
    a = nat_with_address();
    a.has_address = false;
    Access_headerLine(&a, 80, line, sizeof line);
    assert_string_equal(line, "net nat  eth0 no address yet (DHCP)  password Ab3k-x9Qe-7mPz");
    a.uplink[0] = '\0';
    Access_headerLine(&a, 80, line, sizeof line);
    assert_string_equal(line, "net nat  no network card  password Ab3k-x9Qe-7mPz");
    memset(&a, 0, sizeof a);
    Access_headerLine(&a, 80, line, sizeof line);
    assert_string_equal(line, "net not started  password unknown");
    /* Bridged, the longest address: the ssh part goes, the password stays
     * whole. */
    parse("MODE=bridged\nUPLINK=xenbr0\n", &a);
    a.has_address = true;
    snprintf(a.address, sizeof a.address, "192.168.100.200");
    snprintf(a.password, sizeof a.password, "Ab3k-x9Qe-7mPz");
    Access_headerLine(&a, 80, line, sizeof line);
    assert_string_equal(line, "net bridged  xenbr0 192.168.100.200  password Ab3k-x9Qe-7mPz");
    Access_headerLine(&a, 100, line, sizeof line);
    assert_string_equal(line, "net bridged  xenbr0 192.168.100.200  ssh root@192.168.100.200  "
                              "password Ab3k-x9Qe-7mPz");
}

static const char *info_text(const Info *info, bool json, TestMem *mem)
{
    FILE *f = Test_memOpen(mem);

    if (json)
        Info_writeJson(f, info);
    else
        Info_writeText(f, info);
    return Test_memText(mem);
}

static void test_info(void **state)
{
    TestEnv *env = *state;
    Info info;
    char err[256] = "";
    TestMem mem;

    BackendFake_addDomain(&env->fake, "debian-1", 256);
    BackendFake_addDomain(&env->fake, "debian-2", 256);
    BackendFake_addDomain(&env->fake, "tiny-1", 64);
    TestEnv_addImage(env, "tiny", "NAME=tiny\nMEMORY_MIB=32\n", true);
    TestEnv_addImage(env, "debian", "NAME=debian\nMEMORY_MIB=128\n", true);
    env->fake.free_mib = 3412;
    write_run(env, env->paths.net, NAT_NET);
    write_run(env, env->paths.data, "DEVICE=/dev/sdb1\nFSTYPE=ext4\nMOUNT=/mnt/xenlive-data\n");
    write_run(env, env->paths.password, "Ab3k-x9Qe-7mPz\n");
    write_run(env, env->paths.ssh_fingerprint, "SHA256:q8bNUz2pPOlUZuZ6ScwXxKmJk9zMHs7u4ez0XGF4s6E\n");
    env->fake.ifname = "eth0";
    env->fake.address = "10.0.2.15";
    env->fake.prefix = 24;
    assert_int_equal(Info_gather(&info, &env->fake.backend, &env->paths, true, err, sizeof err),
                     STATUS_OK);
    assert_string_equal(info_text(&info, false, &mem),
        "xen:        4.17.0-fake\n"
        "network:    nat (guests on xenbr0, 10.99.0.0/24, gateway 10.99.0.1)\n"
        "uplink:     eth0 10.0.2.15/24\n"
        "ssh:        root@10.0.2.15 (host key SHA256:q8bNUz2pPOlUZuZ6ScwXxKmJk9zMHs7u4ez0XGF4s6E)\n"
        "password:   Ab3k-x9Qe-7mPz\n"
        "guests:     3 running\n"
        "memory:     room for 26 debian, 103 tiny (3412 MiB free)\n"
        "saves:      0, new ones to disk /dev/sdb1 (ext4) at /mnt/xenlive-data, 100000 MiB free\n"
        "paired:     none (xenlive pair HOST)\n");
    Test_memFree(&mem);
    assert_string_equal(info_text(&info, true, &mem),
        "{\n"
        "  \"xen\": \"4.17.0-fake\",\n"
        "  \"network\": \"nat\",\n"
        "  \"bridge\": \"xenbr0\",\n"
        "  \"guest_net\": \"10.99.0.0/24\",\n"
        "  \"gateway\": \"10.99.0.1\",\n"
        "  \"uplink\": \"eth0\",\n"
        "  \"address\": \"10.0.2.15\",\n"
        "  \"prefix\": 24,\n"
        "  \"ssh\": \"root@10.0.2.15\",\n"
        "  \"host_key\": \"SHA256:q8bNUz2pPOlUZuZ6ScwXxKmJk9zMHs7u4ez0XGF4s6E\",\n"
        "  \"password\": \"Ab3k-x9Qe-7mPz\",\n"
        "  \"password_hidden\": false,\n"
        "  \"guests\": 3,\n"
        "  \"room\": \"room for 26 debian, 103 tiny (3412 MiB free)\",\n"
        "  \"data_device\": \"/dev/sdb1\",\n"
        "  \"data_mount\": \"/mnt/xenlive-data\",\n"
        "  \"saves_to\": \"disk\",\n"
        "  \"saves\": 0,\n"
        "  \"peers\": []\n"
        "}\n");
    Test_memFree(&mem);

    /* Over SSH; bridged, DHCP still going, no fingerprint file. */
    write_run(env, env->paths.net, "MODE=bridged\nUPLINK=xenbr0\n");
    unlink(env->paths.ssh_fingerprint);
    assert_int_equal(Info_gather(&info, &env->fake.backend, &env->paths, false, err, sizeof err),
                     STATUS_OK);
    assert_string_equal(info_text(&info, false, &mem),
        "xen:        4.17.0-fake\n"
        "network:    bridged (guests on the LAN through xenbr0)\n"
        "uplink:     xenbr0 no address yet (DHCP)\n"
        "ssh:        - (no address yet)\n"
        "password:   (shown on the local console)\n"
        "guests:     3 running\n"
        "memory:     room for 26 debian, 103 tiny (3412 MiB free)\n"
        "saves:      0, new ones to disk /dev/sdb1 (ext4) at /mnt/xenlive-data, 100000 MiB free\n"
        "paired:     none (xenlive pair HOST)\n");
    Test_memFree(&mem);
    assert_string_equal(info_text(&info, true, &mem),
        "{\n"
        "  \"xen\": \"4.17.0-fake\",\n"
        "  \"network\": \"bridged\",\n"
        "  \"bridge\": \"xenbr0\",\n"
        "  \"guest_net\": null,\n"
        "  \"gateway\": null,\n"
        "  \"uplink\": \"xenbr0\",\n"
        "  \"address\": null,\n"
        "  \"prefix\": null,\n"
        "  \"ssh\": null,\n"
        "  \"host_key\": null,\n"
        "  \"password\": null,\n"
        "  \"password_hidden\": true,\n"
        "  \"guests\": 3,\n"
        "  \"room\": \"room for 26 debian, 103 tiny (3412 MiB free)\",\n"
        "  \"data_device\": \"/dev/sdb1\",\n"
        "  \"data_mount\": \"/mnt/xenlive-data\",\n"
        "  \"saves_to\": \"disk\",\n"
        "  \"saves\": 0,\n"
        "  \"peers\": []\n"
        "}\n");
    Test_memFree(&mem);

    /* Networking did not start; only dom0 runs, in a machine too small
     * for even one guest. */
    unlink(env->paths.net);
    BackendFake_done(&env->fake);
    BackendFake_init(&env->fake);
    env->fake.free_mib = 20;
    assert_int_equal(Info_gather(&info, &env->fake.backend, &env->paths, true, err, sizeof err),
                     STATUS_OK);
    assert_string_equal(info_text(&info, false, &mem),
        "xen:        4.17.0-fake\n"
        "network:    not started\n"
        "uplink:     -\n"
        "ssh:        - (network not started)\n"
        "password:   Ab3k-x9Qe-7mPz\n"
        "guests:     0 running\n"
        "memory:     too small for any guest: 20 MiB free, tiny needs 33\n"
        "saves:      0, new ones to disk /dev/sdb1 (ext4) at /mnt/xenlive-data, 100000 MiB free\n"
        "paired:     none (xenlive pair HOST)\n");
    Test_memFree(&mem);
}

#define ENV_TEST(f) cmocka_unit_test_setup_teardown(f, TestEnv_setup, TestEnv_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_password_only_on_a_local_console),
        cmocka_unit_test(test_net_file),
        ENV_TEST(test_load_asks_the_backend_for_the_address),
        cmocka_unit_test(test_header_line),
        ENV_TEST(test_info),
    };

    return cmocka_run_group_tests_name("access", tests, NULL, NULL);
}
