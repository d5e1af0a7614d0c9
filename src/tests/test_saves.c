/* test_saves.c: saves to RAM and to the data volume, their records
 * (.meta, .cfg), the space check and its lock, a save that fails part way,
 * restore after a reboot and its SHA256 check, save --all, the list. */
#include "guests.h"
#include "names.h"
#include "saves.h"
#include "testutil.h"
#include "util.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#define SHA_A "aaaa1111aaaa1111aaaa1111aaaa1111aaaa1111aaaa1111aaaa1111aaaa1111"
#define SHA_B "bbbb2222bbbb2222bbbb2222bbbb2222bbbb2222bbbb2222bbbb2222bbbb2222"

static int setup(void **state)
{
    TestEnv *env;
    char err[256];

    TestEnv_setup(state);
    env = *state;
    TestEnv_addImage(env, "tiny", "NAME=tiny\nMEMORY_MIB=96\nSHA256=" SHA_A "\n", true);
    TestEnv_loadCatalog(env);
    env->fake.save_stops_domain = true;
    BackendFake_addDomain(&env->fake, "tiny-1", 96);
    BackendFake_addDomain(&env->fake, "tiny-2", 96);
    assert_int_equal(Util_mkdirs(env->paths.domains, err, sizeof err), 0);
    Test_writeFile(TestEnv_cfg(env, "tiny-1"), "name = \"tiny-1\"\ntype = \"pv\"\n");
    Test_writeFile(TestEnv_cfg(env, "tiny-2"), "name = \"tiny-2\"\ntype = \"pv\"\n");
    return 0;
}

/* ROOT/data is the data volume, as 65-data records it; its saves folder
 * into DIR. */
static void mount_volume(TestEnv *env, char *dir, size_t len)
{
    char text[PATH_MAX + 128];
    char err[256];

    assert_int_equal(Util_mkdirs(env->paths.run, err, sizeof err), 0);
    snprintf(text, sizeof text, "DEVICE=/dev/sdb1\nFSTYPE=ext4\nMOUNT=%s/data\n", env->root);
    Test_writeFile(env->paths.data, text);
    snprintf(dir, len, "%s/data/saves", env->root);
}

static const char *file_in(const char *dir, const char *name)
{
    static char path[PATH_MAX * 2];

    snprintf(path, sizeof path, "%s/%s", dir, name);
    return path;
}

static void test_save_to_ram_with_its_records(void **state)
{
    TestEnv *env = *state;
    char err[PATH_MAX + 128] = "";
    char value[128];
    const char *meta;
    char *text;

    assert_int_equal(Guests_save(&env->fake.backend, &env->paths, "tiny-1", err, sizeof err),
                     STATUS_OK);
    assert_true(Test_exists(file_in(env->paths.saves, "tiny-1.save")));
    assert_false(Test_exists(file_in(env->paths.saves, "tiny-1.save.part")));
    meta = file_in(env->paths.saves, "tiny-1.meta");
    assert_int_equal(Util_confValue(meta, "IMAGE", value, sizeof value), 0);
    assert_string_equal(value, "tiny");
    assert_int_equal(Util_confValue(meta, "SHA256", value, sizeof value), 0);
    assert_string_equal(value, SHA_A);
    assert_int_equal(Util_confValue(meta, "MEMORY_MIB", value, sizeof value), 0);
    assert_string_equal(value, "96");
    assert_false(Test_exists(file_in(env->paths.saves, "tiny-1.meta.tmp")));
    /* The config is kept with the save, and leaves the domains folder. */
    text = Test_readFile(file_in(env->paths.saves, "tiny-1.cfg"));
    assert_string_equal(text, "name = \"tiny-1\"\ntype = \"pv\"\n");
    free(text);
    assert_false(Test_exists(TestEnv_cfg(env, "tiny-1")));
    assert_null(DomainList_find(&env->fake.domains, "tiny-1"));
}

