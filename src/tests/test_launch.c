/* test_launch.c: launch arguments, plans, and launching against the fake
 * backend: memory checks, numbering, cleanup after failures. */
#include "launch.h"
#include "testutil.h"
#include "util.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#define DEBIAN_CONF                                                                      \
    "NAME=debian\nDISPLAY_NAME=\"Debian 12\"\nMEMORY_MIB=256\nMIN_MEMORY_MIB=100\nVCPUS=1\n" \
    "CMDLINE=\"console=hvc0 quiet\"\n"

/* An environment with images debian (256 MiB, at least 100), centos
 * (unavailable) and small (32 MiB, no MIN_MEMORY_MIB: IMAGE_MIN_MEMORY_MIB). */
static int setup(void **state)
{
    TestEnv *env;

    TestEnv_setup(state);
    env = *state;
    TestEnv_addImage(env, "debian", DEBIAN_CONF, true);
    TestEnv_addImage(env, "centos",
                     "NAME=centos\nMEMORY_MIB=512\nAVAILABLE=no\n"
                     "UNAVAILABLE_REASON=\"the CentOS mirror was unreachable\"\n",
                     false);
    TestEnv_addImage(env, "small", "NAME=small\nMEMORY_MIB=32\n", true);
    TestEnv_loadCatalog(env);
    return 0;
}

/* Parse ARGS, words split at blanks, as the arguments of launch. */
static Status parse(const char *args, LaunchRequest *req, char *err, size_t errlen)
{
    static char words[256];
    char *argv[16] = {"launch"};
    int argc = 1;
    char *w;

    snprintf(words, sizeof words, "%s", args);
    for (w = strtok(words, " "); w; w = strtok(NULL, " "))
        argv[argc++] = w;
    err[0] = '\0';
    return LaunchRequest_parse(req, argc, argv, err, errlen);
}

static Status plan_for(TestEnv *env, const LaunchRequest *req, LaunchPlan *plan, char *err,
                       size_t errlen)
{
    err[0] = '\0';
    return Launch_plan(&env->fake.backend, &env->paths, &env->catalog, req, plan, err, errlen);
}

static LaunchRequest request(const char *image)
{
    LaunchRequest req = {.image = image, .count = 1, .type = GUEST_AUTO};

    return req;
}

/* Records the callbacks of Launch_many; can make later creates fail. */
typedef struct Launched {
    unsigned count;
    char lines[64][128];
    BackendFake *fake;
    unsigned fail_after;       /* make create fail after this many, if not 0 */
    const char *fail_output;
} Launched;

static void on_launched(const LaunchResult *res, void *data)
{
    Launched *l = data;

    Launch_describe(res, l->lines[l->count], sizeof l->lines[0]);
    l->count++;
    if (l->fail_after && l->count == l->fail_after)
        l->fake->create_output = l->fail_output;
}

static Status launch(TestEnv *env, const LaunchRequest *req, Launched *l, char *err,
                     size_t errlen)
{
    LaunchPlan plan;
    Status st = plan_for(env, req, &plan, err, errlen);

    if (st != STATUS_OK)
        fail_msg("Launch_plan: %s", err);
    l->fake = &env->fake;
    return Launch_many(&env->fake.backend, &env->paths, &plan, on_launched, l, err, errlen);
}

/* ---- arguments */

static void test_parse_defaults_and_options(void **state)
{
    LaunchRequest req;
    char err[256];

    (void)state;
    assert_int_equal(parse("debian", &req, err, sizeof err), STATUS_OK);
    assert_string_equal(req.image, "debian");
    assert_int_equal(req.count, 1);
    assert_int_equal(req.memory_mib, 0);
    assert_int_equal(req.vcpus, 0);
    assert_int_equal(req.type, GUEST_AUTO);
    assert_int_equal(parse("-n 3 debian -m 512 --vcpus 2 --type pvh", &req, err, sizeof err),
                     STATUS_OK);
    assert_string_equal(req.image, "debian");
    assert_int_equal(req.count, 3);
    assert_int_equal(req.memory_mib, 512);
    assert_int_equal(req.vcpus, 2);
    assert_int_equal(req.type, GUEST_PVH);
}

