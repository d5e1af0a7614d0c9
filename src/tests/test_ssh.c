/* test_ssh.c: dom0 to guest SSH: public key lines, host keys from the
 * guests' console logs into known_hosts (replaced, other lines kept,
 * written whole), xenlive ssh's checks and dbclient's arguments. */
#include "guestssh.h"
#include "knownhosts.h"
#include "sshkey.h"
#include "testutil.h"
#include "util.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#define KEY_A "AAAAC3NzaC1lZDI1NTE5AAAAIGZha2Uga2V5IGZvciB4ZW5saXZlIHVuaXQgdGVzdHMh"
#define KEY_B "AAAAC3NzaC1lZDI1NTE5AAAAIGFub3RoZXIga2V5LCBmb3IgYSBzZWNvbmQgZ3Vlc3Qu"
#define RSA "AAAAB3NzaC1yc2F4eHh4eHh4eHh4eA=="
#define ECDSA "AAAAE2VjZHNhLXNoYTItbmlzdHAyNTZ5eXl5eXl5eXk="

static const char *parse_error(const char *line)
{
    static char err[256];
    SshKey key;

    err[0] = '\0';
    assert_int_equal(SshKey_parse(line, &key, err, sizeof err), -1);
    return err;
}

static void test_key_lines(void **state)
{
    SshKey key;
    char err[256];
    char cmdline[SSHKEY_TYPE_MAX + SSHKEY_BASE64_MAX + 1];

    (void)state;
    assert_int_equal(SshKey_parse("ssh-ed25519 " KEY_A " root@xenlive\n", &key, err, sizeof err),
                     0);
    assert_string_equal(key.type, "ssh-ed25519");
    assert_string_equal(key.base64, KEY_A);
    SshKey_cmdline(&key, cmdline, sizeof cmdline);
    assert_string_equal(cmdline, "ssh-ed25519:" KEY_A);
    /* Padding, other types, blanks around, CRLF, no comment. */
    assert_int_equal(SshKey_parse("  ssh-rsa\t" RSA "\r\n", &key, err, sizeof err), 0);
    assert_string_equal(key.base64, RSA);
    assert_int_equal(SshKey_parse("ecdsa-sha2-nistp256 " ECDSA, &key, err, sizeof err), 0);
    assert_string_equal(key.type, "ecdsa-sha2-nistp256");
    assert_int_equal(SshKey_parse("ecdsa-sha2-nistp384 " KEY_A, &key, err, sizeof err), 0);
    assert_int_equal(SshKey_parse("ecdsa-sha2-nistp521 " KEY_A, &key, err, sizeof err), 0);

    assert_string_equal(parse_error("ssh-dss " KEY_A), "not an SSH public key: the type is "
                        "'ssh-dss', not ssh-ed25519, ssh-rsa or ecdsa-sha2-nistp256/384/521");
    assert_string_equal(parse_error("ssh-ed25519x " KEY_A), "not an SSH public key: the type is "
                        "'ssh-ed25519x', not ssh-ed25519, ssh-rsa or ecdsa-sha2-nistp256/384/521");
    assert_string_equal(parse_error(""), "not an SSH public key: the type is '', not "
                        "ssh-ed25519, ssh-rsa or ecdsa-sha2-nistp256/384/521");
    assert_string_equal(parse_error("ssh-ed25519"),
                        "not an SSH public key: the ssh-ed25519 key is not base64 text");
    /* Not the base64 alphabet, padding in the middle or too much of it,
     * a length that is not a multiple of 4. */
    parse_error("ssh-ed25519 AAAA:AAA");
    parse_error("ssh-ed25519 AAAA\"AAA");
    parse_error("ssh-ed25519 AA=AAAAA");
    parse_error("ssh-ed25519 A===");
    parse_error("ssh-ed25519 AAAAA");
    parse_error("ssh-ed25519 ====");
}

