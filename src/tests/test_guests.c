/* test_guests.c: xenlive list output, destroy, stop, save and restore,
 * console, pause and memory, reaping the configs of gone domains,
 * crashes, and the launch lock's waits. */
#include "crashes.h"
#include "guests.h"
#include "natlease.h"
#include "names.h"
#include "saves.h"
#include "testutil.h"
#include "util.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

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

static void write_cfg(TestEnv *env, const char *name, const char *text)
{
    char err[256];

    assert_int_equal(Util_mkdirs(env->paths.domains, err, sizeof err), 0);
    Test_writeFile(TestEnv_cfg(env, name), text);
}

/* Write TEXT to the file PATH names relative to the folder DIR (such as
 * "../x.cfg", which a name like "../x" would reach), making DIR and the
 * file's folder; returns the path for Test_exists. */
static const char *plant(const char *dir, const char *path, const char *text)
{
    static char full[PATH_MAX + 64];
    char err[256];
    char *slash;

    assert_int_equal(Util_mkdirs(dir, err, sizeof err), 0);
    snprintf(full, sizeof full, "%s/%s", dir, path);
    slash = strrchr(full, '/');
    *slash = '\0';
    assert_int_equal(Util_mkdirs(full, err, sizeof err), 0);
    *slash = '/';
    Test_writeFile(full, text);
    return full;
}

static void leave_cfg(TestEnv *env, const char *name)
{
    write_cfg(env, name, "name = \"x\"\n");
}

/* The configs launch writes, trimmed: the type line is among others. */
static void write_typed_cfgs(TestEnv *env)
{
    write_cfg(env, "debian-1", "name = \"debian-1\"\nmemory = 256\ntype = \"pvh\"\nvcpus = 1\n");
    write_cfg(env, "centos-stream-12", "name = \"centos-stream-12\"\ntype = \"pv\"\n");
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

    write_typed_cfgs(env);
    Guests_writeTable(Test_memOpen(&mem), &env->fake.domains, &env->catalog, &env->paths);
    assert_string_equal(Test_memText(&mem),
        "   ID  NAME              IMAGE          TYPE      MEMORY  VCPUS  STATE\n"
        "    0  Domain-0          -              -        768 MiB      2  r-----\n"
        "    1  debian-1          debian         pvh      256 MiB      1  -b----\n"
        "    2  centos-stream-12  centos-stream  pv       512 MiB      1  -b----\n"
        "    3  my \"vm\"           -              -        128 MiB      1  -b----\n"
        "    4  fedora-1          -              -        128 MiB      1  -b----\n");
    Test_memFree(&mem);
}

static void test_list_json(void **state)
{
    TestEnv *env = *state;
    DomainList none = {0};
    TestMem mem;

    write_typed_cfgs(env);
    Guests_writeJson(Test_memOpen(&mem), &env->fake.domains, &env->catalog, &env->paths, NULL);
    assert_string_equal(Test_memText(&mem),
        "[\n"
        "  {\"id\": 0, \"name\": \"Domain-0\", \"image\": null, \"type\": null, "
        "\"memory_mib\": 768, \"vcpus\": 2, \"state\": \"r-----\"},\n"
        "  {\"id\": 1, \"name\": \"debian-1\", \"image\": \"debian\", \"type\": \"pvh\", "
        "\"memory_mib\": 256, \"vcpus\": 1, \"state\": \"-b----\"},\n"
        "  {\"id\": 2, \"name\": \"centos-stream-12\", \"image\": \"centos-stream\", "
        "\"type\": \"pv\", \"memory_mib\": 512, \"vcpus\": 1, \"state\": \"-b----\"},\n"
        "  {\"id\": 3, \"name\": \"my \\\"vm\\\"\", \"image\": null, \"type\": null, "
        "\"memory_mib\": 128, \"vcpus\": 1, \"state\": \"-b----\"},\n"
        "  {\"id\": 4, \"name\": \"fedora-1\", \"image\": null, \"type\": null, "
        "\"memory_mib\": 128, \"vcpus\": 1, \"state\": \"-b----\"}\n"
        "]\n");
    Test_memFree(&mem);
    Guests_writeJson(Test_memOpen(&mem), &none, &env->catalog, &env->paths, NULL);
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
    const char *outside;

    assert_int_equal(Guests_destroy(&env->fake.backend, &env->paths, "Domain-0", err, sizeof err),
                     STATUS_ERROR);
    assert_string_equal(err, "Domain-0 is dom0, which cannot be destroyed");
    /* The file that name would reach, outside the domains folder: an
     * unknown name's leftover config is removed, but never this. */
    outside = plant(env->paths.domains, "../images/debian.cfg", "not a domain's\n");
    assert_int_equal(Guests_destroy(&env->fake.backend, &env->paths, "../images/debian", err,
                                    sizeof err),
                     STATUS_ERROR);
    assert_string_equal(err, "no domain named ../images/debian");
    assert_true(Test_exists(outside));
    assert_int_equal(env->fake.destroys, 0);
}