static void expect_usage(const char *args, const char *message)
{
    LaunchRequest req;
    char err[256];

    assert_int_equal(parse(args, &req, err, sizeof err), STATUS_USAGE);
    assert_string_equal(err, message);
}

static void test_parse_bad_numbers_are_usage_errors(void **state)
{
    (void)state;
    expect_usage("debian -n 0", "-n: COUNT must be a whole number of at least 1, not '0'");
    expect_usage("debian -m abc", "-m: MIB must be a whole number of at least 1, not 'abc'");
    expect_usage("debian --vcpus 0", "--vcpus: N must be a whole number of at least 1, not '0'");
    expect_usage("debian -n -2", "-n: COUNT must be a whole number of at least 1, not '-2'");
    expect_usage("debian -m 99999999999",
                 "-m: MIB must be a whole number of at least 1, not '99999999999'");
    expect_usage("debian --type hvm", "--type: must be pv or pvh, not 'hvm'");
}

static void test_parse_bad_arguments_are_usage_errors(void **state)
{
    (void)state;
    expect_usage("", "launch needs exactly one IMAGE (see xenlive help launch)");
    expect_usage("debian tiny", "launch needs exactly one IMAGE (see xenlive help launch)");
    expect_usage("debian -x", "unknown option '-x'");
    expect_usage("debian --memory 512", "unknown option '--memory'");
    /* An unknown letter after a known one: named, not the word before. */
    expect_usage("debian -xn 2", "unknown option '-x'");
    expect_usage("debian --vcpus 129", "--vcpus: N must be at most 128 (Xen's limit for a PVH "
                 "guest), not '129'");
    expect_usage("debian -n", "-n needs a value");
}

/* ---- plans */

static void test_plan_takes_image_defaults_and_overrides(void **state)
{
    TestEnv *env = *state;
    LaunchRequest req = request("debian");
    LaunchPlan plan;
    char err[256];

    assert_int_equal(plan_for(env, &req, &plan, err, sizeof err), STATUS_OK);
    assert_string_equal(plan.image.name, "debian");
    assert_int_equal(plan.memory_mib, 256);
    assert_int_equal(plan.vcpus, 1);
    assert_int_equal(plan.count, 1);
    req.memory_mib = 100;
    req.vcpus = 3;
    req.count = 5;
    assert_int_equal(plan_for(env, &req, &plan, err, sizeof err), STATUS_OK);
    assert_int_equal(plan.memory_mib, 100);
    assert_int_equal(plan.vcpus, 3);
    assert_int_equal(plan.count, 5);
}

static void test_plan_type_selection(void **state)
{
    TestEnv *env = *state;
    LaunchRequest req = request("debian");
    LaunchPlan plan;
    char err[256];

    env->fake.hvm = true;
    env->fake.tcg = false;
    assert_int_equal(plan_for(env, &req, &plan, err, sizeof err), STATUS_OK);
    assert_int_equal(plan.type, GUEST_PVH);
    env->fake.tcg = true;
    assert_int_equal(plan_for(env, &req, &plan, err, sizeof err), STATUS_OK);
    assert_int_equal(plan.type, GUEST_PV);
    env->fake.hvm = false;
    env->fake.tcg = false;
    assert_int_equal(plan_for(env, &req, &plan, err, sizeof err), STATUS_OK);
    assert_int_equal(plan.type, GUEST_PV);
    /* --type forces, whatever the host. */
    req.type = GUEST_PVH;
    assert_int_equal(plan_for(env, &req, &plan, err, sizeof err), STATUS_OK);
    assert_int_equal(plan.type, GUEST_PVH);
    env->fake.hvm = true;
    req.type = GUEST_PV;
    assert_int_equal(plan_for(env, &req, &plan, err, sizeof err), STATUS_OK);
    assert_int_equal(plan.type, GUEST_PV);
}

