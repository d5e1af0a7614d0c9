/* test_ui_keys.c: the TUI's keys against the fake backend: launching
 * (and the out-of-memory line in the status), destroy's y/n, pause,
 * memory, save and restore, names freed once a domain is gone (after s,
 * or by itself) but not a saved guest's, sorting, and the selection
 * following its domain across refreshes. */
#include "keys.h"
#include "layout.h"
#include "migrate.h"
#include "testutil.h"
#include "util.h"
#include "view.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

typedef struct KeysEnv {
    TestEnv *env;
    View view;
    Sample sample; /* what the fake's sample returns: its domains now */
    unsigned busy; /* calls of the busy hook */
    char busy_status[VIEW_STATUS_MAX];
    unsigned suspended;
    unsigned resumed;
} KeysEnv;

static KeysEnv *keys_env(View *v)
{
    return (KeysEnv *)v->screen;
}

static void on_busy(View *v)
{
    KeysEnv *k = keys_env(v);

    k->busy++;
    snprintf(k->busy_status, sizeof k->busy_status, "%s", v->status);
}

static void on_suspend(View *v)
{
    keys_env(v)->suspended++;
}

static void on_resume(View *v)
{
    keys_env(v)->resumed++;
}

/* Make the fake's sample match its domain list, as Xen's would. */
static void sync_sample(KeysEnv *k)
{
    const DomainList *l = &k->env->fake.domains;
    size_t i;

    Sample_free(&k->sample);
    k->sample.num_cpus = 2;
    k->sample.tot_mem_kib = 8192 * 1024;
    k->sample.free_mem_kib = k->env->fake.free_mib * 1024;
    k->sample.wall_ns += 1000000000u;
    for (i = 0; i < l->count; i++) {
        DomainSample d;

        memset(&d, 0, sizeof d);
        d.id = l->items[i].id;
        snprintf(d.name, sizeof d.name, "%s", l->items[i].name);
        memcpy(d.state, l->items[i].state, sizeof d.state);
        d.vcpus = l->items[i].vcpus;
        d.mem_kib = l->items[i].memory_mib * 1024;
        /* Busier the higher the id, so that CPU sorting differs from ID. */
        d.cpu_ns = k->sample.wall_ns / 10 * (l->items[i].id % 3);
        assert_int_equal(Sample_add(&k->sample, &d), 0);
    }
    k->env->fake.samples = &k->sample;
    k->env->fake.sample_count = 1;
    k->env->fake.samples_taken = 0;
}

static void refresh(KeysEnv *k)
{
    sync_sample(k);
    View_refresh(&k->view);
}

static void press(KeysEnv *k, int key)
{
    Keys_dispatch(&k->view, key);
    if (k->view.stale)
        refresh(k);
}

static void type(KeysEnv *k, const char *text)
{
    for (; *text; text++)
        press(k, *text);
    press(k, KEYS_ENTER);
}

static int setup(void **state)
{
    KeysEnv *k = calloc(1, sizeof *k);
    TestEnv *env;

    assert_non_null(k);
    TestEnv_setup(state);
    env = *state;
    k->env = env;
    TestEnv_addImage(env, "debian", "NAME=debian\nMEMORY_MIB=256\n", true);
    TestEnv_addImage(env, "tiny", "NAME=tiny\nMEMORY_MIB=96\n", true);
    TestEnv_loadCatalog(env);
    View_init(&k->view, &env->fake.backend, &env->paths, &env->catalog);
    k->view.busy = on_busy;
    k->view.suspend = on_suspend;
    k->view.resume = on_resume;
    k->view.screen = k;
    *state = k;
    return 0;
}

static int teardown(void **state)
{
    KeysEnv *k = *state;
    void *env = k->env;

    View_free(&k->view);
    Sample_free(&k->sample);
    free(k);
    return TestEnv_teardown(&env);
}

static const char *selected(const KeysEnv *k)
{
    const DomainRow *r = View_selectedRow(&k->view);

    return r ? r->d->name : "(none)";
}

