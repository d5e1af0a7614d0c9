/* test_migrate.c: the mode of a move, pairing, and moving a guest, with
 * the other machine played by a second fake backend and folder whose
 * "xenlive peer ..." answers come from the same module functions that
 * answer on a real one (cmd_peer.c's). */
#include "guests.h"
#include "migrate.h"
#include "natlease.h"
#include "peers.h"
#include "testutil.h"
#include "util.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#define SHA_A "aaaa1111aaaa1111aaaa1111aaaa1111aaaa1111aaaa1111aaaa1111aaaa1111"
#define SHA_B "bbbb2222bbbb2222bbbb2222bbbb2222bbbb2222bbbb2222bbbb2222bbbb2222"
#define KEY_HERE "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGhlcmVoZXJlaGVyZWhlcmVoZXJlaGVyZWhlcmVoZXJl"
#define HOSTKEY_HERE "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGhzdGhoc3RoaHN0aGhzdGhoc3RoaHN0aGhzdGhoc3Ro"
#define KEY_THERE "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHRocmV0aHJldGhyZXRocmV0aHJldGhyZXRocmV0aHJl"
#define HOSTKEY_THERE "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGhzdHRoc3R0aHN0dGhzdHRoc3R0aHN0dGhzdHRoc3R0"

typedef struct Machines {
    TestEnv *here;
    TestEnv *there;      /* "pc2" */
    const char *password; /* pc2's root password */
} Machines;

static void keys(TestEnv *env, const char *dom0, const char *host)
{
    char err[256];
    char line[256];

    assert_int_equal(Util_mkdirs(env->paths.run, err, sizeof err), 0);
    snprintf(line, sizeof line, "%s\n", dom0);
    Test_writeFile(env->paths.dom0_key, line);
    snprintf(line, sizeof line, "%s\n", host);
    Test_writeFile(env->paths.host_key, line);
}

static void image(TestEnv *env, const char *sha)
{
    char conf[256];

    snprintf(conf, sizeof conf, "NAME=tiny\nMEMORY_MIB=96\nSHA256=%s\n", sha);
    TestEnv_addImage(env, "tiny", conf, true);
}

/* pc2, answering as its xenlive would (cmd_peer.c). */
static int pc2(BackendFake *f, const char *host, const char *password, bool accept_new,
               const char *command, const char *input, char *out, size_t outlen)
{
    Machines *m = f->remote_data;
    TestEnv *o = m->there;
    char w[7][128] = {{0}};
    char err[512] = "";
    Status st = STATUS_ERROR;

    (void)accept_new;
    if (strcmp(host, "pc2") != 0) {
        snprintf(out, outlen, "dbclient: Connection to root@%s:22 exited: Connect failed: "
                              "Connection refused\n", host);
        return 255;
    }
    /* A password is only needed without a key: the keys are there once
     * paired. */
    if (!Peers_has(&o->paths, "pc1") && (!password || strcmp(password, m->password) != 0)) {
        /* What dropbear does on a wrong DROPBEAR_PASSWORD (measured). */
        snprintf(out, outlen, "dbclient: Connection to root@pc2:22 exited: Remote closed the "
                              "connection\n");
        return 1;
    }
    sscanf(command, "%127s %127s %127s %127s %127s %127s %127s", w[0], w[1], w[2], w[3], w[4],
           w[5], w[6]);
    assert_string_equal(w[0], "xenlive");
    assert_string_equal(w[1], "peer");
    out[0] = '\0';
    if (strcmp(w[2], "info") == 0) {
        st = Migrate_info(&o->fake.backend, &o->paths, w[3], w[4], out, outlen, err, sizeof err);
    } else if (strcmp(w[2], "take") == 0) {
        st = Migrate_take(&o->fake.backend, &o->paths, w[3], input, err, sizeof err);
    } else if (strcmp(w[2], "done") == 0) {
        st = Migrate_done(&o->paths, w[3], err, sizeof err);
    } else if (strcmp(w[2], "drop") == 0) {
        st = Migrate_drop(&o->fake.backend, &o->paths, w[3], err, sizeof err);
    } else if (strcmp(w[2], "reserve") == 0) {
        st = Migrate_reserve(&o->paths, w[3], w[4], w[5], err, sizeof err);
    } else if (strcmp(w[2], "hostkey") == 0) {
        st = Migrate_hostKey(&o->paths, w[3], w[4], w[5], err, sizeof err);
    } else if (strcmp(w[2], "accept") == 0) {
        SshKey dom0;
        SshKey hostkey;
        char line[300];

        snprintf(line, sizeof line, "%s %s", w[3], w[4]);
        assert_int_equal(SshKey_parse(line, &dom0, err, sizeof err), 0);
        snprintf(line, sizeof line, "%s %s", w[5], w[6]);
        assert_int_equal(SshKey_parse(line, &hostkey, err, sizeof err), 0);
        st = Peers_accept(&o->paths, "pc1", &dom0, &hostkey, out, outlen, err, sizeof err);
    }
    if (st != STATUS_OK)
        snprintf(out, outlen, "xenlive: %s\n", err);
    return st;
}