static void test_type_from_cfg(void **state)
{
    TestEnv *env = *state;

    assert_null(Guests_type(&env->paths, "debian-1")); /* no config */
    write_typed_cfgs(env);
    assert_string_equal(Guests_type(&env->paths, "debian-1"), "pvh");
    assert_string_equal(Guests_type(&env->paths, "centos-stream-12"), "pv");
    leave_cfg(env, "fedora-1"); /* no type line */
    assert_null(Guests_type(&env->paths, "fedora-1"));
    write_cfg(env, "tiny-1", "type = \"hvm\"\n");
    assert_null(Guests_type(&env->paths, "tiny-1"));
    write_cfg(env, "tiny-2", "  type=\"pv\"\n");
    assert_string_equal(Guests_type(&env->paths, "tiny-2"), "pv");
    /* Never read outside the domains folder, even when there is a file. */
    plant(env->paths.domains, "../images/debian.cfg", "type = \"pv\"\n");
    assert_null(Guests_type(&env->paths, "../images/debian"));
    assert_null(Guests_type(&env->paths, "Domain-0"));
}

static void test_stop_one(void **state)
{
    TestEnv *env = *state;
    char err[PATH_MAX + 128] = "";
    char name[64];

    leave_cfg(env, "debian-1");
    leave_cfg(env, "fedora-1");
    assert_int_equal(Guests_stop(&env->fake.backend, &env->paths, "debian-1", true, err,
                                 sizeof err),
                     STATUS_OK);
    assert_string_equal(env->fake.ops, "shutdown -w debian-1\n");
    assert_null(DomainList_find(&env->fake.domains, "debian-1"));
    assert_false(Test_exists(TestEnv_cfg(env, "debian-1")));
    assert_true(Test_exists(TestEnv_cfg(env, "fedora-1")));
    assert_int_equal(env->fake.destroys, 0);
    /* The name is free again. */
    assert_int_equal(Names_next("debian", &env->fake.domains, &env->paths, name, sizeof name), 0);
    assert_string_equal(name, "debian-1");
    /* A domain xenlive did not launch has no config; that is fine. */
    assert_int_equal(Guests_stop(&env->fake.backend, &env->paths, "my \"vm\"", true, err,
                                 sizeof err),
                     STATUS_OK);
}

static void test_stop_keeps_cfg_until_gone(void **state)
{
    TestEnv *env = *state;
    char err[256] = "";

    leave_cfg(env, "debian-1");
    /* xl fails: nothing changes. */
    env->fake.lifecycle_error = "xl: domain debian-1 is not responding";
    assert_int_equal(Guests_stop(&env->fake.backend, &env->paths, "debian-1", true, err,
                                 sizeof err),
                     STATUS_ERROR);
    assert_string_equal(err, "xl: domain debian-1 is not responding");
    assert_true(Test_exists(TestEnv_cfg(env, "debian-1")));
    /* xl returns but the domain is there (it rebooted): the config stays. */
    env->fake.shutdown_lingers = true;
    assert_int_equal(Guests_stop(&env->fake.backend, &env->paths, "debian-1", true, err,
                                 sizeof err),
                     STATUS_ERROR);
    assert_string_equal(err, "debian-1 is still there after xl shutdown -w; its config is kept");
    assert_true(Test_exists(TestEnv_cfg(env, "debian-1")));
    assert_non_null(DomainList_find(&env->fake.domains, "debian-1"));
}

static void test_stop_without_waiting(void **state)
{
    TestEnv *env = *state;
    char err[256] = "";

    leave_cfg(env, "debian-1");
    /* The TUI's s: xl shutdown, no -w; the guest is still going down, so
     * its config stays for Guests_reap. */
    assert_int_equal(Guests_stop(&env->fake.backend, &env->paths, "debian-1", false, err,
                                 sizeof err),
                     STATUS_OK);
    assert_string_equal(env->fake.ops, "shutdown debian-1\n");
    assert_non_null(DomainList_find(&env->fake.domains, "debian-1"));
    assert_true(Test_exists(TestEnv_cfg(env, "debian-1")));
    assert_int_equal(Guests_stop(&env->fake.backend, &env->paths, "Domain-0", false, err,
                                 sizeof err),
                     STATUS_ERROR);
    assert_string_equal(err, "Domain-0 is dom0, which cannot be stopped");
}

static void test_stop_unknown_and_dom0(void **state)
{
    TestEnv *env = *state;
    char err[256];

    assert_int_equal(Guests_stop(&env->fake.backend, &env->paths, "debian-9", true, err,
                                 sizeof err),
                     STATUS_ERROR);
    assert_string_equal(err, "no domain named debian-9");
    assert_int_equal(Guests_stop(&env->fake.backend, &env->paths, "Domain-0", true, err,
                                 sizeof err),
                     STATUS_ERROR);
    assert_string_equal(err, "Domain-0 is dom0, which cannot be stopped");
    assert_string_equal(env->fake.ops, "");
    assert_non_null(DomainList_find(&env->fake.domains, "Domain-0"));
}

/* Guests_stopAll's callback: "NAME ok" or "NAME: why", one line each. */
static void record_stop(const char *name, Status st, const char *err, void *data)
{
    char *log = data;
    size_t used = strlen(log);

    if (st == STATUS_OK)
        snprintf(log + used, 1024 - used, "%s ok\n", name);
    else
        snprintf(log + used, 1024 - used, "%s: %s\n", name, err);
}