static void test_plan_refusals(void **state)
{
    TestEnv *env = *state;
    LaunchRequest req = request("fedora");
    LaunchPlan plan;
    char err[256];

    assert_int_equal(plan_for(env, &req, &plan, err, sizeof err), STATUS_ERROR);
    assert_string_equal(err, "unknown image 'fedora' (xenlive images lists them)");
    req = request("centos");
    assert_int_equal(plan_for(env, &req, &plan, err, sizeof err), STATUS_ERROR);
    assert_string_equal(err, "image 'centos' is unavailable: the CentOS mirror "
                        "was unreachable");
    req = request("debian");
    req.memory_mib = 99;
    assert_int_equal(plan_for(env, &req, &plan, err, sizeof err), STATUS_USAGE);
    assert_string_equal(err, "-m 99: image 'debian' needs at least 100 MiB (its MIN_MEMORY_MIB)");
    req.memory_mib = 100;
    assert_int_equal(plan_for(env, &req, &plan, err, sizeof err), STATUS_OK);
    /* Without MIN_MEMORY_MIB, an image's floor is IMAGE_MIN_MEMORY_MIB. */
    req = request("small");
    assert_int_equal(plan_for(env, &req, &plan, err, sizeof err), STATUS_OK);
    req.memory_mib = IMAGE_MIN_MEMORY_MIB - 1;
    assert_int_equal(plan_for(env, &req, &plan, err, sizeof err), STATUS_USAGE);
    req.memory_mib = IMAGE_MIN_MEMORY_MIB;
    assert_int_equal(plan_for(env, &req, &plan, err, sizeof err), STATUS_OK);
    req = request("debian");
    req.count = 0;
    assert_int_equal(plan_for(env, &req, &plan, err, sizeof err), STATUS_USAGE);
    assert_string_equal(err, "-n: COUNT must be at least 1");
}

static void test_plan_needs_the_guest_kernel(void **state)
{
    TestEnv *env = *state;
    LaunchRequest req = request("debian");
    LaunchPlan plan;
    char err[PATH_MAX * 2 + 64];
    char want[PATH_MAX * 2 + 64];

    assert_int_equal(unlink(env->paths.kernel), 0);
    assert_int_equal(plan_for(env, &req, &plan, err, sizeof err), STATUS_ERROR);
    snprintf(want, sizeof want, "the guest kernel or initramfs is missing: %s, %s",
             env->paths.kernel, env->paths.initrd);
    assert_string_equal(err, want);
}

/* ---- launching */

static void test_launch_one_guest(void **state)
{
    TestEnv *env = *state;
    LaunchRequest req = request("debian");
    Launched l = {0};
    char err[256] = "";
    char *cfg;

    assert_int_equal(launch(env, &req, &l, err, sizeof err), STATUS_OK);
    assert_string_equal(err, "");
    assert_int_equal(l.count, 1);
    assert_string_equal(l.lines[0], "debian-1 (pv, 256 MiB, 1 vCPU)");
    assert_int_equal(env->fake.creates, 1);
    assert_non_null(DomainList_find(&env->fake.domains, "debian-1"));
    assert_int_equal(env->fake.free_mib, 4096 - 256);
    cfg = Test_readFile(TestEnv_cfg(env, "debian-1"));
    assert_non_null(cfg);
    assert_non_null(strstr(cfg, "name = \"debian-1\"\n"));
    assert_non_null(strstr(cfg, "type = \"pv\"\n"));
    assert_non_null(strstr(cfg, "memory = 256\n"));
    assert_non_null(strstr(cfg, "extra = \"console=hvc0 quiet xenlive.name=debian-1 "
                                "xenlive.image=debian xenlive.machine_id="
                                "000102030405060708090a0b0c0d0e0f\"\n"));
    assert_null(strstr(cfg, "vif"));
    /* No dom0-key.pub: no authkey, and the launch works all the same. */
    assert_null(strstr(cfg, "xenlive.authkey"));
    free(cfg);
}