/* The guest arrives on pc2 (xl restore / migrate-receive there). */
static void arrive(BackendFake *f, const char *name, const char *remote_cfg)
{
    Machines *m = f->remote_data;
    const char *base = strrchr(remote_cfg, '/') + 1;
    char new_name[64];

    (void)name;
    snprintf(new_name, sizeof new_name, "%.*s", (int)(strlen(base) - 4), base);
    BackendFake_addDomain(&m->there->fake, new_name, 96);
}

static int setup(void **state)
{
    Machines *m = calloc(1, sizeof *m);
    void *s;
    char err[256];

    TestEnv_setup(&s);
    m->here = s;
    TestEnv_setup(&s);
    m->there = s;
    m->password = "pc2-pass-word";
    keys(m->here, KEY_HERE, HOSTKEY_HERE);
    keys(m->there, KEY_THERE, HOSTKEY_THERE);
    image(m->here, SHA_A);
    image(m->there, SHA_A);
    m->here->fake.remote_handler = pc2;
    m->here->fake.remote_data = m;
    m->here->fake.send_hook = arrive;
    m->here->fake.save_failure_pauses = true;
    BackendFake_addDomain(&m->here->fake, "tiny-1", 96);
    assert_int_equal(Util_mkdirs(m->here->paths.domains, err, sizeof err), 0);
    Test_writeFile(TestEnv_cfg(m->here, "tiny-1"),
                   "name = \"tiny-1\"\ntype = \"pv\"\nmemory = 96\nvif = [\"mac=00:16:3e:01:02:03\"]\n");
    BackendFake_addDomain(&m->there->fake, "tiny-1", 96); /* pc2 runs its own tiny-1 */
    *state = m;
    return 0;
}

static int teardown(void **state)
{
    Machines *m = *state;
    void *s = m->here;

    TestEnv_teardown(&s);
    s = m->there;
    TestEnv_teardown(&s);
    free(m);
    return 0;
}

static void pair(Machines *m)
{
    char key[128];
    char err[512] = "";

    assert_int_equal(Peers_pair(&m->here->fake.backend, &m->here->paths, "pc2", m->password, key,
                                sizeof key, err, sizeof err),
                     STATUS_OK);
}

static void test_mode(void **state)
{
    (void)state;
    assert_int_equal(Migrate_mode("pvh", true, true), MIGRATE_LIVE);
    assert_int_equal(Migrate_mode("pvh", false, true), MIGRATE_SUSPEND);
    assert_int_equal(Migrate_mode("pvh", true, false), MIGRATE_SUSPEND);
    assert_int_equal(Migrate_mode("pv", true, true), MIGRATE_SUSPEND);
    assert_int_equal(Migrate_mode(NULL, true, true), MIGRATE_SUSPEND);
    assert_string_equal(Migrate_modeName(MIGRATE_LIVE), "live");
    assert_string_equal(Migrate_modeName(MIGRATE_SUSPEND), "suspend and move");
}