static void test_launch_keys(void **state)
{
    KeysEnv *k = *state;

    refresh(k);
    press(k, 't');
    assert_string_equal(k->view.status, "launched tiny-1 (pv, 96 MiB, 1 vCPU)");
    assert_int_equal(k->env->fake.creates, 1);
    assert_string_equal(k->busy_status, "launching tiny-1...");
    assert_string_equal(k->view.status, "launched tiny-1 (pv, 96 MiB, 1 vCPU)");
    assert_non_null(DomainList_find(&k->env->fake.domains, "tiny-1"));
    /* The refresh after it shows the new guest. */
    assert_int_equal(k->view.top.count, 2);

    /* Out of memory: the launch code's line, in the status line. */
    k->env->fake.free_mib = 50;
    press(k, 'd');
    assert_int_equal(k->env->fake.creates, 1);
    assert_string_equal(k->view.status,
                        "not enough memory for debian-1: needs 257 MiB, 50 MiB free");
    assert_int_equal(k->view.mode, VIEW_TABLE);

    /* An image not in the catalog: its error, and nothing created. */
    press(k, 'c');
    assert_int_equal(k->env->fake.creates, 1);
    assert_non_null(strstr(k->view.status, "centos"));
}

static void test_launch_many(void **state)
{
    KeysEnv *k = *state;

    refresh(k);
    k->env->fake.free_mib = 300; /* three tiny guests fit (the fake takes 96 MiB each), not four */
    press(k, 'L');
    assert_int_equal(k->view.mode, VIEW_ASK_IMAGE);
    assert_string_equal(k->view.question, "launch which image (debian, tiny)? ");
    type(k, "ti");
    assert_int_equal(k->view.mode, VIEW_ASK_COUNT);
    type(k, "5");
    assert_int_equal(k->view.mode, VIEW_TABLE);
    assert_int_equal(k->env->fake.creates, 3);
    assert_string_equal(k->view.status,
                        "launched 3 of 5 tiny guests; stopped: tiny-4 needs 97 MiB, 12 MiB free");
    assert_int_equal(k->busy, 4); /* "launching", then after each guest */

    /* Bad answers: said in the status, nothing launched. */
    press(k, 'L');
    type(k, "fedora");
    assert_string_equal(k->view.status, "launch: no available image 'fedora'");
    press(k, 'L');
    type(k, "tiny");
    type(k, "zero");
    assert_string_equal(k->view.status, "launch: 'zero' is not a count from 1 to 256");
    /* Escape cancels. */
    press(k, 'L');
    press(k, 't');
    press(k, KEYS_ESCAPE);
    assert_int_equal(k->view.mode, VIEW_TABLE);
    assert_string_equal(k->view.status, "cancelled");
    assert_int_equal(k->env->fake.creates, 3);
}

static void test_destroy_asks(void **state)
{
    KeysEnv *k = *state;

    BackendFake_addDomain(&k->env->fake, "tiny-1", 64);
    refresh(k);
    press(k, KEYS_DOWN);
    assert_string_equal(selected(k), "tiny-1");
    press(k, 'x');
    assert_int_equal(k->view.mode, VIEW_CONFIRM_DESTROY);
    assert_string_equal(k->view.question, "destroy tiny-1 at once? (y/n) ");
    press(k, 'n');
    assert_int_equal(k->env->fake.destroys, 0);
    assert_string_equal(k->view.status, "tiny-1 not destroyed");
    press(k, 'x');
    press(k, 'y');
    assert_int_equal(k->env->fake.destroys, 1);
    assert_null(DomainList_find(&k->env->fake.domains, "tiny-1"));
    assert_string_equal(k->view.status, "destroyed tiny-1");
    /* The selection falls back to the row that took its place. */
    assert_string_equal(selected(k), "Domain-0");
    /* dom0 is never a target. */
    press(k, 'x');
    assert_int_equal(k->view.mode, VIEW_TABLE);
    assert_string_equal(k->view.status, "destroy: not for Domain-0, dom0 runs this host");
    press(k, 's');
    assert_string_equal(k->env->fake.ops, "");
}