static void test_launch_starts_a_fresh_console_log(void **state)
{
    TestEnv *env = *state;
    LaunchRequest req = request("debian");
    Launched l = {0};
    char err[256] = "";
    char log[PATH_MAX];

    /* What a destroyed debian-1 left behind: its marker and host key. */
    assert_int_equal(Paths_consoleLog(&env->paths, "debian-1", log, sizeof log), 0);
    Test_writeFile(log, "xenlive-guest hostkey: ssh-ed25519 OLD\nxenlive-guest up: debian-1\n");
    assert_int_equal(launch(env, &req, &l, err, sizeof err), STATUS_OK);
    assert_int_equal(access(log, F_OK), -1);
}

#define ED25519 "AAAAC3NzaC1lZDI1NTE5AAAAIGZha2Uga2V5IGZvciB4ZW5saXZlIHVuaXQgdGVzdHMh"

static void write_dom0_key(TestEnv *env, const char *text)
{
    char err[256];

    assert_int_equal(Util_mkdirs(env->paths.run, err, sizeof err), 0);
    Test_writeFile(env->paths.dom0_key, text);
}

static void test_launch_hands_dom0_key_to_guest(void **state)
{
    TestEnv *env = *state;
    LaunchRequest req = request("debian");
    Launched l = {0};
    char err[256] = "";
    char *cfg;

    write_dom0_key(env, "ssh-ed25519 " ED25519 " root@xenlive\n");
    assert_int_equal(launch(env, &req, &l, err, sizeof err), STATUS_OK);
    cfg = Test_readFile(TestEnv_cfg(env, "debian-1"));
    assert_non_null(cfg);
    /* TYPE:BASE64, the comment dropped, at the end of the command line. */
    assert_non_null(strstr(cfg, "xenlive.machine_id=000102030405060708090a0b0c0d0e0f "
                                "xenlive.authkey=ssh-ed25519:" ED25519 "\"\n"));
    assert_null(strstr(cfg, "root@xenlive"));
    free(cfg);
}

/* A dom0-key.pub holding TEXT makes the launch fail with ERROR before
 * anything is created. */
static void expect_bad_key(TestEnv *env, const char *text, const char *error)
{
    LaunchRequest req = request("debian");
    LaunchPlan plan;
    char err[512];
    char expected[PATH_MAX + 512];

    write_dom0_key(env, text);
    assert_int_equal(plan_for(env, &req, &plan, err, sizeof err), STATUS_ERROR);
    snprintf(expected, sizeof expected, "%s: %s", env->paths.dom0_key, error);
    assert_string_equal(err, expected);
    assert_int_equal(env->fake.creates, 0);
    assert_int_equal(Test_countFiles(env->paths.domains), 0);
}

static void test_launch_refuses_bad_dom0_key(void **state)
{
    TestEnv *env = *state;

    expect_bad_key(env, "ssh-dss AAAAB3NzaC1kc3MAAACBAP root@xenlive\n",
                   "not an SSH public key: the type is 'ssh-dss', not ssh-ed25519, ssh-rsa or "
                   "ecdsa-sha2-nistp256/384/521");
    expect_bad_key(env, "ssh-ed25519 AAAA$(reboot)== root@xenlive\n",
                   "not an SSH public key: the ssh-ed25519 key is not base64 text");
    expect_bad_key(env, "ssh-ed25519\n",
                   "not an SSH public key: the ssh-ed25519 key is not base64 text");
    /* Options in front, as authorized_keys allows, are not a key line. */
    expect_bad_key(env, "no-pty ssh-ed25519 " ED25519 "\n",
                   "not an SSH public key: the type is 'no-pty', not ssh-ed25519, ssh-rsa or "
                   "ecdsa-sha2-nistp256/384/521");
    expect_bad_key(env, "", "empty, not an SSH public key");
}