static void test_stop_all(void **state)
{
    TestEnv *env = *state;
    char log[1024] = "";
    char err[256] = "";

    leave_cfg(env, "debian-1");
    leave_cfg(env, "fedora-1");
    /* The first guest's xl fails; the others still stop. */
    env->fake.lifecycle_error = "xl: domain debian-1 is not responding";
    assert_int_equal(Guests_stopAll(&env->fake.backend, &env->paths, record_stop, log, err,
                                    sizeof err),
                     STATUS_ERROR);
    assert_string_equal(log, "debian-1: xl: domain debian-1 is not responding\n"
                             "centos-stream-12 ok\n"
                             "my \"vm\" ok\n"
                             "fedora-1 ok\n");
    assert_string_equal(err, "1 of 4 guests did not stop");
    assert_string_equal(env->fake.ops, "shutdown -w debian-1\nshutdown -w centos-stream-12\n"
                                       "shutdown -w my \"vm\"\nshutdown -w fedora-1\n");
    assert_int_equal(env->fake.domains.count, 2);
    assert_non_null(DomainList_find(&env->fake.domains, "Domain-0"));
    assert_non_null(DomainList_find(&env->fake.domains, "debian-1"));
    assert_true(Test_exists(TestEnv_cfg(env, "debian-1")));
    assert_false(Test_exists(TestEnv_cfg(env, "fedora-1")));
    /* Again: the last one goes. */
    log[0] = '\0';
    assert_int_equal(Guests_stopAll(&env->fake.backend, &env->paths, record_stop, log, err,
                                    sizeof err),
                     STATUS_OK);
    assert_string_equal(log, "debian-1 ok\n");
    assert_false(Test_exists(TestEnv_cfg(env, "debian-1")));
    /* Only Domain-0 left: nothing to do, never Domain-0. */
    log[0] = '\0';
    assert_int_equal(Guests_stopAll(&env->fake.backend, &env->paths, record_stop, log, err,
                                    sizeof err),
                     STATUS_OK);
    assert_string_equal(log, "");
    assert_null(strstr(env->fake.ops, "Domain-0"));
    assert_int_equal(env->fake.domains.count, 1);
}

static void test_save_then_restore(void **state)
{
    TestEnv *env = *state;
    char err[PATH_MAX + 128] = "";
    char path[PATH_MAX + 64];
    char ops[PATH_MAX + 128];
    char name[64];
    char *text;

    env->fake.save_stops_domain = true;
    snprintf(path, sizeof path, "%s/debian-1.save", env->paths.saves);
    leave_cfg(env, "debian-1");
    assert_int_equal(Guests_save(&env->fake.backend, &env->paths, "debian-1", err, sizeof err),
                     STATUS_OK);
    /* xl writes NAME.save.part, renamed to NAME.save once it succeeded. */
    snprintf(ops, sizeof ops, "save debian-1 %s.part\n", path);
    assert_string_equal(env->fake.ops, ops);
    assert_true(Test_exists(path));
    assert_true(Saves_exists(&env->paths, "debian-1"));
    assert_null(DomainList_find(&env->fake.domains, "debian-1"));
    assert_false(Test_exists(TestEnv_cfg(env, "debian-1")));
    /* The saved guest keeps its name: launch picks another. */
    assert_int_equal(Names_next("debian", &env->fake.domains, &env->paths, name, sizeof name), 0);
    assert_string_equal(name, "debian-2");
    /* Saved twice: the domain is gone, and the first save is the only copy. */
    assert_int_equal(Guests_save(&env->fake.backend, &env->paths, "debian-1", err, sizeof err),
                     STATUS_ERROR);
    assert_string_equal(err, "no domain named debian-1 (it is saved: xenlive restore debian-1)");
    BackendFake_addDomain(&env->fake, "debian-1", 256);
    assert_int_equal(Guests_save(&env->fake.backend, &env->paths, "debian-1", err, sizeof err),
                     STATUS_ERROR);
    assert_string_equal(err, "debian-1 is already saved in RAM; restore it first");
    text = Test_readFile(path);
    assert_string_equal(text, "fake save of debian-1, 256 MiB\n");
    free(text);
    assert_int_equal(Guests_destroy(&env->fake.backend, &env->paths, "debian-1", err, sizeof err),
                     STATUS_OK);
    /* Restore: xl restore the file, then it goes. */
    assert_int_equal(Saves_restore(&env->fake.backend, &env->paths, "debian-1", err, sizeof err),
                     STATUS_OK);
    snprintf(ops, sizeof ops, "restore %s\n", path);
    assert_non_null(strstr(env->fake.ops, ops));
    assert_false(Test_exists(path));
    assert_false(Saves_exists(&env->paths, "debian-1"));
    assert_int_equal(Saves_restore(&env->fake.backend, &env->paths, "debian-1", err, sizeof err),
                     STATUS_ERROR);
    assert_string_equal(err, "no saved guest named debian-1");
    /* The list takes the image from the name, config or not. */
    assert_string_equal(Guests_image("debian-1", &env->catalog)->name, "debian");
}