static void test_unknown_keys(void **state)
{
    KeysEnv *k = *state;
    char before[VIEW_STATUS_MAX];

    BackendFake_addDomain(&k->env->fake, "tiny-1", 64);
    refresh(k);
    View_setStatus(&k->view, "before");
    snprintf(before, sizeof before, "%s", k->view.status);
    press(k, 'Z');
    press(k, 0x10099);
    press(k, -1);
    assert_string_equal(k->view.status, before);
    assert_int_equal(k->view.mode, VIEW_TABLE);
    assert_false(k->view.quit);
    assert_int_equal(k->env->fake.creates + k->env->fake.destroys, 0);
    assert_string_equal(k->env->fake.ops, "");
    press(k, '?');
    assert_int_equal(k->view.mode, VIEW_HELP);
    press(k, 'x'); /* closes the help, destroys nothing */
    assert_int_equal(k->view.mode, VIEW_TABLE);
    press(k, 'q');
    assert_true(k->view.quit);
}

static void test_lifecycle_keys(void **state)
{
    KeysEnv *k = *state;

    BackendFake_addDomain(&k->env->fake, "tiny-1", 64);
    refresh(k);
    press(k, 'j');
    press(k, 'p');
    assert_string_equal(k->view.status, "paused tiny-1");
    assert_string_equal(k->view.top.rows[k->view.selected].d->state, "-bp---");
    press(k, 'p');
    assert_string_equal(k->view.status, "unpaused tiny-1");
    press(k, 's');
    assert_string_equal(k->view.status, "shutting down tiny-1");
    press(k, 'm');
    assert_string_equal(k->view.question, "memory for tiny-1 in MiB (now 64)? ");
    type(k, "128");
    assert_string_equal(k->view.status, "tiny-1: memory target 128 MiB");
    press(k, 'm');
    type(k, "lots");
    assert_string_equal(k->view.status, "memory: 'lots' is not a size in MiB");
    press(k, KEYS_ENTER);
    assert_int_equal(k->suspended, 1);
    assert_int_equal(k->resumed, 1);
    assert_string_equal(k->view.status, "back from tiny-1's console");
    assert_string_equal(k->env->fake.ops, "pause tiny-1\nunpause tiny-1\nshutdown tiny-1\n"
                                          "mem-set tiny-1 128\nconsole tiny-1\n");
    /* A failing xl: its line in the status, the view carries on. */
    k->env->fake.lifecycle_error = "xl: domain tiny-1 is not responding";
    press(k, 'p');
    assert_string_equal(k->view.status, "xl: domain tiny-1 is not responding");
    assert_false(k->view.quit);
}

/* The selected row's name is NAME, after moving down from the top. */
static void select_name(KeysEnv *k, const char *name)
{
    size_t i;

    for (i = 0; i < k->view.top.count && strcmp(selected(k), name) != 0; i++)
        press(k, KEYS_DOWN);
    assert_string_equal(selected(k), name);
}

static void test_save_restore(void **state)
{
    KeysEnv *k = *state;
    char path[PATH_MAX + 64];

    press(k, 'R');
    assert_string_equal(k->view.status, "restore: no saved guests (S saves the selected one)");
    k->env->fake.save_stops_domain = true;
    BackendFake_addDomain(&k->env->fake, "tiny-1", 64);
    BackendFake_addDomain(&k->env->fake, "tiny-2", 64);
    refresh(k);
    press(k, 'j');
    press(k, 'S');
    assert_string_equal(k->busy_status, "saving tiny-1...");
    assert_string_equal(k->view.status, "saved tiny-1 to RAM (R restores it)");
    snprintf(path, sizeof path, "%s/tiny-1.save", k->env->paths.saves);
    assert_true(Test_exists(path));
    /* tiny-1 is gone (xl save stops it): the selection is on tiny-2. */
    assert_string_equal(selected(k), "tiny-2");
    press(k, 'S');
    assert_string_equal(k->view.status, "saved tiny-2 to RAM (R restores it)");
    /* A new tiny-1 cannot be saved over the save: it would overwrite. */
    BackendFake_addDomain(&k->env->fake, "tiny-1", 64);
    refresh(k);
    select_name(k, "tiny-1");
    press(k, 'S');
    assert_string_equal(k->view.status, "tiny-1 is already saved in RAM; restore it first");
    assert_true(BackendFake_removeDomain(&k->env->fake, "tiny-1"));
    press(k, 'R');
    assert_string_equal(k->view.question, "restore which (tiny-1, tiny-2) [tiny-1]? ");
    type(k, "tiny-2");
    assert_string_equal(k->view.status, "restored tiny-2");
    press(k, 'R');
    type(k, ""); /* Enter: the first one */
    assert_string_equal(k->view.status, "restored tiny-1");
    assert_false(Test_exists(path));
    press(k, 'R');
    assert_int_equal(k->view.mode, VIEW_TABLE);
    assert_non_null(strstr(k->env->fake.ops, "restore "));
}