static void test_save_goes_to_the_data_volume(void **state)
{
    TestEnv *env = *state;
    char err[PATH_MAX + 128] = "";
    char dir[PATH_MAX + 64];
    char line[PATH_MAX + 128];
    SaveList list;

    Saves_describe(&env->fake.backend, &env->paths, line, sizeof line);
    assert_non_null(strstr(line, "RAM ("));
    mount_volume(env, dir, sizeof dir);
    env->fake.fs_free = 5000;
    Saves_describe(&env->fake.backend, &env->paths, line, sizeof line);
    assert_non_null(strstr(line, "disk /dev/sdb1 (ext4) at "));
    assert_non_null(strstr(line, "/data, 5000 MiB free"));
    assert_int_equal(Guests_save(&env->fake.backend, &env->paths, "tiny-1", err, sizeof err),
                     STATUS_OK);
    assert_true(Test_exists(file_in(dir, "tiny-1.save")));
    assert_true(Test_exists(file_in(dir, "tiny-1.meta")));
    assert_false(Test_exists(file_in(env->paths.saves, "tiny-1.save")));
    assert_true(Saves_exists(&env->paths, "tiny-1"));
    /* Without the volume (another boot, no stick) the save is not seen. */
    unlink(env->paths.data);
    assert_false(Saves_exists(&env->paths, "tiny-1"));
    assert_int_equal(Saves_list(&env->paths, &list, err, sizeof err), STATUS_OK);
    assert_int_equal(list.count, 0);
}

static void test_list_both_places(void **state)
{
    TestEnv *env = *state;
    char err[PATH_MAX + 128] = "";
    char dir[PATH_MAX + 64];
    SaveList list;

    assert_int_equal(Guests_save(&env->fake.backend, &env->paths, "tiny-2", err, sizeof err),
                     STATUS_OK);
    mount_volume(env, dir, sizeof dir);
    assert_int_equal(Guests_save(&env->fake.backend, &env->paths, "tiny-1", err, sizeof err),
                     STATUS_OK);
    /* A save under way (no .save yet) and stray files are not listed. */
    Test_writeFile(file_in(dir, "tiny-3.save.part"), "part");
    Test_writeFile(file_in(dir, "notes.txt"), "x");
    /* A save under way holds its name: its .meta is written first. */
    assert_false(Saves_exists(&env->paths, "tiny-3"));
    Test_writeFile(file_in(dir, "tiny-3.meta"), "NAME=tiny-3\n");
    assert_true(Saves_exists(&env->paths, "tiny-3"));
    assert_int_equal(Saves_list(&env->paths, &list, err, sizeof err), STATUS_OK);
    assert_int_equal(list.count, 2);
    assert_string_equal(list.items[0].name, "tiny-1");
    assert_int_equal(list.items[0].where, SAVE_DISK);
    assert_string_equal(list.items[0].image, "tiny");
    assert_string_equal(list.items[0].sha256, SHA_A);
    assert_int_equal(list.items[0].memory_mib, 96);
    assert_int_equal(list.items[0].size_mib, 1); /* a small file rounds up */
    assert_true(list.items[0].saved_s > 1700000000);
    assert_string_equal(list.items[1].name, "tiny-2");
    assert_int_equal(list.items[1].where, SAVE_RAM);
    assert_string_equal(Saves_whereName(list.items[1].where), "ram");
}

static void test_refused_when_it_does_not_fit(void **state)
{
    TestEnv *env = *state;
    char err[PATH_MAX + 128] = "";
    char dir[PATH_MAX + 64];
    char want[PATH_MAX + 256];

    mount_volume(env, dir, sizeof dir);
    /* 96 MiB + the 16 MiB margin = 112: 111 free is not enough. */
    env->fake.fs_free = 111;
    assert_int_equal(Guests_save(&env->fake.backend, &env->paths, "tiny-1", err, sizeof err),
                     STATUS_ERROR);
    snprintf(want, sizeof want,
             "not enough space to save tiny-1 on the data volume (%s): needs 112 MiB, 111 MiB "
             "free; tiny-1 keeps running",
             dir);
    assert_string_equal(err, want);
    assert_string_equal(env->fake.ops, "");
    assert_non_null(DomainList_find(&env->fake.domains, "tiny-1"));
    assert_true(Test_exists(TestEnv_cfg(env, "tiny-1")));
    assert_int_equal(Test_countFiles(dir), 0);
    assert_false(Saves_exists(&env->paths, "tiny-1"));
    /* 112 is. */
    env->fake.fs_free = 112;
    assert_int_equal(Guests_save(&env->fake.backend, &env->paths, "tiny-1", err, sizeof err),
                     STATUS_OK);
}