static void test_pair_both_ways(void **state)
{
    Machines *m = *state;
    char key[128];
    char err[512] = "";
    char *text;

    /* Unreachable, then a wrong password: one line each, nothing kept. */
    assert_int_equal(Peers_pair(&m->here->fake.backend, &m->here->paths, "pc9", "x", key,
                                sizeof key, err, sizeof err),
                     STATUS_ERROR);
    assert_string_equal(err, "cannot reach pc9: dbclient: Connection to root@pc9:22 exited: "
                             "Connect failed: Connection refused");
    assert_int_equal(Peers_pair(&m->here->fake.backend, &m->here->paths, "pc2", "wrong", key,
                                sizeof key, err, sizeof err),
                     STATUS_ERROR);
    assert_string_equal(err, "pc2 refused the login (wrong root password? it is shown on "
                             "pc2's console)");
    assert_false(Test_exists(m->here->paths.peers));
    assert_false(Test_exists(m->there->paths.peers));
    assert_int_equal(Peers_pair(&m->here->fake.backend, &m->here->paths, "bad host", "x", key,
                                sizeof key, err, sizeof err),
                     STATUS_USAGE);
    /* The password: both sides trust each other. */
    assert_int_equal(Peers_pair(&m->here->fake.backend, &m->here->paths, "pc2", m->password,
                                key, sizeof key, err, sizeof err),
                     STATUS_OK);
    assert_non_null(strstr(m->here->fake.ops, "remote pc2 xenlive peer accept " KEY_HERE " "
                                              HOSTKEY_HERE "\n"));
    assert_true(Peers_has(&m->here->paths, "pc2"));
    assert_true(Peers_has(&m->there->paths, "pc1"));
    text = Test_readFile(m->here->paths.authorized_keys);
    assert_string_equal(text, KEY_THERE " xenlive-peer\n");
    free(text);
    text = Test_readFile(m->there->paths.authorized_keys);
    assert_string_equal(text, KEY_HERE " xenlive-peer\n");
    free(text);
    text = Test_readFile(m->here->paths.known_hosts);
    assert_string_equal(text, "pc2 " HOSTKEY_THERE "\n");
    free(text);
    text = Test_readFile(m->there->paths.known_hosts);
    assert_string_equal(text, "pc1 " HOSTKEY_HERE "\n");
    free(text);
    /* Again: nothing doubles. */
    pair(m);
    text = Test_readFile(m->there->paths.authorized_keys);
    assert_string_equal(text, KEY_HERE " xenlive-peer\n");
    free(text);
    text = Test_readFile(m->here->paths.peers);
    assert_string_equal(text, "pc2\n");
    free(text);
}

static void test_refusals_change_nothing(void **state)
{
    Machines *m = *state;
    MigratePlan plan;
    char err[512] = "";
    char conf[PATH_MAX + 32];

    assert_int_equal(Migrate_plan(&m->here->fake.backend, &m->here->paths, "tiny-1", "pc2",
                                  &plan, err, sizeof err),
                     STATUS_ERROR);
    assert_string_equal(err, "pc2 is not paired: xenlive pair pc2 first");
    pair(m);
    m->here->fake.ops[0] = '\0';
    assert_int_equal(Migrate_plan(&m->here->fake.backend, &m->here->paths, "tiny-9", "pc2",
                                  &plan, err, sizeof err),
                     STATUS_ERROR);
    assert_string_equal(err, "no domain named tiny-9");
    assert_int_equal(Migrate_plan(&m->here->fake.backend, &m->here->paths, "Domain-0", "pc2",
                                  &plan, err, sizeof err),
                     STATUS_ERROR);
    assert_string_equal(err, "Domain-0 is dom0, which cannot be moved");
    /* Another image on pc2. */
    snprintf(conf, sizeof conf, "%s/tiny/image.conf", m->there->paths.images);
    Test_writeFile(conf, "NAME=tiny\nMEMORY_MIB=96\nSHA256=" SHA_B "\n");
    assert_int_equal(Migrate_plan(&m->here->fake.backend, &m->here->paths, "tiny-1", "pc2",
                                  &plan, err, sizeof err),
                     STATUS_ERROR);
    assert_string_equal(err, "pc2's image tiny differs from this one (SHA256 bbbb2222bbbb... "
                             "there, aaaa1111aaaa... here): boot both from the same ISO");
    unlink(conf);
    assert_int_equal(Migrate_plan(&m->here->fake.backend, &m->here->paths, "tiny-1", "pc2",
                                  &plan, err, sizeof err),
                     STATUS_ERROR);
    assert_string_equal(err, "pc2 has no image tiny");
    Test_writeFile(conf, "NAME=tiny\nMEMORY_MIB=96\nSHA256=" SHA_A "\n");
    /* Too little memory there: exit status 3. */
    m->there->fake.free_mib = 96;
    assert_int_equal(Migrate_plan(&m->here->fake.backend, &m->here->paths, "tiny-1", "pc2",
                                  &plan, err, sizeof err),
                     STATUS_NO_MEMORY);
    assert_string_equal(err, "not enough memory on pc2 for tiny-1: needs 97 MiB, 96 MiB free");
    /* Unreachable after pairing. */
    assert_int_equal(Peers_add(&m->here->paths, "pc3", err, sizeof err), STATUS_OK);
    assert_int_equal(Migrate_plan(&m->here->fake.backend, &m->here->paths, "tiny-1", "pc3",
                                  &plan, err, sizeof err),
                     STATUS_ERROR);
    assert_non_null(strstr(err, "cannot reach pc3: "));
    /* Only questions were asked: nothing taken, sent or changed. */
    assert_null(strstr(m->here->fake.ops, "take"));
    assert_null(strstr(m->here->fake.ops, "send"));
    assert_int_equal(m->here->fake.domains.count, 2);
    assert_true(Test_exists(TestEnv_cfg(m->here, "tiny-1")));
    assert_false(Test_exists(TestEnv_cfg(m->there, "tiny-1")));
    assert_false(Test_exists(TestEnv_cfg(m->there, "tiny-2")));
}