/* W saves every guest, as xenlive save --all; the header says where. */
static void test_save_all_key(void **state)
{
    KeysEnv *k = *state;
    char path[PATH_MAX + 64];
    char err[256];

    refresh(k);
    assert_string_equal(k->view.saves_where, "saves: RAM");
    press(k, 'W');
    assert_string_equal(k->view.status, "no guests to save");
    k->env->fake.save_stops_domain = true;
    BackendFake_addDomain(&k->env->fake, "tiny-1", 64);
    BackendFake_addDomain(&k->env->fake, "tiny-2", 64);
    refresh(k);
    press(k, 'W');
    assert_string_equal(k->view.status, "saved 2 guests (R restores them)");
    assert_int_equal(k->view.top.count, 1); /* Domain-0 only */
    snprintf(path, sizeof path, "%s/tiny-2.save", k->env->paths.saves);
    assert_true(Test_exists(path));
    /* A data volume: the header says so, and where its space is. */
    assert_int_equal(Util_mkdirs(k->env->paths.run, err, sizeof err), 0);
    Test_writeFile(k->env->paths.data, "DEVICE=/dev/sdb1\nFSTYPE=ext4\nMOUNT=/mnt/x\n");
    k->env->fake.fs_free = 777;
    refresh(k);
    assert_string_equal(k->view.saves_where, "saves: disk /dev/sdb1, 777 MiB free");
    /* A failure is named in the status line. */
    BackendFake_addDomain(&k->env->fake, "tiny-3", 64);
    refresh(k);
    k->env->fake.fs_free = 10;
    press(k, 'W');
    assert_non_null(strstr(k->view.status, "1 of 1 guests were not saved; last: not enough space"));
}

/* This machine, answering xenlive peer ... as cmd_peer.c does. */
static int same_machine(BackendFake *f, const char *host, const char *password,
                        bool accept_new, const char *command, const char *input, char *out,
                        size_t outlen)
{
    KeysEnv *k = f->remote_data;
    char verb[16] = "";
    char a[64] = "";
    char b[64] = "";
    char err[256] = "";
    Status st = STATUS_ERROR;

    (void)password;
    (void)accept_new;
    assert_string_equal(host, "localhost");
    sscanf(command, "xenlive peer %15s %63s %63s", verb, a, b);
    out[0] = '\0';
    if (strcmp(verb, "info") == 0)
        st = Migrate_info(&k->env->fake.backend, &k->env->paths, a, b, out, outlen,
                          err, sizeof err);
    else if (strcmp(verb, "take") == 0)
        st = Migrate_take(&k->env->fake.backend, &k->env->paths, a, input, err, sizeof err);
    else if (strcmp(verb, "done") == 0)
        st = Migrate_done(&k->env->paths, a, err, sizeof err);
    else if (strcmp(verb, "drop") == 0)
        st = Migrate_drop(&k->env->fake.backend, &k->env->paths, a, err, sizeof err);
    return st;
}

static void arrives_here(BackendFake *f, const char *name, const char *remote_cfg)
{
    const char *base = strrchr(remote_cfg, '/') + 1;
    char new_name[64];

    (void)name;
    snprintf(new_name, sizeof new_name, "%.*s", (int)(strlen(base) - 4), base);
    BackendFake_addDomain(f, new_name, 96);
}