static void test_save_refusals(void **state)
{
    TestEnv *env = *state;
    char err[256];
    const char *outside;

    assert_int_equal(Guests_save(&env->fake.backend, &env->paths, "debian-9", err, sizeof err),
                     STATUS_ERROR);
    assert_string_equal(err, "no domain named debian-9");
    assert_int_equal(Guests_save(&env->fake.backend, &env->paths, "Domain-0", err, sizeof err),
                     STATUS_ERROR);
    assert_string_equal(err, "Domain-0 is dom0, which cannot be saved");
    /* A file where "../x" would point, outside the saves folder: not
     * restored, not removed. */
    outside = plant(env->paths.saves, "../x.save", "fake save\n");
    assert_int_equal(Saves_restore(&env->fake.backend, &env->paths, "../x", err, sizeof err),
                     STATUS_ERROR);
    assert_string_equal(err, "no saved guest named ../x");
    assert_true(Test_exists(outside));
    assert_string_equal(env->fake.ops, "");
    /* xl save fails: the config stays, no file. */
    leave_cfg(env, "debian-1");
    env->fake.lifecycle_error = "xl: cannot save";
    assert_int_equal(Guests_save(&env->fake.backend, &env->paths, "debian-1", err, sizeof err),
                     STATUS_ERROR);
    assert_string_equal(err, "cannot save debian-1: xl: cannot save; debian-1 keeps running");
    assert_true(Test_exists(TestEnv_cfg(env, "debian-1")));
    assert_false(Saves_exists(&env->paths, "debian-1"));
    assert_int_equal(Test_countFiles(env->paths.saves), 0);
}

static void test_console(void **state)
{
    TestEnv *env = *state;
    char err[256];

    assert_int_equal(Guests_console(&env->fake.backend, "debian-9", err, sizeof err),
                     STATUS_ERROR);
    assert_string_equal(err, "no domain named debian-9");
    assert_int_equal(Guests_console(&env->fake.backend, "Domain-0", err, sizeof err),
                     STATUS_ERROR);
    assert_string_equal(err, "Domain-0 is dom0, which has no guest console");
    assert_string_equal(env->fake.ops, "");
    assert_int_equal(Guests_console(&env->fake.backend, "debian-1", err, sizeof err), STATUS_OK);
    assert_string_equal(env->fake.ops, "console debian-1\n");
    env->fake.lifecycle_error = "xl console debian-1 failed (exit status 1)";
    assert_int_equal(Guests_console(&env->fake.backend, "debian-1", err, sizeof err),
                     STATUS_ERROR);
    assert_string_equal(err, "xl console debian-1 failed (exit status 1)");
}

static void test_pause_and_memory(void **state)
{
    TestEnv *env = *state;
    char err[256];

    assert_int_equal(Guests_pause(&env->fake.backend, "debian-1", true, err, sizeof err),
                     STATUS_OK);
    assert_string_equal(DomainList_find(&env->fake.domains, "debian-1")->state, "-bp---");
    assert_int_equal(Guests_pause(&env->fake.backend, "debian-1", false, err, sizeof err),
                     STATUS_OK);
    assert_int_equal(Guests_memSet(&env->fake.backend, "debian-1", 128, err, sizeof err),
                     STATUS_OK);
    assert_string_equal(env->fake.ops, "pause debian-1\nunpause debian-1\nmem-set debian-1 128\n");
    /* Refused before xl runs. */
    assert_int_equal(Guests_pause(&env->fake.backend, "Domain-0", true, err, sizeof err),
                     STATUS_ERROR);
    assert_string_equal(err, "Domain-0 is dom0, which cannot be paused");
    assert_int_equal(Guests_memSet(&env->fake.backend, "Domain-0", 512, err, sizeof err),
                     STATUS_ERROR);
    assert_string_equal(err, "Domain-0 is dom0, which xenlive does not resize");
    assert_int_equal(Guests_memSet(&env->fake.backend, "debian-9", 512, err, sizeof err),
                     STATUS_ERROR);
    assert_string_equal(err, "no domain named debian-9");
    assert_string_equal(env->fake.ops, "pause debian-1\nunpause debian-1\nmem-set debian-1 128\n");
    /* xl fails: its line. */
    env->fake.lifecycle_error = "xl: cannot pause";
    assert_int_equal(Guests_pause(&env->fake.backend, "debian-1", true, err, sizeof err),
                     STATUS_ERROR);
    assert_string_equal(err, "xl: cannot pause");
}