static void test_ram_save_keeps_dom0_memory(void **state)
{
    TestEnv *env = *state;
    char err[PATH_MAX + 128] = "";

    /* A RAM save comes out of dom0: 112 MiB + 32 kept = 144 needed. */
    env->fake.dom0_available_mib = 143;
    assert_int_equal(Guests_save(&env->fake.backend, &env->paths, "tiny-1", err, sizeof err),
                     STATUS_ERROR);
    assert_string_equal(err, "not enough memory in dom0 to save tiny-1 in RAM: needs 112 MiB "
                             "and keeps 32, 143 MiB available; tiny-1 keeps running");
    assert_int_equal(Test_countFiles(env->paths.saves), 0);
    assert_non_null(DomainList_find(&env->fake.domains, "tiny-1"));
    env->fake.dom0_available_mib = 144;
    assert_int_equal(Guests_save(&env->fake.backend, &env->paths, "tiny-1", err, sizeof err),
                     STATUS_OK);
}

static void test_failed_save_leaves_nothing(void **state)
{
    TestEnv *env = *state;
    char err[PATH_MAX + 128] = "";
    char dir[PATH_MAX + 64];

    mount_volume(env, dir, sizeof dir);
    /* xl save writes part of the file, the disk fills, libxl leaves the
     * guest paused: the part goes, the guest runs again. */
    env->fake.save_leaves_partial = true;
    env->fake.save_failure_pauses = true;
    env->fake.lifecycle_error = "xc: error: Failed to write page data: No space left on device";
    assert_int_equal(Guests_save(&env->fake.backend, &env->paths, "tiny-1", err, sizeof err),
                     STATUS_ERROR);
    assert_string_equal(err, "cannot save tiny-1: xc: error: Failed to write page data: No "
                             "space left on device; tiny-1 keeps running");
    assert_int_equal(Test_countFiles(dir), 0);
    assert_false(Saves_exists(&env->paths, "tiny-1"));
    assert_non_null(strstr(env->fake.ops, "unpause tiny-1\n"));
    assert_string_equal(DomainList_find(&env->fake.domains, "tiny-1")->state, "-b----");
    assert_true(Test_exists(TestEnv_cfg(env, "tiny-1")));
    /* A guest the user had paused stays paused. */
    env->fake.ops[0] = '\0';
    assert_int_equal(Guests_pause(&env->fake.backend, "tiny-2", true, err, sizeof err),
                     STATUS_OK);
    env->fake.lifecycle_error = "xl: failed";
    assert_int_equal(Guests_save(&env->fake.backend, &env->paths, "tiny-2", err, sizeof err),
                     STATUS_ERROR);
    assert_null(strstr(env->fake.ops, "unpause"));
    assert_int_equal(Test_countFiles(dir), 0);
}

/* Two saves at once, from two processes, into a volume with room for
 * one: the lock makes the second see the first's file. */
static void test_concurrent_saves_cannot_both_fit(void **state)
{
    TestEnv *env = *state;
    char dir[PATH_MAX + 64];
    const char *names[2] = {"tiny-1", "tiny-2"};
    pid_t pids[2];
    int ok = 0;
    int refused = 0;
    int i;

    mount_volume(env, dir, sizeof dir);
    /* Each 96 MiB guest needs 112; the volume has 200. */
    env->fake.fs_capacity = 200;
    env->fake.save_delay_ms = 200;
    for (i = 0; i < 2; i++) {
        pids[i] = fork();
        assert_true(pids[i] >= 0);
        if (pids[i] == 0) {
            char err[PATH_MAX + 128];
            Status st = Guests_save(&env->fake.backend, &env->paths, names[i], err, sizeof err);

            if (st != STATUS_OK && !strstr(err, "not enough space to save"))
                st = 9;
            _exit(st);
        }
    }
    for (i = 0; i < 2; i++) {
        int status;

        assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
        assert_true(WIFEXITED(status));
        if (WEXITSTATUS(status) == STATUS_OK)
            ok++;
        else if (WEXITSTATUS(status) == STATUS_ERROR)
            refused++;
    }
    assert_int_equal(ok, 1);
    assert_int_equal(refused, 1);
    /* One save: .save, .meta, .cfg; nothing of the refused one. */
    assert_int_equal(Test_countFiles(dir), 3);
}

/* While another save holds the folder's lock, a save waits for it. */
static void test_save_waits_for_the_lock(void **state)
{
    TestEnv *env = *state;
    char err[256];
    pid_t pid;
    int fd;
    int status;

    assert_int_equal(Util_mkdirs(env->paths.saves, err, sizeof err), 0);
    fd = open(env->paths.saves, O_RDONLY | O_DIRECTORY);
    assert_true(fd >= 0);
    assert_int_equal(flock(fd, LOCK_EX), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fd); /* the parent's lock is another holder's, not this one's */
        _exit(Guests_save(&env->fake.backend, &env->paths, "tiny-1", err, sizeof err));
    }
    usleep(300000);
    assert_int_equal(waitpid(pid, &status, WNOHANG), 0); /* still waiting */
    assert_false(Test_exists(file_in(env->paths.saves, "tiny-1.meta")));
    close(fd);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), STATUS_OK);
    assert_true(Test_exists(file_in(env->paths.saves, "tiny-1.save")));
}