static void test_move_suspend_renames(void **state)
{
    Machines *m = *state;
    MigratePlan plan;
    MigrateResult res;
    char err[512] = "";
    char *text;

    pair(m);
    assert_int_equal(Migrate_plan(&m->here->fake.backend, &m->here->paths, "tiny-1", "pc2",
                                  &plan, err, sizeof err),
                     STATUS_OK);
    /* pc2 runs a tiny-1: the guest becomes pc2's next free tiny. */
    assert_string_equal(plan.new_name, "tiny-2");
    assert_int_equal(plan.mode, MIGRATE_SUSPEND);
    assert_string_equal(plan.type, "pv");
    assert_int_equal(plan.memory_mib, 96);
    m->here->fake.clock_s = 100;
    assert_int_equal(Migrate_run(&m->here->fake.backend, &m->here->paths, &plan, &res, err,
                                 sizeof err),
                     STATUS_OK);
    assert_true(res.pause_s > 1.4 && res.pause_s < 1.6);
    /* pc2 has it, with its config renamed and nothing else changed. */
    assert_non_null(DomainList_find(&m->there->fake.domains, "tiny-2"));
    text = Test_readFile(TestEnv_cfg(m->there, "tiny-2"));
    assert_string_equal(text, "name = \"tiny-2\"\ntype = \"pv\"\nmemory = 96\n"
                              "vif = [\"mac=00:16:3e:01:02:03\"]\n");
    free(text);
    assert_false(Migrate_incoming(&m->there->paths, "tiny-2"));
    /* Here: nothing of it is left. */
    assert_null(DomainList_find(&m->here->fake.domains, "tiny-1"));
    assert_false(Test_exists(TestEnv_cfg(m->here, "tiny-1")));
    assert_int_equal(Test_countFiles(m->here->paths.domains), 0);
    assert_non_null(strstr(m->here->fake.ops, "send tiny-1 pc2 "));
    assert_non_null(strstr(m->here->fake.ops, "tiny-2.cfg suspend\n"));
}