static void test_reap_frees_the_names_of_gone_domains(void **state)
{
    TestEnv *env = *state;
    char err[PATH_MAX + 128] = "";
    char path[PATH_MAX + 64];
    char name[64];

    /* No domains folder yet: nothing to do. */
    assert_int_equal(Guests_reap(&env->fake.backend, &env->paths, false, err, sizeof err),
                     STATUS_OK);
    leave_cfg(env, "debian-1");       /* running */
    leave_cfg(env, "debian-2");       /* gone: its guest powered off */
    leave_cfg(env, "centos-stream-1"); /* gone too */
    leave_cfg(env, "debian-3");       /* gone, but saved */
    assert_int_equal(Util_mkdirs(env->paths.saves, err, sizeof err), 0);
    snprintf(path, sizeof path, "%s/debian-3.save", env->paths.saves);
    Test_writeFile(path, "fake save\n");
    snprintf(path, sizeof path, "%s/notes.txt", env->paths.domains);
    Test_writeFile(path, "not a config\n");
    assert_int_equal(Guests_reap(&env->fake.backend, &env->paths, false, err, sizeof err),
                     STATUS_OK);
    assert_true(Test_exists(TestEnv_cfg(env, "debian-1")));
    assert_false(Test_exists(TestEnv_cfg(env, "debian-2")));
    assert_false(Test_exists(TestEnv_cfg(env, "centos-stream-1")));
    assert_true(Test_exists(TestEnv_cfg(env, "debian-3")));
    assert_true(Test_exists(path));
    assert_int_equal(env->fake.destroys, 0);
    assert_string_equal(env->fake.ops, "");
    /* debian-2 is free again; the saved debian-3 is not. */
    assert_int_equal(Names_next("debian", &env->fake.domains, &env->paths, name, sizeof name), 0);
    assert_string_equal(name, "debian-2");
    BackendFake_addDomain(&env->fake, "debian-2", 256);
    assert_int_equal(Names_next("debian", &env->fake.domains, &env->paths, name, sizeof name), 0);
    assert_string_equal(name, "debian-4");
}

/* A guest that moved here has NAT records (natlease.h); they go with it,
 * however it went, so dnsmasq never keeps its address for a gone guest. */
static void test_gone_guests_lose_their_nat_records(void **state)
{
    TestEnv *env = *state;
    char err[PATH_MAX + 128] = "";
    char path[PATH_MAX + 64];

    assert_int_equal(Util_mkdirs(env->paths.run, err, sizeof err), 0);
    leave_cfg(env, "debian-1");
    leave_cfg(env, "debian-2"); /* gone: reaped */
    assert_int_equal(NatLease_reserve(&env->paths, "debian-1", "00:16:3e:01:01:01", "10.99.0.61",
                                      err, sizeof err),
                     STATUS_OK);
    assert_int_equal(NatLease_reserve(&env->paths, "debian-2", "00:16:3e:02:02:02", "10.99.0.62",
                                      err, sizeof err),
                     STATUS_OK);
    assert_int_equal(Guests_reap(&env->fake.backend, &env->paths, false, err, sizeof err),
                     STATUS_OK);
    snprintf(path, sizeof path, "%s/dnsmasq-hosts/debian-2", env->paths.run);
    assert_false(Test_exists(path));
    snprintf(path, sizeof path, "%s/dnsmasq-names/debian-2", env->paths.run);
    assert_false(Test_exists(path));
    snprintf(path, sizeof path, "%s/dnsmasq-hosts/debian-1", env->paths.run);
    assert_true(Test_exists(path));
    assert_int_equal(Guests_destroy(&env->fake.backend, &env->paths, "debian-1", err, sizeof err),
                     STATUS_OK);
    assert_false(Test_exists(path));
    snprintf(path, sizeof path, "%s/dnsmasq-names/debian-1", env->paths.run);
    assert_false(Test_exists(path));
}

/* A gone guest's DHCP lease goes back to dnsmasq (release_lease), found
 * by the MAC in its config: on destroy, stop and reap; a guest without a
 * lease (bridged, or no DHCP yet) or without a vif releases nothing. */
static void test_gone_guests_give_back_their_lease(void **state)
{
    TestEnv *env = *state;
    char err[PATH_MAX + 128] = "";
    char path[PATH_MAX + 64];

    assert_int_equal(Util_mkdirs(env->paths.run, err, sizeof err), 0);
    snprintf(path, sizeof path, "%s/dnsmasq.leases", env->paths.run);
    Test_writeFile(path, "1700000000 00:16:3e:0a:00:01 10.99.0.11 tiny-1 01:00:16:3e:0a:00:01\n"
                         "1700000000 00:16:3e:0a:00:02 10.99.0.12 * *\n"
                         "1700000000 00:16:3e:0a:00:03 10.99.0.13 tiny-3 *\n");
    write_cfg(env, "tiny-1", "name = \"tiny-1\"\nvif = [ \"mac=00:16:3E:0A:00:01, bridge=xenbr0\" ]\n");
    write_cfg(env, "tiny-2", "name = \"tiny-2\"\nvif = [ \"mac=00:16:3e:0a:00:02, bridge=xenbr0\" ]\n");
    write_cfg(env, "tiny-3", "name = \"tiny-3\"\nvif = [ \"mac=00:16:3e:0a:00:03, bridge=xenbr0\" ]\n");
    write_cfg(env, "tiny-4", "name = \"tiny-4\"\nvif = [ \"mac=00:16:3e:0a:00:04, bridge=xenbr0\" ]\n");
    write_cfg(env, "tiny-5", "name = \"tiny-5\"\n");
    BackendFake_addDomain(&env->fake, "tiny-1", 32);
    BackendFake_addDomain(&env->fake, "tiny-2", 32);
    BackendFake_addDomain(&env->fake, "tiny-4", 32);
    BackendFake_addDomain(&env->fake, "tiny-5", 32);

    assert_int_equal(Guests_destroy(&env->fake.backend, &env->paths, "tiny-1", err, sizeof err),
                     STATUS_OK);
    assert_int_equal(env->fake.lease_releases, 1);
    assert_string_equal(env->fake.released_ip, "10.99.0.11");
    assert_int_equal(Guests_stop(&env->fake.backend, &env->paths, "tiny-2", true, err, sizeof err),
                     STATUS_OK);
    assert_int_equal(env->fake.lease_releases, 2);
    assert_string_equal(env->fake.released_ip, "10.99.0.12");
    /* tiny-3 has a config and no domain: reaped. */
    assert_int_equal(Guests_reap(&env->fake.backend, &env->paths, false, err, sizeof err),
                     STATUS_OK);
    assert_int_equal(env->fake.lease_releases, 3);
    assert_string_equal(env->fake.released_ip, "10.99.0.13");
    /* No lease (tiny-4), no vif (tiny-5): nothing to give back. */
    assert_int_equal(Guests_destroy(&env->fake.backend, &env->paths, "tiny-4", err, sizeof err),
                     STATUS_OK);
    assert_int_equal(Guests_destroy(&env->fake.backend, &env->paths, "tiny-5", err, sizeof err),
                     STATUS_OK);
    assert_int_equal(env->fake.lease_releases, 3);
}