/* M moves the selected guest (here: to localhost, as xenlive migrate). */
static void test_move_key(void **state)
{
    KeysEnv *k = *state;
    char conf[PATH_MAX + 32];
    char err[256];

    snprintf(conf, sizeof conf, "%s/tiny/image.conf", k->env->paths.images);
    Test_writeFile(conf, "NAME=tiny\nMEMORY_MIB=96\nSHA256=abcd\n");
    k->env->fake.remote_handler = same_machine;
    k->env->fake.remote_data = k;
    k->env->fake.send_hook = arrives_here;
    BackendFake_addDomain(&k->env->fake, "tiny-1", 96);
    assert_int_equal(Util_mkdirs(k->env->paths.domains, err, sizeof err), 0);
    Test_writeFile(TestEnv_cfg(k->env, "tiny-1"), "name = \"tiny-1\"\ntype = \"pv\"\n");
    refresh(k);
    select_name(k, "tiny-1");
    press(k, 'M');
    assert_string_equal(k->view.question, "move tiny-1 to (localhost) [localhost]? ");
    type(k, "");
    assert_string_equal(k->busy_status, "moving tiny-1 to localhost as tiny-2 (suspend and move)...");
    assert_string_equal(k->view.status,
                        "moved tiny-1 to localhost as tiny-2 in 1.5 s (suspend and move: paused 1.5 s)");
    assert_string_equal(selected(k), "tiny-2"); /* tiny-1's row left, tiny-2 took its place */
    assert_false(Test_exists(TestEnv_cfg(k->env, "tiny-1")));
    assert_true(Test_exists(TestEnv_cfg(k->env, "tiny-2")));
    /* Unpaired: one line in the status. */
    press(k, 'M');
    type(k, "pc7");
    assert_string_equal(k->view.status, "pc7 is not paired: xenlive pair pc7 first");
}

static void test_shutdown_frees_the_name(void **state)
{
    KeysEnv *k = *state;

    refresh(k);
    press(k, 't');
    assert_string_equal(k->view.status, "launched tiny-1 (pv, 96 MiB, 1 vCPU)");
    select_name(k, "tiny-1");
    /* s does not wait: the guest is still going down, its config stays. */
    press(k, 's');
    assert_string_equal(k->view.status, "shutting down tiny-1");
    assert_string_equal(k->env->fake.ops, "shutdown tiny-1\n");
    assert_true(Test_exists(TestEnv_cfg(k->env, "tiny-1")));
    /* It is gone a little later (xl's monitor destroys it); the next
     * launch takes its name. */
    assert_true(BackendFake_removeDomain(&k->env->fake, "tiny-1"));
    press(k, 't');
    assert_string_equal(k->busy_status, "launching tiny-1...");
    assert_string_equal(k->view.status, "launched tiny-1 (pv, 96 MiB, 1 vCPU)");
    assert_int_equal(k->env->fake.creates, 2);
}

static void test_refresh_reaps_a_guest_gone_by_itself(void **state)
{
    KeysEnv *k = *state;

    refresh(k);
    press(k, 't');
    press(k, 't');
    assert_true(Test_exists(TestEnv_cfg(k->env, "tiny-2")));
    /* tiny-1 ran poweroff inside (or crashed): no key was pressed. */
    assert_true(BackendFake_removeDomain(&k->env->fake, "tiny-1"));
    refresh(k);
    assert_false(Test_exists(TestEnv_cfg(k->env, "tiny-1")));
    assert_true(Test_exists(TestEnv_cfg(k->env, "tiny-2")));
    press(k, 't');
    assert_string_equal(k->view.status, "launched tiny-1 (pv, 96 MiB, 1 vCPU)");
}

static void test_saved_name_is_not_reused(void **state)
{
    KeysEnv *k = *state;

    k->env->fake.save_stops_domain = true;
    refresh(k);
    press(k, 't');
    select_name(k, "tiny-1");
    press(k, 'S');
    assert_string_equal(k->view.status, "saved tiny-1 to RAM (R restores it)");
    assert_null(DomainList_find(&k->env->fake.domains, "tiny-1"));
    /* As xenlive save: its config goes with the domain. */
    assert_false(Test_exists(TestEnv_cfg(k->env, "tiny-1")));
    refresh(k);
    press(k, 't');
    assert_string_equal(k->view.status, "launched tiny-2 (pv, 96 MiB, 1 vCPU)");
    /* Restored, it has its name back. */
    press(k, 'R');
    type(k, "");
    assert_string_equal(k->view.status, "restored tiny-1");
}