static void test_failed_move_keeps_the_guest_here(void **state)
{
    Machines *m = *state;
    MigratePlan plan;
    MigrateResult res;
    char err[512] = "";

    pair(m);
    BackendFake_removeDomain(&m->there->fake, "tiny-1"); /* the name is free there */
    assert_int_equal(Migrate_plan(&m->here->fake.backend, &m->here->paths, "tiny-1", "pc2",
                                  &plan, err, sizeof err),
                     STATUS_OK);
    assert_string_equal(plan.new_name, "tiny-1");
    m->here->fake.send_hook = NULL;
    m->here->fake.lifecycle_error = "xc: error: Failed to write: Broken pipe";
    assert_int_equal(Migrate_run(&m->here->fake.backend, &m->here->paths, &plan, &res, err,
                                 sizeof err),
                     STATUS_ERROR);
    assert_string_equal(err, "cannot move tiny-1 to pc2: xc: error: Failed to write: Broken "
                             "pipe; tiny-1 keeps running here");
    /* Running (unpaused) here with its config; pc2 keeps nothing. */
    assert_string_equal(DomainList_find(&m->here->fake.domains, "tiny-1")->state, "-b----");
    assert_non_null(strstr(m->here->fake.ops, "unpause tiny-1\n"));
    assert_true(Test_exists(TestEnv_cfg(m->here, "tiny-1")));
    assert_false(Test_exists(TestEnv_cfg(m->there, "tiny-1")));
    assert_false(Migrate_incoming(&m->there->paths, "tiny-1"));
    assert_int_equal(Test_countFiles(m->there->paths.domains), 0);
    /* xl "succeeded" but the guest is not running there: the same. */
    m->here->fake.ops[0] = '\0';
    assert_int_equal(Migrate_run(&m->here->fake.backend, &m->here->paths, &plan, &res, err,
                                 sizeof err),
                     STATUS_ERROR);
    assert_string_equal(err, "cannot move tiny-1 to pc2: tiny-1 does not run on pc2 after the "
                             "transfer; tiny-1 keeps running here");
    assert_string_equal(DomainList_find(&m->here->fake.domains, "tiny-1")->state, "-b----");
    assert_int_equal(Test_countFiles(m->there->paths.domains), 0);
}

static void test_live_when_pvh_and_hap(void **state)
{
    Machines *m = *state;
    MigratePlan plan;
    MigrateResult res;
    char err[512] = "";

    pair(m);
    Test_writeFile(TestEnv_cfg(m->here, "tiny-1"), "name = \"tiny-1\"\ntype = \"pvh\"\n");
    m->here->fake.hap = true;
    assert_int_equal(Migrate_plan(&m->here->fake.backend, &m->here->paths, "tiny-1", "pc2",
                                  &plan, err, sizeof err),
                     STATUS_OK);
    assert_int_equal(plan.mode, MIGRATE_SUSPEND); /* pc2 has no HAP */
    m->there->fake.hap = true;
    assert_int_equal(Migrate_plan(&m->here->fake.backend, &m->here->paths, "tiny-1", "pc2",
                                  &plan, err, sizeof err),
                     STATUS_OK);
    assert_int_equal(plan.mode, MIGRATE_LIVE);
    assert_int_equal(Migrate_run(&m->here->fake.backend, &m->here->paths, &plan, &res, err,
                                 sizeof err),
                     STATUS_OK);
    assert_non_null(strstr(m->here->fake.ops, "tiny-2.cfg live\n"));
    assert_true(res.pause_s == 0);
    assert_null(DomainList_find(&m->here->fake.domains, "tiny-1"));
}

static void test_incoming_config_is_not_reaped(void **state)
{
    Machines *m = *state;
    TestEnv *o = m->there;
    char err[256] = "";

    assert_int_equal(Migrate_take(&o->fake.backend, &o->paths, "tiny-5",
                                  "name = \"tiny-5\"\nmemory = 96\n", err, sizeof err),
                     STATUS_OK);
    /* Taken: no launch gets the name, a second take is refused. */
    assert_int_equal(Migrate_take(&o->fake.backend, &o->paths, "tiny-5",
                                  "name = \"tiny-5\"\n", err, sizeof err),
                     STATUS_ERROR);
    assert_string_equal(err, "tiny-5 is taken on this machine");
    assert_int_equal(Migrate_take(&o->fake.backend, &o->paths, "tiny-6", "name = \"tiny-5\"\n",
                                  err, sizeof err),
                     STATUS_USAGE);
    assert_int_equal(Guests_reap(&o->fake.backend, &o->paths, true, err, sizeof err), STATUS_OK);
    assert_true(Test_exists(TestEnv_cfg(o, "tiny-5")));
    /* Arrived: the mark goes, the domain keeps its config. */
    BackendFake_addDomain(&o->fake, "tiny-5", 96);
    assert_int_equal(Migrate_done(&o->paths, "tiny-5", err, sizeof err), STATUS_OK);
    assert_int_equal(Migrate_drop(&o->fake.backend, &o->paths, "tiny-5", err, sizeof err),
                     STATUS_ERROR);
    assert_int_equal(Guests_reap(&o->fake.backend, &o->paths, true, err, sizeof err), STATUS_OK);
    assert_true(Test_exists(TestEnv_cfg(o, "tiny-5")));
}