static void test_launch_numbers_next_to_existing(void **state)
{
    TestEnv *env = *state;
    LaunchRequest req = request("debian");
    Launched l = {0};
    char err[256];

    BackendFake_addDomain(&env->fake, "debian-1", 256);
    req.count = 2;
    req.vcpus = 2;
    req.memory_mib = 128;
    req.type = GUEST_PVH;
    assert_int_equal(launch(env, &req, &l, err, sizeof err), STATUS_OK);
    assert_int_equal(l.count, 2);
    assert_string_equal(l.lines[0], "debian-2 (pvh, 128 MiB, 2 vCPUs)");
    assert_string_equal(l.lines[1], "debian-3 (pvh, 128 MiB, 2 vCPUs)");
    assert_int_equal(Test_countFiles(env->paths.domains), 2);
}

static void test_launch_reuses_the_name_of_a_gone_guest(void **state)
{
    TestEnv *env = *state;
    LaunchRequest req = request("debian");
    Launched l = {0};
    char err[256];

    req.count = 2;
    assert_int_equal(launch(env, &req, &l, err, sizeof err), STATUS_OK);
    /* debian-1 powered off by itself: xenlive never heard of it. */
    assert_true(BackendFake_removeDomain(&env->fake, "debian-1"));
    assert_true(Test_exists(TestEnv_cfg(env, "debian-1")));
    req.count = 1;
    assert_int_equal(launch(env, &req, &l, err, sizeof err), STATUS_OK);
    assert_string_equal(l.lines[2], "debian-1 (pv, 256 MiB, 1 vCPU)");
    assert_non_null(DomainList_find(&env->fake.domains, "debian-1"));
    assert_int_equal(Test_countFiles(env->paths.domains), 2);
}

static void test_launch_each_guest_its_own_identity(void **state)
{
    TestEnv *env = *state;
    LaunchRequest req = request("debian");
    Launched l = {0};
    char err[256];
    char *a, *b;

    env->fake.bridge = true;
    req.count = 2;
    assert_int_equal(launch(env, &req, &l, err, sizeof err), STATUS_OK);
    a = Test_readFile(TestEnv_cfg(env, "debian-1"));
    b = Test_readFile(TestEnv_cfg(env, "debian-2"));
    assert_non_null(strstr(a, "vif = [ \"mac=00:16:3e:"));
    assert_non_null(strstr(a, ", bridge=xenbr0\" ]\n"));
    /* Different machine ids and MACs. */
    assert_string_not_equal(strstr(a, "machine_id="), strstr(b, "machine_id="));
    assert_string_not_equal(strstr(a, "mac="), strstr(b, "mac="));
    free(a);
    free(b);
}

static void test_first_guest_does_not_fit(void **state)
{
    TestEnv *env = *state;
    LaunchRequest req = request("debian");
    Launched l = {0};
    char err[256];

    env->fake.free_mib = 256; /* needs 256 + GUEST_OVERHEAD_MIB */
    req.count = 50;
    assert_int_equal(launch(env, &req, &l, err, sizeof err), STATUS_NO_MEMORY);
    assert_string_equal(err, "not enough memory for debian-1: needs 257 MiB, 256 MiB free");
    assert_int_equal(l.count, 0);
    assert_int_equal(env->fake.creates, 0);
    assert_int_equal(env->fake.domains.count, 1); /* Domain-0 */
    assert_int_equal(Test_countFiles(env->paths.domains), 0);
}

static void test_exactly_enough_memory_fits(void **state)
{
    TestEnv *env = *state;
    LaunchRequest req = request("debian");
    Launched l = {0};
    char err[256];

    env->fake.free_mib = 256 + GUEST_OVERHEAD_MIB;
    assert_int_equal(launch(env, &req, &l, err, sizeof err), STATUS_OK);
    assert_int_equal(l.count, 1);
}