static void test_restore_after_a_reboot(void **state)
{
    TestEnv *env = *state;
    char err[PATH_MAX + 128] = "";
    char dir[PATH_MAX + 64];
    char name[64];
    char *text;

    mount_volume(env, dir, sizeof dir);
    assert_int_equal(Guests_save(&env->fake.backend, &env->paths, "tiny-1", err, sizeof err),
                     STATUS_OK);
    /* A new boot: the run folder is empty again, but for the volume's
     * record; the saved name is still not given to a new guest. */
    unlink(TestEnv_cfg(env, "tiny-2"));
    assert_true(BackendFake_removeDomain(&env->fake, "tiny-2"));
    assert_int_equal(Names_next("tiny", &env->fake.domains, &env->paths, name, sizeof name), 0);
    assert_string_equal(name, "tiny-2");
    assert_int_equal(Saves_restore(&env->fake.backend, &env->paths, "tiny-1", err, sizeof err),
                     STATUS_OK);
    assert_non_null(strstr(env->fake.ops, "restore "));
    assert_non_null(DomainList_find(&env->fake.domains, "tiny-1"));
    /* Its config is back; the save's files are gone. */
    text = Test_readFile(TestEnv_cfg(env, "tiny-1"));
    assert_non_null(text);
    assert_string_equal(text, "name = \"tiny-1\"\ntype = \"pv\"\n");
    free(text);
    assert_int_equal(Test_countFiles(dir), 0);
    assert_false(Saves_exists(&env->paths, "tiny-1"));
}

static void test_restore_refusals(void **state)
{
    TestEnv *env = *state;
    char err[PATH_MAX + 128] = "";
    char dir[PATH_MAX + 64];
    char conf[PATH_MAX + 64];

    mount_volume(env, dir, sizeof dir);
    assert_int_equal(Guests_save(&env->fake.backend, &env->paths, "tiny-1", err, sizeof err),
                     STATUS_OK);
    env->fake.ops[0] = '\0';
    /* Another ISO: the image's SHA256 differs. */
    snprintf(conf, sizeof conf, "%s/tiny/image.conf", env->paths.images);
    Test_writeFile(conf, "NAME=tiny\nMEMORY_MIB=96\nSHA256=" SHA_B "\n");
    assert_int_equal(Saves_restore(&env->fake.backend, &env->paths, "tiny-1", err, sizeof err),
                     STATUS_ERROR);
    assert_string_equal(err, "cannot restore tiny-1: it was saved from image tiny with SHA256 "
                             "aaaa1111aaaa..., this ISO's tiny has bbbb2222bbbb...; not restored");
    /* No such image at all. */
    unlink(conf);
    assert_int_equal(Saves_restore(&env->fake.backend, &env->paths, "tiny-1", err, sizeof err),
                     STATUS_ERROR);
    assert_string_equal(err, "cannot restore tiny-1: it was saved from image tiny with SHA256 "
                             "aaaa1111aaaa..., this ISO's tiny is missing; not restored");
    Test_writeFile(conf, "NAME=tiny\nMEMORY_MIB=96\nSHA256=" SHA_A "\n");
    /* Too little memory: exit status 3. */
    env->fake.free_mib = 96;
    assert_int_equal(Saves_restore(&env->fake.backend, &env->paths, "tiny-1", err, sizeof err),
                     STATUS_NO_MEMORY);
    assert_string_equal(err, "not enough memory to restore tiny-1: needs 97 MiB, 96 MiB free");
    env->fake.free_mib = 4096;
    /* A domain of that name runs. */
    BackendFake_addDomain(&env->fake, "tiny-1", 96);
    assert_int_equal(Saves_restore(&env->fake.backend, &env->paths, "tiny-1", err, sizeof err),
                     STATUS_ERROR);
    assert_string_equal(err, "cannot restore tiny-1: a domain named tiny-1 is running");
    assert_true(BackendFake_removeDomain(&env->fake, "tiny-1"));
    /* xl restore fails: the save stays, the config put back goes. */
    env->fake.lifecycle_error = "xl: cannot restore";
    assert_int_equal(Saves_restore(&env->fake.backend, &env->paths, "tiny-1", err, sizeof err),
                     STATUS_ERROR);
    assert_string_equal(err, "xl: cannot restore");
    assert_false(Test_exists(TestEnv_cfg(env, "tiny-1")));
    assert_int_equal(Test_countFiles(dir), 3);
    /* Nothing of the refusals reached xl but the failed restore. */
    assert_int_equal((int)(strstr(env->fake.ops, "restore ") - env->fake.ops), 0);
    assert_null(strstr(strstr(env->fake.ops, "restore ") + 1, "restore "));
    /* Without its record, it is not restored. */
    unlink(file_in(dir, "tiny-1.meta"));
    assert_int_equal(Saves_restore(&env->fake.backend, &env->paths, "tiny-1", err, sizeof err),
                     STATUS_ERROR);
    assert_non_null(strstr(err, "its save has no record of its image"));
    assert_true(Test_exists(file_in(dir, "tiny-1.save")));
}