static void test_remote_errors(void **state)
{
    char err[512];

    (void)state;
    /* dbclient's note about a key it took comes first; the fatal line counts. */
    Peers_remoteError("pc2", 255, "\nHost 'pc2' key accepted unconditionally.\n(ssh-ed25519 "
                      "fingerprint SHA256:x)\ndbclient: Connection to root@pc2:22 exited: "
                      "Remote closed the connection\n", err, sizeof err);
    assert_string_equal(err, "pc2: dbclient: Connection to root@pc2:22 exited: Remote closed "
                             "the connection");
    Peers_remoteError("pc2", 255, "dbclient: Connection to root@pc2:22 exited: Connect failed: "
                      "No route to host\n", err, sizeof err);
    assert_string_equal(err, "cannot reach pc2: dbclient: Connection to root@pc2:22 exited: "
                             "Connect failed: No route to host");
    Peers_remoteError("pc2", 255, "\nHost key mismatch for pc2 !\n", err, sizeof err);
    assert_non_null(strstr(err, "pc2's host key differs"));
    Peers_remoteError("pc2", 127, "sh: xenlive: not found\n", err, sizeof err);
    assert_string_equal(err, "pc2 has no xenlive command (is it a xenlive machine?)");
    Peers_remoteError("pc2", 1, "xenlive: tiny-2 is taken on this machine\n", err, sizeof err);
    assert_string_equal(err, "pc2: tiny-2 is taken on this machine");
    Peers_remoteError("pc2", 255, "dbclient: Connection to root@pc2:22 exited: Max auth tries "
                      "reached - user 'root'\n", err, sizeof err);
    assert_non_null(strstr(err, "pc2 refused the login"));
    Peers_remoteError("pc2", 255, "", err, sizeof err);
    assert_string_equal(err, "pc2: exit status 255");
}

static void test_parse_info(void **state)
{
    PeerInfo info;

    (void)state;
    assert_int_equal(Migrate_parseInfo("SHA256=" SHA_A "\nFREE_MIB=1234\nHAP=1\nNAME_FREE=0\n"
                                       "RUNNING=1\nNEXT=tiny-3\n",
                                       &info),
                     0);
    assert_string_equal(info.sha256, SHA_A);
    assert_int_equal(info.free_mib, 1234);
    assert_true(info.hap);
    assert_false(info.name_free);
    assert_true(info.running);
    assert_string_equal(info.next, "tiny-3");
    assert_int_equal(Migrate_parseInfo("xenlive: usage\n", &info), -1);
    assert_int_equal(Migrate_parseInfo("FREE_MIB=12x\nNEXT=a-1\n", &info), -1);
}

static void test_natlease_parse(void **state)
{
    char mac[NATLEASE_MAC_LEN];

    (void)state;
    assert_true(NatLease_cfgMac("name = \"t-1\"\nvif = [ \"mac=00:16:3E:0a:0B:0c, bridge=xenbr0\" ]\n",
                                mac));
    assert_string_equal(mac, "00:16:3e:0a:0b:0c");
    assert_false(NatLease_cfgMac("vif = [ \"bridge=xenbr0\" ]\n", mac));
    assert_false(NatLease_cfgMac("vif = [ \"mac=00:16:3e:0a:0b\" ]\n", mac));
    assert_true(NatLease_validIp("10.99.0.57"));
    assert_true(NatLease_validIp("0.0.0.0"));
    assert_false(NatLease_validIp("10.99.0.256"));
    assert_false(NatLease_validIp("10.99.0"));
    assert_false(NatLease_validIp("10.99.0.5.1"));
    assert_false(NatLease_validIp("10.99.0.0057"));
    assert_false(NatLease_validIp("10.99.0.5 "));
    assert_false(NatLease_validIp(""));
    assert_true(NatLease_validMac("00:16:3e:01:02:03"));
    assert_false(NatLease_validMac("00:16:3e:01:02:0g"));
    assert_false(NatLease_validMac("00-16-3e-01-02-03"));
    assert_false(NatLease_validMac("00:16:3e:01:02:03:04"));
}