static void test_fifty_asked_seven_fit(void **state)
{
    TestEnv *env = *state;
    LaunchRequest req = request("debian");
    Launched l = {0};
    char err[256];

    /* Each guest lowers free memory by 256; the 8th finds 7 MiB left. */
    env->fake.free_mib = 7 * (256 + GUEST_OVERHEAD_MIB);
    req.count = 50;
    assert_int_equal(launch(env, &req, &l, err, sizeof err), STATUS_NO_MEMORY);
    assert_string_equal(err,
                        "launched 7 of 50 debian guests; stopped: debian-8 needs 257 MiB, "
                        "7 MiB free");
    assert_int_equal(l.count, 7);
    assert_string_equal(l.lines[6], "debian-7 (pv, 256 MiB, 1 vCPU)");
    assert_int_equal(env->fake.creates, 7);
    assert_int_equal(env->fake.domains.count, 8);
    assert_int_equal(Test_countFiles(env->paths.domains), 7);
    assert_false(Test_exists(TestEnv_cfg(env, "debian-8")));
}

/* Dom0 keeps DOM0_RESERVE_MIB for itself and a launch needs
 * DOM0_PER_GUEST_MIB above it: with 40 MiB available and 3 taken per
 * guest, the 3rd launch finds 34 and is refused, leaving no config
 * behind. */
static void test_dom0_reserve_stops_launches(void **state)
{
    TestEnv *env = *state;
    LaunchRequest req = request("debian");
    Launched l = {0};
    char err[256];

    env->fake.dom0_available_mib = DOM0_RESERVE_MIB + 8;
    req.count = 5;
    assert_int_equal(launch(env, &req, &l, err, sizeof err), STATUS_NO_MEMORY);
    assert_string_equal(err, "launched 2 of 5 debian guests; stopped: dom0 is short of memory "
                             "for debian-3: 34 MiB available, a guest takes 3 and dom0 keeps 32, "
                             "and dom0 is at its most, 768 MiB (dom0_mem's max: on Xen's command "
                             "line)");
    assert_int_equal(l.count, 2);
    assert_int_equal(env->fake.creates, 2);
    assert_int_equal(env->fake.dom0_grows, 0);
    assert_false(Test_exists(TestEnv_cfg(env, "debian-3")));

    /* Exactly the reserve and one guest's share left is enough. */
    env->fake.dom0_available_mib = DOM0_RESERVE_MIB + DOM0_PER_GUEST_MIB;
    req.count = 1;
    assert_int_equal(launch(env, &req, &l, err, sizeof err), STATUS_OK);
}

/* Below that, a dom0 under its max grows by what it lacks and
 * DOM0_GROW_MIB, from Xen's free memory, once for several launches. */
static void test_dom0_grows_for_launches(void **state)
{
    TestEnv *env = *state;
    LaunchRequest req = request("debian");
    Launched l = {0};
    char err[256];

    env->fake.dom0_available_mib = DOM0_RESERVE_MIB + 8;
    env->fake.dom0_target_mib = 400;
    env->fake.dom0_max_mib = 600;
    req.count = 5;
    assert_int_equal(launch(env, &req, &l, err, sizeof err), STATUS_OK);
    assert_int_equal(l.count, 5);
    assert_int_equal(env->fake.dom0_grows, 1);
    /* The 3rd launch found 34 MiB, 1 short: 1 + DOM0_GROW_MIB more. */
    assert_int_equal(env->fake.dom0_target_mib, 400 + 1 + DOM0_GROW_MIB);
    assert_int_equal(env->fake.free_mib, 4096 - 5 * 256 - 1 - DOM0_GROW_MIB);
    assert_int_equal(env->fake.dom0_available_mib,
                     DOM0_RESERVE_MIB + 8 + 1 + DOM0_GROW_MIB - 5 * 3);
}