static void test_reap_waits_for_a_launch(void **state)
{
    TestEnv *env = *state;
    char err[256] = "";
    int lock;

    /* A launch holds the lock between writing tiny-1.cfg and xl create
     * making the domain: the config is not stale, only not yet used. */
    lock = Guests_lock(&env->paths, err, sizeof err);
    assert_true(lock >= 0);
    leave_cfg(env, "tiny-1");
    assert_int_equal(Guests_reap(&env->fake.backend, &env->paths, false, err, sizeof err),
                     STATUS_OK);
    assert_true(Test_exists(TestEnv_cfg(env, "tiny-1")));
    close(lock);
    /* The launch failed and left it (say): the next reap takes it. */
    assert_int_equal(Guests_reap(&env->fake.backend, &env->paths, false, err, sizeof err),
                     STATUS_OK);
    assert_false(Test_exists(TestEnv_cfg(env, "tiny-1")));
}


/* xl's monitor log of NAME, as xl writes it (xl_vmcontrol.c). */
static void write_xl_log(TestEnv *env, const char *name, const char *text)
{
    char path[PATH_MAX + 64];

    snprintf(path, sizeof path, "%s/xl-%s.log", env->paths.xl_logs, name);
    Test_writeFile(path, text);
}

static void test_crash_is_recorded_listed_and_cleared(void **state)
{
    TestEnv *env = *state;
    char err[PATH_MAX + 128] = "";
    TestMem mem;
    Crash c;

    /* Xen's log folder is the one above the console logs. */
    assert_non_null(strstr(env->paths.console_logs, env->paths.xl_logs));
    leave_cfg(env, "debian-2"); /* crashed */
    write_xl_log(env, "debian-2",
                 "Waiting for domain debian-2 (domid 7) to die [pid 99]\n"
                 "Domain 7 has shut down, reason code 3 0x3\n"
                 "Action for shutdown reason code 3 is destroy\n"
                 "Domain 7 needs to be cleaned up: destroying the domain\n"
                 "Done. Exiting now\n");
    leave_cfg(env, "debian-3"); /* crashed once, then a new debian-3 was destroyed */
    write_xl_log(env, "debian-3",
                 "Waiting for domain debian-3 (domid 4) to die [pid 50]\n"
                 "Domain 4 has shut down, reason code 3 0x3\n"
                 "Waiting for domain debian-3 (domid 9) to die [pid 70]\n"
                 "Domain 9 has been destroyed.\n");
    leave_cfg(env, "debian-4"); /* powered off */
    write_xl_log(env, "debian-4",
                 "Waiting for domain debian-4 (domid 5) to die [pid 51]\n"
                 "Domain 5 has shut down, reason code 0 0x0\n");
    leave_cfg(env, "debian-5"); /* its watchdog fired */
    write_xl_log(env, "debian-5",
                 "Waiting for domain debian-5 (domid 6) to die [pid 52]\n"
                 "Domain 6 has shut down, reason code 4 0x4\n");
    assert_int_equal(Crashes_lastReason(&env->paths, "debian-2"), CRASHES_REASON_CRASH);
    assert_int_equal(Crashes_lastReason(&env->paths, "debian-3"), -1);
    assert_int_equal(Crashes_lastReason(&env->paths, "debian-4"), 0);
    assert_int_equal(Crashes_lastReason(&env->paths, "nobody"), -1);
    assert_int_equal(Crashes_lastReason(&env->paths, "../etc"), -1);
    assert_int_equal(Guests_reap(&env->fake.backend, &env->paths, false, err, sizeof err),
                     STATUS_OK);
    /* Its resources are xl's to free; xenlive frees the name and keeps a record. */
    assert_false(Test_exists(TestEnv_cfg(env, "debian-2")));
    assert_true(Crashes_find(&env->paths, "debian-2", &c));
    assert_string_equal(c.what, "crashed");
    assert_true(c.when_s > 0);
    assert_false(Crashes_find(&env->paths, "debian-3", &c));
    assert_false(Crashes_find(&env->paths, "debian-4", &c));
    assert_true(Crashes_find(&env->paths, "debian-5", &c));
    assert_string_equal(c.what, "watchdog");
    /* list: a row with no ID and no memory, after the domains. */
    Guests_writeTable(Test_memOpen(&mem), &env->fake.domains, &env->catalog, &env->paths);
    assert_non_null(strstr(Test_memText(&mem),
        "    -  debian-2          debian         -          0 MiB      0  crashed\n"
        "    -  debian-5          debian         -          0 MiB      0  watchdog\n"));
    Test_memFree(&mem);
    Guests_writeJson(Test_memOpen(&mem), &env->fake.domains, &env->catalog, &env->paths, NULL);
    assert_non_null(strstr(Test_memText(&mem),
        ",\n  {\"id\": null, \"name\": \"debian-2\", \"image\": \"debian\", \"type\": null, "
        "\"memory_mib\": 0, \"vcpus\": 0, \"state\": \"crashed\", \"crashed_at\": "));
    Test_memFree(&mem);
    /* A domain of that name again: its row is the domain's, not the record's. */
    BackendFake_addDomain(&env->fake, "debian-2", 256);
    Guests_writeTable(Test_memOpen(&mem), &env->fake.domains, &env->catalog, &env->paths);
    assert_null(strstr(Test_memText(&mem), "crashed"));
    Test_memFree(&mem);
    assert_int_equal(Guests_destroy(&env->fake.backend, &env->paths, "debian-2", err,
                                    sizeof err), STATUS_OK);
    /* destroy clears a record. */
    assert_int_equal(Guests_destroy(&env->fake.backend, &env->paths, "debian-5", err,
                                    sizeof err), STATUS_OK);
    assert_false(Crashes_find(&env->paths, "debian-5", &c));
    assert_false(Crashes_find(&env->paths, "debian-2", &c));
    assert_true(Crashes_record(&env->paths, "debian-2", "crashed", 1, err, sizeof err) ==
                STATUS_OK);
    assert_true(Crashes_clear(&env->paths, "debian-2"));
    assert_false(Crashes_clear(&env->paths, "debian-2"));
    assert_int_equal(Crashes_record(&env->paths, "../x", "crashed", 1, err, sizeof err),
                     STATUS_ERROR);
    /* Nothing to clear: unknown, as before. */
    assert_int_equal(Guests_destroy(&env->fake.backend, &env->paths, "debian-5", err,
                                    sizeof err), STATUS_ERROR);
    assert_string_equal(err, "no domain named debian-5");
}