static void test_selection_follows_name(void **state)
{
    KeysEnv *k = *state;
    size_t cpu;

    BackendFake_addDomain(&k->env->fake, "tiny-1", 64);   /* id 1 */
    BackendFake_addDomain(&k->env->fake, "debian-1", 256); /* id 2, the busiest */
    BackendFake_addDomain(&k->env->fake, "tiny-2", 64);   /* id 3 */
    refresh(k);
    refresh(k); /* a second sample: CPU rates */
    press(k, KEYS_DOWN);
    press(k, KEYS_DOWN);
    press(k, KEYS_DOWN);
    press(k, KEYS_DOWN); /* stops at the last */
    assert_string_equal(selected(k), "tiny-2");
    press(k, KEYS_UP);
    assert_string_equal(selected(k), "debian-1");
    /* Sort by CPU(%), descending: debian-1 moves to the top, and stays selected. */
    for (cpu = 0; strcmp(Layout_column(k->view.sort)->header, "CPU(%)") != 0; cpu++)
        press(k, '>');
    press(k, 'r');
    assert_string_equal(k->view.status, "sorted by CPU(%), descending");
    assert_string_equal(k->view.top.rows[0].d->name, "debian-1");
    assert_int_equal(k->view.selected, 0);
    assert_string_equal(selected(k), "debian-1");
    /* Across a refresh, too. */
    refresh(k);
    assert_string_equal(selected(k), "debian-1");
    /* '<' from the first column wraps to the last. */
    k->view.sort = 0;
    press(k, '<');
    assert_int_equal(k->view.sort, Layout_count() - 1);
    (void)cpu;
}

static void test_find_row(void **state)
{
    Top t = {0};
    DomainSample d[2];
    DomainRow rows[2];

    (void)state;
    memset(d, 0, sizeof d);
    memset(rows, 0, sizeof rows);
    snprintf(d[0].name, sizeof d[0].name, "a");
    snprintf(d[1].name, sizeof d[1].name, "b");
    rows[0].d = &d[0];
    rows[1].d = &d[1];
    assert_int_equal(View_findRow(&t, "a", 5), 0); /* no rows */
    t.rows = rows;
    t.count = 2;
    assert_int_equal(View_findRow(&t, "b", 0), 1);
    assert_int_equal(View_findRow(&t, "gone", 1), 1);
    assert_int_equal(View_findRow(&t, "gone", 7), 1);
    assert_int_equal(View_findRow(&t, "", 0), 0);
}

static void test_footer(void **state)
{
    char footer[512];
    size_t i;
    size_t j;

    (void)state;
    Keys_footer(footer, sizeof footer);
    assert_non_null(strstr(footer, "d Debian"));
    assert_non_null(strstr(footer, "Enter console"));
    assert_non_null(strstr(footer, "q quit"));
    /* One key, one meaning. */
    for (i = 0; i < Keys_count; i++) {
        assert_non_null(Keys_all[i].help);
        for (j = i + 1; j < Keys_count; j++)
            assert_int_not_equal(Keys_all[i].key, Keys_all[j].key);
    }
}

#define KEYS_TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        KEYS_TEST(test_launch_keys),
        KEYS_TEST(test_launch_many),
        KEYS_TEST(test_destroy_asks),
        KEYS_TEST(test_unknown_keys),
        KEYS_TEST(test_lifecycle_keys),
        KEYS_TEST(test_save_restore),
        KEYS_TEST(test_save_all_key),
        KEYS_TEST(test_move_key),
        KEYS_TEST(test_shutdown_frees_the_name),
        KEYS_TEST(test_refresh_reaps_a_guest_gone_by_itself),
        KEYS_TEST(test_saved_name_is_not_reused),
        KEYS_TEST(test_selection_follows_name),
        cmocka_unit_test(test_find_row),
        cmocka_unit_test(test_footer),
    };

    return cmocka_run_group_tests_name("ui_keys", tests, NULL, NULL);
}