static void test_key_file(void **state)
{
    TestEnv *env = *state;
    char path[PATH_MAX + 16];
    char big[SSHKEY_BASE64_MAX + 64];
    SshKey key;
    char err[PATH_MAX + 256];

    snprintf(path, sizeof path, "%s/key.pub", env->root);
    assert_int_equal(SshKey_load(path, &key, err, sizeof err), 0); /* no file */
    Test_writeFile(path, "ssh-ed25519 " KEY_A " root@xenlive\nsecond line\n");
    assert_int_equal(SshKey_load(path, &key, err, sizeof err), 1);
    assert_string_equal(key.base64, KEY_A);
    Test_writeFile(path, "");
    assert_int_equal(SshKey_load(path, &key, err, sizeof err), -1);
    assert_non_null(strstr(err, "key.pub: empty, not an SSH public key"));
    /* Longer than any key: refused, not cut to a shorter "valid" one. */
    memset(big, 'A', sizeof big);
    memcpy(big, "ssh-rsa ", 8);
    big[sizeof big - 1] = '\0';
    Test_writeFile(path, big);
    assert_int_equal(SshKey_load(path, &key, err, sizeof err), -1);
    assert_non_null(strstr(err, "the ssh-rsa key is not base64 text"));
}

static void log_path(TestEnv *env, const char *name, char *buf, size_t len)
{
    assert_int_equal(Paths_consoleLog(&env->paths, name, buf, len), 0);
}

static void test_host_key_from_console_log(void **state)
{
    TestEnv *env = *state;
    char log[PATH_MAX];
    char err[PATH_MAX + 256] = "";
    SshKey key;

    log_path(env, "debian-1", log, sizeof log);
    assert_string_equal(strrchr(log, '/'), "/guest-debian-1.log");
    /* No log at all, a log without the line. */
    assert_int_equal(KnownHosts_fromLog(log, &key, err, sizeof err), 0);
    Test_writeFile(log, "[    0.000000] Linux version 6.1.0\r\nWelcome to Debian\r\n");
    assert_int_equal(KnownHosts_fromLog(log, &key, err, sizeof err), 0);
    /* The name was used before: the last line counts (CRLF, as consoles
     * write; a prefix before the mark is allowed). */
    Test_writeFile(log, "xenlive-guest hostkey: ssh-ed25519 " KEY_A "\r\n"
                        "xenlive-guest up: debian-1 (Debian 12), ssh SHA256:x\r\n"
                        "reboot: Power down\r\n"
                        "[  OK  ] Started ssh.service\r\n"
                        "\033[0mxenlive-guest hostkey: ssh-ed25519 " KEY_B "\r\n"
                        "xenlive-guest up: debian-1 (Debian 12), ssh SHA256:y\r\n");
    assert_int_equal(KnownHosts_fromLog(log, &key, err, sizeof err), 1);
    assert_string_equal(key.type, "ssh-ed25519");
    assert_string_equal(key.base64, KEY_B);
    /* A bad last line is an error, not a fall back to an older key. */
    Test_writeFile(log, "xenlive-guest hostkey: ssh-ed25519 " KEY_A "\n"
                        "xenlive-guest hostkey: ssh-ed25519 AAAA;rm -rf /\n");
    assert_int_equal(KnownHosts_fromLog(log, &key, err, sizeof err), -1);
    assert_non_null(strstr(err, "the last 'xenlive-guest hostkey:' line of "));
    assert_non_null(strstr(err, "guest-debian-1.log is not an SSH public key: the ssh-ed25519 "
                                "key is not base64 text"));
}

static void test_valid_names(void **state)
{
    (void)state;
    assert_true(KnownHosts_validName("debian-1"));
    assert_true(KnownHosts_validName("my_guest.lan"));
    assert_false(KnownHosts_validName(""));
    assert_false(KnownHosts_validName("-oProxyCommand=x"));
    assert_false(KnownHosts_validName("a b"));
    assert_false(KnownHosts_validName("a,b"));
    assert_false(KnownHosts_validName("a/b"));
    assert_false(KnownHosts_validName("a\nb"));
    assert_false(KnownHosts_validName("[a]:22"));
}