/* Growth stops at dom0's max, with one line naming it. */
static void test_dom0_grows_up_to_its_max(void **state)
{
    TestEnv *env = *state;
    LaunchRequest req = request("debian");
    Launched l = {0};
    char err[256];

    env->fake.dom0_available_mib = DOM0_RESERVE_MIB + 3;
    env->fake.dom0_target_mib = 400;
    env->fake.dom0_max_mib = 405;
    req.count = 5;
    assert_int_equal(launch(env, &req, &l, err, sizeof err), STATUS_NO_MEMORY);
    assert_string_equal(err, "launched 2 of 5 debian guests; stopped: dom0 is short of memory "
                             "for debian-3: 34 MiB available, a guest takes 3 and dom0 keeps 32, "
                             "and dom0 is at its most, 405 MiB (dom0_mem's max: on Xen's command "
                             "line)");
    assert_int_equal(env->fake.dom0_grows, 1);
    assert_int_equal(env->fake.dom0_target_mib, 405);
    assert_int_equal(env->fake.creates, 2);
    assert_false(Test_exists(TestEnv_cfg(env, "debian-3")));
}

/* A balloon driver that does not follow: refused after the wait, with
 * nothing of the guest left behind. */
static void test_dom0_that_does_not_grow_refuses(void **state)
{
    TestEnv *env = *state;
    LaunchRequest req = request("debian");
    Launched l = {0};
    char err[256];

    env->fake.dom0_available_mib = DOM0_RESERVE_MIB + 2;
    env->fake.dom0_target_mib = 400;
    env->fake.dom0_max_mib = 800;
    env->fake.dom0_balloon_stuck = true;
    assert_int_equal(launch(env, &req, &l, err, sizeof err), STATUS_NO_MEMORY);
    assert_string_equal(err, "dom0 is short of memory for debian-1: its target was raised to "
                             "417 MiB, but after 10 s it has 34 MiB available, a guest takes 3 "
                             "and dom0 keeps 32");
    assert_int_equal(env->fake.sleeps, DOM0_GROW_WAIT_S * 10 + 1);
    assert_int_equal(env->fake.creates, 0);
    assert_int_equal(Test_countFiles(env->paths.domains), 0);
}

/* Xen's free memory pays for dom0's growth: too little for both is
 * refused before dom0 grows; a little more grows dom0 by what is left. */
static void test_dom0_growth_needs_xen_memory(void **state)
{
    TestEnv *env = *state;
    LaunchRequest req = request("debian");
    Launched l = {0};
    char err[256];

    env->fake.dom0_available_mib = DOM0_RESERVE_MIB + 2;
    env->fake.dom0_target_mib = 400;
    env->fake.dom0_max_mib = 800;
    env->fake.free_mib = 256 + GUEST_OVERHEAD_MIB;
    assert_int_equal(launch(env, &req, &l, err, sizeof err), STATUS_NO_MEMORY);
    assert_string_equal(err, "not enough memory for debian-1: needs 257 MiB and dom0 1 more for "
                             "it, 257 MiB free");
    assert_int_equal(env->fake.dom0_grows, 0);
    assert_int_equal(env->fake.creates, 0);

    env->fake.free_mib = 256 + GUEST_OVERHEAD_MIB + 5;
    assert_int_equal(launch(env, &req, &l, err, sizeof err), STATUS_OK);
    assert_int_equal(env->fake.dom0_target_mib, 405);
    assert_int_equal(env->fake.free_mib, GUEST_OVERHEAD_MIB);
}

#define XL_FAILURE                                                                       \
    "Parsing config from /run/xenlive/domains/debian-1.cfg\n"                            \
    "libxl: error: libxl_dom.c:580:libxl__build_dom: xc_dom_boot_mem_init failed: -1\n" \
    "libxl: error: libxl_create.c:1932:domcreate_rebuild_done: Domain 4:cannot (re-)build domain: -3\n"