/* A lease in pc's dnsmasq.leases. */
static void lease(TestEnv *env, const char *text)
{
    char path[PATH_MAX + 32];

    snprintf(path, sizeof path, "%s/dnsmasq.leases", env->paths.run);
    Test_writeFile(path, text);
}

static char *record(TestEnv *env, const char *which, const char *name)
{
    char path[PATH_MAX + 64];

    snprintf(path, sizeof path, "%s/dnsmasq-%s/%s", env->paths.run, which, name);
    return Test_readFile(path);
}

static void test_natlease_reserve(void **state)
{
    TestEnv *o = *state;
    char err[256] = "";
    char ip[NATLEASE_IP_LEN];
    char *text;

    assert_int_equal(Util_mkdirs(o->paths.run, err, sizeof err), 0);
    lease(o, "1700000000 00:16:3e:0a:0a:0a 10.99.0.57 tiny-3 01:00:16:3e:0a:0a:0a\n"
             "1700000000 00:16:3e:0b:0b:0b 10.99.0.58 * *\n");
    /* Leased to another MAC: refused, nothing written. */
    assert_int_equal(NatLease_reserve(&o->paths, "tiny-2", "00:16:3e:01:02:03", "10.99.0.57",
                                      err, sizeof err),
                     STATUS_ERROR);
    assert_string_equal(err, "10.99.0.57, the address of tiny-2, is already the address of "
                             "tiny-3 here");
    assert_null(record(o, "hosts", "tiny-2"));
    assert_int_equal(NatLease_reserve(&o->paths, "tiny-2", "00:16:3e:01:02:03", "10.99.0.58",
                                      err, sizeof err),
                     STATUS_ERROR);
    assert_string_equal(err, "10.99.0.58, the address of tiny-2, is already the address of "
                             "00:16:3e:0b:0b:0b here");
    /* Its own lease (the guest comes back) or a free address: recorded. */
    assert_int_equal(NatLease_reserve(&o->paths, "tiny-2", "00:16:3E:0A:0A:0A", "10.99.0.57",
                                      err, sizeof err),
                     STATUS_OK);
    assert_int_equal(NatLease_reserve(&o->paths, "tiny-4", "00:16:3e:01:02:03", "10.99.0.60",
                                      err, sizeof err),
                     STATUS_OK);
    text = record(o, "hosts", "tiny-4");
    assert_string_equal(text, "00:16:3e:01:02:03,10.99.0.60,tiny-4\n");
    free(text);
    text = record(o, "names", "tiny-4");
    assert_string_equal(text, "10.99.0.60 tiny-4\n");
    free(text);
    /* A record holds the address against other MACs too. */
    assert_int_equal(NatLease_reserve(&o->paths, "tiny-5", "00:16:3e:05:05:05", "10.99.0.60",
                                      err, sizeof err),
                     STATUS_ERROR);
    assert_string_equal(err, "10.99.0.60, the address of tiny-5, is already the address of "
                             "tiny-4 here");
    /* The address of a guest: its record first, then its lease. */
    assert_true(NatLease_address(&o->paths, "tiny-4", "00:16:3e:01:02:03", ip, sizeof ip));
    assert_string_equal(ip, "10.99.0.60");
    assert_true(NatLease_address(&o->paths, "tiny-3", "00:16:3e:0a:0a:0a", ip, sizeof ip));
    assert_string_equal(ip, "10.99.0.57");
    assert_false(NatLease_address(&o->paths, "tiny-7", "00:16:3e:07:07:07", ip, sizeof ip));
    /* Bad input. */
    assert_int_equal(NatLease_reserve(&o->paths, "../x", "00:16:3e:01:02:03", "10.99.0.61", err,
                                      sizeof err),
                     STATUS_USAGE);
    assert_int_equal(NatLease_reserve(&o->paths, "tiny-6", "00:16:3e:01:02:03", "10.99.0.999",
                                      err, sizeof err),
                     STATUS_USAGE);
    NatLease_unreserve(&o->paths, "tiny-4");
    assert_null(record(o, "hosts", "tiny-4"));
    assert_null(record(o, "names", "tiny-4"));
}

/* The guest's NAT address goes with it: pc2 records it for its MAC, and
 * the guest's host key lands in its console log there. */