static void test_known_hosts_rewrite(void **state)
{
    TestEnv *env = *state;
    SshKey a = {"ssh-ed25519", KEY_A};
    SshKey b = {"ssh-ed25519", KEY_B};
    KnownHost hosts[] = {{"debian-1", &b}, {"tiny-1", &a}};
    char err[PATH_MAX + 256] = "";
    struct stat st;
    char *text;

    /* No folder yet: made 0700, and the file holds just the lines. */
    assert_int_equal(KnownHosts_update(env->paths.ssh, env->paths.known_hosts, hosts, 1, err,
                                       sizeof err),
                     0);
    assert_int_equal(stat(env->paths.ssh, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    text = Test_readFile(env->paths.known_hosts);
    assert_string_equal(text, "debian-1 ssh-ed25519 " KEY_B "\n");
    free(text);

    /* Someone else's lines stay as they are, in their place; debian-1's
     * old lines (two types, one for a longer name that starts the same)
     * become one new line where the first was; tiny-1's is added. */
    Test_writeFile(env->paths.known_hosts,
                   "# root's own hosts\n"
                   "github.com ssh-ed25519 " KEY_A "\n"
                   "debian-1 ssh-ed25519 " KEY_A "\n"
                   "debian-10 ssh-ed25519 " KEY_A "\n"
                   "|1|hashed= ssh-rsa " RSA "\n"
                   "debian-1 ecdsa-sha2-nistp256 " ECDSA "\n"
                   "last-line-without-newline ssh-rsa " RSA);
    assert_int_equal(chmod(env->paths.known_hosts, 0644), 0);
    assert_int_equal(KnownHosts_update(env->paths.ssh, env->paths.known_hosts, hosts, 2, err,
                                       sizeof err),
                     0);
    text = Test_readFile(env->paths.known_hosts);
    assert_string_equal(text,
                        "# root's own hosts\n"
                        "github.com ssh-ed25519 " KEY_A "\n"
                        "debian-1 ssh-ed25519 " KEY_B "\n"
                        "debian-10 ssh-ed25519 " KEY_A "\n"
                        "|1|hashed= ssh-rsa " RSA "\n"
                        "last-line-without-newline ssh-rsa " RSA "\n"
                        "tiny-1 ssh-ed25519 " KEY_A "\n");
    free(text);
    /* Its mode is kept; no temporary file is left behind. */
    assert_int_equal(stat(env->paths.known_hosts, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644);
    assert_int_equal(Test_countFiles(env->paths.ssh), 1);
    /* Once more with the same keys: the same text. */
    assert_int_equal(KnownHosts_update(env->paths.ssh, env->paths.known_hosts, hosts, 2, err,
                                       sizeof err),
                     0);
    text = Test_readFile(env->paths.known_hosts);
    assert_non_null(strstr(text, "debian-1 ssh-ed25519 " KEY_B "\ndebian-10 "));
    assert_null(strstr(strstr(text, "tiny-1 ") + 1, "tiny-1 "));
    free(text);

    /* A folder that cannot be made: an error, and nothing written. */
    assert_int_equal(KnownHosts_update("/proc/no/such/dir", "/proc/no/such/dir/known_hosts",
                                       hosts, 1, err, sizeof err),
                     -1);
    assert_string_equal(err, "cannot create /proc/no/such/dir: No such file or directory");
}

static void write_log(TestEnv *env, const char *name, const char *text)
{
    char log[PATH_MAX];

    log_path(env, name, log, sizeof log);
    Test_writeFile(log, text);
}

static void test_refresh_one_guest(void **state)
{
    TestEnv *env = *state;
    char err[PATH_MAX + 256] = "";
    char *text;

    BackendFake_addDomain(&env->fake, "debian-1", 256);
    BackendFake_addDomain(&env->fake, "tiny-1", 64);
    assert_int_equal(GuestSsh_refresh(&env->fake.backend, &env->paths, "debian-9", err,
                                      sizeof err),
                     STATUS_ERROR);
    assert_string_equal(err, "no domain named debian-9");
    assert_int_equal(GuestSsh_refresh(&env->fake.backend, &env->paths, "Domain-0", err,
                                      sizeof err),
                     STATUS_ERROR);
    assert_string_equal(err, "Domain-0 is dom0, which runs xenlive: you are on it already");
    /* Booting: no log yet, then a log without the line. */
    assert_int_equal(GuestSsh_refresh(&env->fake.backend, &env->paths, "debian-1", err,
                                      sizeof err),
                     STATUS_ERROR);
    assert_string_equal(err, "debian-1 has not printed its SSH host key yet (is it still "
                             "booting?)");
    write_log(env, "debian-1", "Loading Linux...\r\n");
    assert_int_equal(GuestSsh_refresh(&env->fake.backend, &env->paths, "debian-1", err,
                                      sizeof err),
                     STATUS_ERROR);
    assert_string_equal(err, "debian-1 has not printed its SSH host key yet (is it still "
                             "booting?)");
    assert_false(Test_exists(env->paths.known_hosts));
    write_log(env, "debian-1", "Loading Linux...\r\nxenlive-guest hostkey: ssh-ed25519 " KEY_A
                               "\r\n");
    assert_int_equal(GuestSsh_refresh(&env->fake.backend, &env->paths, "debian-1", err,
                                      sizeof err),
                     STATUS_OK);
    text = Test_readFile(env->paths.known_hosts);
    assert_string_equal(text, "debian-1 ssh-ed25519 " KEY_A "\n");
    free(text);
}

typedef struct Seen {
    char lines[1024];
} Seen;

static void on_guest(const char *name, int found, const SshKey *key, const char *why,
                     void *data)
{
    Seen *seen = data;
    size_t used = strlen(seen->lines);

    snprintf(seen->lines + used, sizeof seen->lines - used, "%s %d %s\n", name, found,
             found > 0 ? key->type : found == 0 ? "-" : strstr(why, "not an SSH") ? "bad" : why);
}

static void test_refresh_all_guests(void **state)
{
    TestEnv *env = *state;
    Seen seen = {""};
    char err[PATH_MAX + 256] = "";
    char *text;

    /* No guests: nothing to do, and no file is made. */
    assert_int_equal(GuestSsh_refreshAll(&env->fake.backend, &env->paths, on_guest, &seen, err,
                                         sizeof err),
                     STATUS_OK);
    assert_string_equal(seen.lines, "");
    assert_false(Test_exists(env->paths.known_hosts));

    BackendFake_addDomain(&env->fake, "debian-1", 256);
    BackendFake_addDomain(&env->fake, "debian-2", 256);
    BackendFake_addDomain(&env->fake, "tiny-1", 64);
    BackendFake_addDomain(&env->fake, "bad name", 64);
    write_log(env, "debian-1", "xenlive-guest hostkey: ssh-ed25519 " KEY_A "\n");
    write_log(env, "tiny-1", "xenlive-guest hostkey: ssh-ed25519 " KEY_B "\n");
    write_log(env, "Domain-0", "xenlive-guest hostkey: ssh-ed25519 " KEY_B "\n");
    assert_int_equal(GuestSsh_refreshAll(&env->fake.backend, &env->paths, on_guest, &seen, err,
                                         sizeof err),
                     STATUS_OK);
    /* Domain-0 and a name that cannot be a host name are left out. */
    assert_string_equal(seen.lines, "debian-1 1 ssh-ed25519\ndebian-2 0 -\ntiny-1 1 ssh-ed25519\n");
    text = Test_readFile(env->paths.known_hosts);
    assert_string_equal(text, "debian-1 ssh-ed25519 " KEY_A "\ntiny-1 ssh-ed25519 " KEY_B "\n");
    free(text);

    /* tiny-1 printed garbage last: the others are still written. */
    seen.lines[0] = '\0';
    write_log(env, "debian-2", "xenlive-guest hostkey: ssh-rsa " RSA "\n");
    write_log(env, "tiny-1", "xenlive-guest hostkey: ssh-ed25519 ???\n");
    assert_int_equal(GuestSsh_refreshAll(&env->fake.backend, &env->paths, on_guest, &seen, err,
                                         sizeof err),
                     STATUS_ERROR);
    assert_string_equal(err, "1 guest printed a bad host key line");
    assert_string_equal(seen.lines, "debian-1 1 ssh-ed25519\ndebian-2 1 ssh-rsa\ntiny-1 -1 bad\n");
    text = Test_readFile(env->paths.known_hosts);
    assert_string_equal(text, "debian-1 ssh-ed25519 " KEY_A "\ntiny-1 ssh-ed25519 " KEY_B "\n"
                              "debian-2 ssh-rsa " RSA "\n");
    free(text);
}

static void test_dbclient_arguments(void **state)
{
    TestEnv *env = *state;
    char *words[] = {"uname", "-a"};
    char *dash[] = {"-t", "top"};
    char *argv[8];
    char host[256];
    char err[256] = "";
    char dir_err[256];

    /* No id_dropbear: dbclient's own default, no -i. */
    assert_int_equal(GuestSsh_argv(&env->paths, "debian-1", NULL, 0, host, sizeof host, argv, err,
                                   sizeof err),
                     STATUS_OK);
    assert_string_equal(argv[0], "dbclient");
    assert_string_equal(argv[1], "root@debian-1");
    assert_null(argv[2]);
    assert_int_equal(Util_mkdirs(env->paths.ssh, dir_err, sizeof dir_err), 0);
    Test_writeFile(env->paths.identity, "dropbear key");
    assert_int_equal(GuestSsh_argv(&env->paths, "debian-1", words, 2, host, sizeof host, argv,
                                   err, sizeof err),
                     STATUS_OK);
    assert_string_equal(argv[0], "dbclient");
    assert_string_equal(argv[1], "-i");
    assert_string_equal(argv[2], env->paths.identity);
    assert_string_equal(argv[3], "root@debian-1");
    assert_string_equal(argv[4], "uname");
    assert_string_equal(argv[5], "-a");
    assert_null(argv[6]);
    /* dbclient reads options up to the first word after the host. */
    assert_int_equal(GuestSsh_argv(&env->paths, "debian-1", dash, 2, host, sizeof host, argv,
                                   err, sizeof err),
                     STATUS_USAGE);
    assert_string_equal(err, "ssh: COMMAND cannot start with '-' (dbclient would take '-t' as "
                             "its own option)");
}

/* Bridged mode: dom0's hosts file names each guest whose agent reports a
 * valid IPv4 address; NAT mode leaves it alone (dnsmasq resolves). */
static void test_hosts_bridged(void **state)
{
    TestEnv *env = *state;
    struct stat before, after;
    uint32_t ids[4];
    GuestKeys keys[4];
    char err[PATH_MAX + 256] = "";
    char *text;

    BackendFake_addDomain(&env->fake, "tiny-1", 32);
    BackendFake_addDomain(&env->fake, "tiny-2", 32);
    BackendFake_addDomain(&env->fake, "debian-1", 128);
    BackendFake_addDomain(&env->fake, "tiny-3", 32);
    ids[0] = DomainList_find(&env->fake.domains, "tiny-1")->id;
    ids[1] = DomainList_find(&env->fake.domains, "tiny-2")->id;
    ids[2] = DomainList_find(&env->fake.domains, "debian-1")->id;
    ids[3] = DomainList_find(&env->fake.domains, "tiny-3")->id;
    memset(keys, 0, sizeof keys);
    BackendFake_setKey(&keys[0], GK_IPV4, "192.168.77.120");
    BackendFake_setKey(&keys[1], GK_IPV4, "10.0.0.1 evil-host"); /* the guest's word */
    BackendFake_setKey(&keys[2], GK_IPV4, "192.168.77.121");
    BackendFake_setKey(&keys[3], GK_IPV4, "1.2.3");
    env->fake.guest_key_ids = ids;
    env->fake.guest_keys = keys;
    env->fake.guest_key_count = 4;

    /* NAT (the default): nothing written. */
    assert_int_equal(Util_mkdirs(env->paths.run, err, sizeof err), 0);
    Test_writeFile(env->paths.net, "MODE=nat\n");
    assert_int_equal(GuestSsh_hosts(&env->fake.backend, &env->paths, &env->fake.domains, err, sizeof err), STATUS_OK);
    assert_false(Test_exists(env->paths.hosts));

    /* Bridged, without 40-network's base (a base without its newline
     * gets one), then with it. */
    Test_writeFile(env->paths.net, "MODE=bridged\nUPLINK=xenbr0\n");
    assert_int_equal(GuestSsh_hosts(&env->fake.backend, &env->paths, &env->fake.domains, err, sizeof err), STATUS_OK);
    text = Test_readFile(env->paths.hosts);
    assert_string_equal(text, "192.168.77.120\ttiny-1\n192.168.77.121\tdebian-1\n");
    free(text);
    Test_writeFile(env->paths.hosts_base, "127.0.0.1\tlocalhost");
    assert_int_equal(GuestSsh_hosts(&env->fake.backend, &env->paths, &env->fake.domains, err, sizeof err), STATUS_OK);
    text = Test_readFile(env->paths.hosts);
    assert_string_equal(text, "127.0.0.1\tlocalhost\n"
                              "192.168.77.120\ttiny-1\n192.168.77.121\tdebian-1\n");
    free(text);

    /* Nothing changed: the file is left as it is, not written again (a
     * write renames a new file in, with a new inode). */
    assert_int_equal(stat(env->paths.hosts, &before), 0);
    assert_int_equal(GuestSsh_hosts(&env->fake.backend, &env->paths, &env->fake.domains, err, sizeof err), STATUS_OK);
    assert_int_equal(stat(env->paths.hosts, &after), 0);
    assert_int_equal(after.st_ino, before.st_ino);
    /* A file that holds more than the text is written again. */
    text = Test_readFile(env->paths.hosts);
    Test_writeFile(env->paths.hosts, "127.0.0.1\tlocalhost\n"
                                     "192.168.77.120\ttiny-1\n192.168.77.121\tdebian-1\nx");
    assert_int_equal(GuestSsh_hosts(&env->fake.backend, &env->paths, &env->fake.domains, err, sizeof err), STATUS_OK);
    {
        char *again = Test_readFile(env->paths.hosts);
        assert_string_equal(again, text);
        free(again);
    }
    free(text);

    /* A guest that goes leaves the file with the next refresh. */
    assert_true(BackendFake_removeDomain(&env->fake, "tiny-1"));
    assert_int_equal(GuestSsh_refreshAll(&env->fake.backend, &env->paths, on_guest,
                                         &(Seen){""}, err, sizeof err),
                     STATUS_OK);
    text = Test_readFile(env->paths.hosts);
    assert_string_equal(text, "127.0.0.1\tlocalhost\n192.168.77.121\tdebian-1\n");
    free(text);

    /* xenstore unreachable: an error, the file as it was. */
    env->fake.guest_keys_error = "cannot connect to xenstored";
    assert_int_equal(GuestSsh_hosts(&env->fake.backend, &env->paths, &env->fake.domains, err, sizeof err),
                     STATUS_ERROR);
    assert_string_equal(err, "cannot connect to xenstored");
    text = Test_readFile(env->paths.hosts);
    assert_non_null(strstr(text, "debian-1"));
    free(text);
}

#define ENV_TEST(f) cmocka_unit_test_setup_teardown(f, TestEnv_setup, TestEnv_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_lines),
        ENV_TEST(test_key_file),
        ENV_TEST(test_host_key_from_console_log),
        cmocka_unit_test(test_valid_names),
        ENV_TEST(test_known_hosts_rewrite),
        ENV_TEST(test_refresh_one_guest),
        ENV_TEST(test_refresh_all_guests),
        ENV_TEST(test_dbclient_arguments),
        ENV_TEST(test_hosts_bridged),
    };

    return cmocka_run_group_tests_name("ssh", tests, NULL, NULL);
}