static void test_create_failure_leaves_nothing(void **state)
{
    TestEnv *env = *state;
    LaunchRequest req = request("debian");
    Launched l = {0};
    char err[256];

    env->fake.create_output = XL_FAILURE;
    assert_int_equal(launch(env, &req, &l, err, sizeof err), STATUS_ERROR);
    assert_string_equal(err, "debian-1: libxl: error: libxl_dom.c:580:libxl__build_dom: "
                        "xc_dom_boot_mem_init failed: -1");
    assert_int_equal(env->fake.creates, 1);
    assert_int_equal(env->fake.destroys, 0); /* there was nothing to destroy */
    assert_false(Test_exists(TestEnv_cfg(env, "debian-1")));
}

static void test_create_failure_destroys_half_built_domain(void **state)
{
    TestEnv *env = *state;
    LaunchRequest req = request("debian");
    Launched l = {0};
    char err[256];

    env->fake.create_output = XL_FAILURE;
    env->fake.create_leaves_domain = true;
    assert_int_equal(launch(env, &req, &l, err, sizeof err), STATUS_ERROR);
    assert_int_equal(env->fake.destroys, 1);
    assert_null(DomainList_find(&env->fake.domains, "debian-1"));
    assert_int_equal(env->fake.free_mib, 4096);
    assert_false(Test_exists(TestEnv_cfg(env, "debian-1")));
    assert_int_equal(Test_countFiles(env->paths.domains), 0);
}

static void test_create_failure_midway_says_how_far(void **state)
{
    TestEnv *env = *state;
    LaunchRequest req = request("debian");
    Launched l = {.fail_after = 2, .fail_output = XL_FAILURE};
    char err[256];

    req.count = 5;
    assert_int_equal(launch(env, &req, &l, err, sizeof err), STATUS_ERROR);
    assert_string_equal(err, "launched 2 of 5 debian guests; stopped: debian-3: libxl: error: "
                        "libxl_dom.c:580:libxl__build_dom: xc_dom_boot_mem_init failed: -1");
    assert_int_equal(l.count, 2);
    assert_int_equal(Test_countFiles(env->paths.domains), 2);
    assert_false(Test_exists(TestEnv_cfg(env, "debian-3")));
}

#define ENV_TEST(f) cmocka_unit_test_setup_teardown(f, setup, TestEnv_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_defaults_and_options),
        cmocka_unit_test(test_parse_bad_numbers_are_usage_errors),
        cmocka_unit_test(test_parse_bad_arguments_are_usage_errors),
        ENV_TEST(test_plan_takes_image_defaults_and_overrides),
        ENV_TEST(test_plan_type_selection),
        ENV_TEST(test_plan_refusals),
        ENV_TEST(test_plan_needs_the_guest_kernel),
        ENV_TEST(test_launch_one_guest),
        ENV_TEST(test_launch_starts_a_fresh_console_log),
        ENV_TEST(test_launch_hands_dom0_key_to_guest),
        ENV_TEST(test_launch_refuses_bad_dom0_key),
        ENV_TEST(test_launch_numbers_next_to_existing),
        ENV_TEST(test_launch_reuses_the_name_of_a_gone_guest),
        ENV_TEST(test_launch_each_guest_its_own_identity),
        ENV_TEST(test_first_guest_does_not_fit),
        ENV_TEST(test_exactly_enough_memory_fits),
        ENV_TEST(test_fifty_asked_seven_fit),
        ENV_TEST(test_dom0_reserve_stops_launches),
        ENV_TEST(test_dom0_grows_for_launches),
        ENV_TEST(test_dom0_grows_up_to_its_max),
        ENV_TEST(test_dom0_that_does_not_grow_refuses),
        ENV_TEST(test_dom0_growth_needs_xen_memory),
        ENV_TEST(test_create_failure_leaves_nothing),
        ENV_TEST(test_create_failure_destroys_half_built_domain),
        ENV_TEST(test_create_failure_midway_says_how_far),
    };

    return cmocka_run_group_tests_name("launch", tests, NULL, NULL);
}