static void test_move_keeps_nat_address(void **state)
{
    Machines *m = *state;
    MigratePlan plan;
    MigrateResult res;
    char err[512] = "";
    char log[PATH_MAX + 32];
    char *text;

    lease(m->here, "1700000000 00:16:3e:01:02:03 10.99.0.57 tiny-1 *\n");
    assert_int_equal(Util_mkdirs(m->here->paths.console_logs, err, sizeof err), 0);
    assert_int_equal(Paths_consoleLog(&m->here->paths, "tiny-1", log, sizeof log), 0);
    Test_writeFile(log, "booting\nxenlive-guest hostkey: " HOSTKEY_HERE "\n");
    pair(m);
    assert_int_equal(Migrate_plan(&m->here->fake.backend, &m->here->paths, "tiny-1", "pc2",
                                  &plan, err, sizeof err),
                     STATUS_OK);
    assert_string_equal(plan.dom0_key, KEY_THERE);
    assert_int_equal(Migrate_run(&m->here->fake.backend, &m->here->paths, &plan, &res, err,
                                 sizeof err),
                     STATUS_OK);
    text = record(m->there, "hosts", "tiny-2");
    assert_string_equal(text, "00:16:3e:01:02:03,10.99.0.57,tiny-2\n");
    free(text);
    text = record(m->there, "names", "tiny-2");
    assert_string_equal(text, "10.99.0.57 tiny-2\n");
    free(text);
    assert_int_equal(Paths_consoleLog(&m->there->paths, "tiny-2", log, sizeof log), 0);
    text = Test_readFile(log);
    assert_string_equal(text, "xenlive-guest hostkey: " HOSTKEY_HERE "\n");
    free(text);
}

/* pc2 leased the guest's address to a guest of its own: one line, and
 * nothing is left on either side. */
static void test_move_refused_for_a_taken_address(void **state)
{
    Machines *m = *state;
    MigratePlan plan;
    MigrateResult res;
    char err[512] = "";

    lease(m->here, "1700000000 00:16:3e:01:02:03 10.99.0.57 tiny-1 *\n");
    lease(m->there, "1700000000 00:16:3e:0a:0a:0a 10.99.0.57 tiny-1 *\n");
    pair(m);
    assert_int_equal(Migrate_plan(&m->here->fake.backend, &m->here->paths, "tiny-1", "pc2",
                                  &plan, err, sizeof err),
                     STATUS_OK);
    m->here->fake.ops[0] = '\0';
    assert_int_equal(Migrate_run(&m->here->fake.backend, &m->here->paths, &plan, &res, err,
                                 sizeof err),
                     STATUS_ERROR);
    assert_string_equal(err, "cannot move tiny-1 to pc2: pc2: 10.99.0.57, the address of tiny-2, "
                             "is already the address of tiny-1 here; tiny-1 keeps running here");
    assert_null(strstr(m->here->fake.ops, "send"));
    assert_non_null(DomainList_find(&m->here->fake.domains, "tiny-1"));
    assert_true(Test_exists(TestEnv_cfg(m->here, "tiny-1")));
    assert_false(Test_exists(TestEnv_cfg(m->there, "tiny-2")));
    assert_false(Migrate_incoming(&m->there->paths, "tiny-2"));
    assert_null(record(m->there, "hosts", "tiny-2"));
    assert_int_equal(Test_countFiles(m->there->paths.domains), 0);
}

#define M_TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mode),
        cmocka_unit_test(test_parse_info),
        cmocka_unit_test(test_remote_errors),
        cmocka_unit_test(test_natlease_parse),
        cmocka_unit_test_setup_teardown(test_natlease_reserve, TestEnv_setup, TestEnv_teardown),
        M_TEST(test_pair_both_ways),
        M_TEST(test_refusals_change_nothing),
        M_TEST(test_move_suspend_renames),
        M_TEST(test_failed_move_keeps_the_guest_here),
        M_TEST(test_live_when_pvh_and_hap),
        M_TEST(test_incoming_config_is_not_reaped),
        M_TEST(test_move_keeps_nat_address),
        M_TEST(test_move_refused_for_a_taken_address),
    };

    return cmocka_run_group_tests_name("migrate", tests, NULL, NULL);
}