/* The destroy and waiting stop that test_*_waits_for_a_launch run in a
 * child process. */
static Status destroy_made(TestEnv *env, const char *name, char *err, size_t errlen)
{
    /* xl create has made the domain by the time the lock is free. */
    BackendFake_addDomain(&env->fake, name, 32);
    return Guests_destroy(&env->fake.backend, &env->paths, name, err, errlen);
}

static Status stop_waiting(TestEnv *env, const char *name, char *err, size_t errlen)
{
    return Guests_stop(&env->fake.backend, &env->paths, name, true, err, errlen);
}

/* Runs OP on NAME in a child while this process holds the launch lock,
 * as a launch of NAME under way does (its config written, xl create not
 * yet returned): the child must wait, the config still there, and once
 * the lock is free finish with STATUS_OK and the config gone. */
static void assert_waits_for_a_launch(TestEnv *env, const char *name,
                                      Status (*op)(TestEnv *, const char *, char *, size_t))
{
    char err[256] = "";
    pid_t pid;
    int lock;
    int status;

    lock = Guests_lock(&env->paths, err, sizeof err);
    assert_true(lock >= 0);
    leave_cfg(env, name);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(lock); /* the parent's lock is the launch's, not this one's */
        _exit(op(env, name, err, sizeof err));
    }
    usleep(300000);
    assert_int_equal(waitpid(pid, &status, WNOHANG), 0); /* still waiting */
    assert_true(Test_exists(TestEnv_cfg(env, name)));
    close(lock);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), STATUS_OK);
    assert_false(Test_exists(TestEnv_cfg(env, name)));
}

/* A destroy while a launch of the name is under way waits for the
 * launch, rather than take the config for a leftover. */
static void test_destroy_waits_for_a_launch(void **state)
{
    assert_waits_for_a_launch(*state, "tiny-1", destroy_made);
}

/* A waiting stop also waits for a launch under way. */
static void test_stop_waits_for_a_launch(void **state)
{
    assert_waits_for_a_launch(*state, "debian-1", stop_waiting);
}

/* The xl monitor of a guest was killed: after xl shutdown -w nobody
 * destroys the shut-down domain, so stop does, and frees the name. */