static void record(const char *name, Status st, const char *err, void *data)
{
    char *log = data;
    size_t used = strlen(log);

    if (st == STATUS_OK)
        snprintf(log + used, 1024 - used, "%s ok\n", name);
    else
        snprintf(log + used, 1024 - used, "%s: %s\n", name, err);
}

static void test_save_all(void **state)
{
    TestEnv *env = *state;
    char err[256] = "";
    char log[1024] = "";

    BackendFake_addDomain(&env->fake, "tiny-3", 96);
    env->fake.lifecycle_error = "xl: broken";
    assert_int_equal(Guests_saveAll(&env->fake.backend, &env->paths, record, log, err,
                                    sizeof err),
                     STATUS_ERROR);
    assert_string_equal(log, "tiny-1: cannot save tiny-1: xl: broken; tiny-1 keeps running\n"
                             "tiny-2 ok\ntiny-3 ok\n");
    assert_string_equal(err, "1 of 3 guests were not saved");
    assert_non_null(DomainList_find(&env->fake.domains, "tiny-1"));
    assert_int_equal(env->fake.domains.count, 2);
    log[0] = '\0';
    assert_int_equal(Guests_saveAll(&env->fake.backend, &env->paths, record, log, err,
                                    sizeof err),
                     STATUS_OK);
    assert_string_equal(log, "tiny-1 ok\n");
    log[0] = '\0';
    assert_int_equal(Guests_saveAll(&env->fake.backend, &env->paths, record, log, err,
                                    sizeof err),
                     STATUS_OK);
    assert_string_equal(log, "");
    assert_null(strstr(env->fake.ops, "Domain-0"));
}

static void test_conf_value(void **state)
{
    TestEnv *env = *state;
    char path[PATH_MAX + 16];
    char value[16];
    char err[256];

    snprintf(path, sizeof path, "%s/conf", env->root);
    Test_writeFile(path, "# c\nKEYX=1\nKEY=\"quoted\"\nKEY=second\nLONG=0123456789abcdefXYZ\n");
    assert_int_equal(Util_confValue(path, "KEY", value, sizeof value), 0);
    assert_string_equal(value, "quoted");
    assert_int_equal(Util_confValue(path, "LONG", value, sizeof value), -1);
    assert_int_equal(Util_confValue(path, "NONE", value, sizeof value), -1);
    assert_int_equal(Util_writeFileAtomic(path, "new\n", err, sizeof err), 0);
    assert_int_equal(Util_confValue(path, "KEY", value, sizeof value), -1);
    snprintf(path, sizeof path, "%s/no/such/folder", env->root);
    assert_int_equal(Util_writeFileAtomic(path, "x", err, sizeof err), -1);
    assert_non_null(strstr(err, "cannot write "));
}

#define ENV_TEST(f) cmocka_unit_test_setup_teardown(f, setup, TestEnv_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        ENV_TEST(test_save_to_ram_with_its_records),
        ENV_TEST(test_save_goes_to_the_data_volume),
        ENV_TEST(test_list_both_places),
        ENV_TEST(test_refused_when_it_does_not_fit),
        ENV_TEST(test_ram_save_keeps_dom0_memory),
        ENV_TEST(test_failed_save_leaves_nothing),
        ENV_TEST(test_concurrent_saves_cannot_both_fit),
        ENV_TEST(test_save_waits_for_the_lock),
        ENV_TEST(test_restore_after_a_reboot),
        ENV_TEST(test_restore_refusals),
        ENV_TEST(test_save_all),
        ENV_TEST(test_conf_value),
    };

    return cmocka_run_group_tests_name("saves", tests, NULL, NULL);
}