static void test_stop_without_a_monitor(void **state)
{
    TestEnv *env = *state;
    char err[256] = "";
    Domain *d = (Domain *)DomainList_find(&env->fake.domains, "debian-1");

    leave_cfg(env, "debian-1");
    env->fake.shutdown_lingers = true;
    memcpy(d->state, "---s--", 7);
    assert_int_equal(Guests_stop(&env->fake.backend, &env->paths, "debian-1", true, err,
                                 sizeof err),
                     STATUS_OK);
    assert_int_equal(env->fake.destroys, 1);
    assert_null(DomainList_find(&env->fake.domains, "debian-1"));
    assert_false(Test_exists(TestEnv_cfg(env, "debian-1")));
    /* It waited for the monitor first: 20 s in 0.5 s looks. */
    assert_int_equal(env->fake.sleeps, 40);
}

#define HOTPLUG_RACE "libxl: error: libxl_exec.c:117:libxl_report_child_exitstatus: " \
                     "/etc/xen/scripts/block remove [899] exited with error status 1"

/* xl destroy racing the guest's own xl monitor: one of the two runs the
 * hotplug scripts after the other and reports an error, but the domain is
 * gone; stop and destroy succeed and free the name.  A destroy that
 * fails with the domain still there is an error, and the config stays. */
static void test_destroy_racing_the_monitor(void **state)
{
    TestEnv *env = *state;
    char err[256] = "";
    Domain *d = (Domain *)DomainList_find(&env->fake.domains, "debian-1");

    leave_cfg(env, "debian-1");
    env->fake.shutdown_lingers = true;
    memcpy(d->state, "---s--", 7);
    env->fake.teardown_error = HOTPLUG_RACE;
    env->fake.teardown_removes = true;
    assert_int_equal(Guests_stop(&env->fake.backend, &env->paths, "debian-1", true, err,
                                 sizeof err),
                     STATUS_OK);
    assert_false(Test_exists(TestEnv_cfg(env, "debian-1")));

    BackendFake_addDomain(&env->fake, "debian-2", 256);
    leave_cfg(env, "debian-2");
    env->fake.teardown_error = HOTPLUG_RACE;
    assert_int_equal(Guests_destroy(&env->fake.backend, &env->paths, "debian-2", err, sizeof err),
                     STATUS_OK);
    assert_false(Test_exists(TestEnv_cfg(env, "debian-2")));

    /* xl shutdown -w itself reporting the teardown's hotplug error. */
    BackendFake_addDomain(&env->fake, "debian-4", 256);
    leave_cfg(env, "debian-4");
    env->fake.shutdown_lingers = false;
    env->fake.teardown_error = HOTPLUG_RACE;
    assert_int_equal(Guests_stop(&env->fake.backend, &env->paths, "debian-4", true, err,
                                 sizeof err),
                     STATUS_OK);
    assert_false(Test_exists(TestEnv_cfg(env, "debian-4")));

    BackendFake_addDomain(&env->fake, "debian-3", 256);
    leave_cfg(env, "debian-3");
    env->fake.teardown_error = "libxl: error: cannot destroy";
    env->fake.teardown_removes = false;
    assert_int_equal(Guests_destroy(&env->fake.backend, &env->paths, "debian-3", err, sizeof err),
                     STATUS_ERROR);
    assert_string_equal(err, "libxl: error: cannot destroy");
    assert_true(Test_exists(TestEnv_cfg(env, "debian-3")));
    assert_non_null(DomainList_find(&env->fake.domains, "debian-3"));
}

#define ENV_TEST(f) cmocka_unit_test_setup_teardown(f, setup, TestEnv_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        ENV_TEST(test_image_of_a_guest),
        ENV_TEST(test_list_table),
        ENV_TEST(test_list_json),
        ENV_TEST(test_destroy_removes_domain_and_cfg),
        ENV_TEST(test_gone_guests_lose_their_nat_records),
        ENV_TEST(test_gone_guests_give_back_their_lease),
        ENV_TEST(test_destroy_unknown_name),
        ENV_TEST(test_destroy_never_dom0_or_paths),
        ENV_TEST(test_type_from_cfg),
        ENV_TEST(test_stop_one),
        ENV_TEST(test_stop_keeps_cfg_until_gone),
        ENV_TEST(test_stop_without_waiting),
        ENV_TEST(test_stop_unknown_and_dom0),
        ENV_TEST(test_stop_all),
        ENV_TEST(test_save_then_restore),
        ENV_TEST(test_save_refusals),
        ENV_TEST(test_console),
        ENV_TEST(test_pause_and_memory),
        ENV_TEST(test_reap_frees_the_names_of_gone_domains),
        ENV_TEST(test_reap_waits_for_a_launch),
        ENV_TEST(test_crash_is_recorded_listed_and_cleared),
        ENV_TEST(test_destroy_waits_for_a_launch),
        ENV_TEST(test_stop_waits_for_a_launch),
        ENV_TEST(test_stop_without_a_monitor),
        ENV_TEST(test_destroy_racing_the_monitor),
    };

    return cmocka_run_group_tests_name("guests", tests, NULL, NULL);
}
