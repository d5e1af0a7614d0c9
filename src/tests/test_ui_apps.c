/* test_ui_apps.c: the TUI's a, A and o keys (keys_apps.c) with the fake
 * backend and a fake dbclient first in PATH (as in test_apps.c): the
 * outcome in the status line, the view never quits. */
#include "keys.h"
#include "testutil.h"
#include "view.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#define KEY_A "AAAAC3NzaC1lZDI1NTE5AAAAIGZha2Uga2V5IGZvciB4ZW5saXZlIHVuaXQgdGVzdHMh"

static const char fake_dbclient[] =
    "#!/bin/sh\n"
    "printf '%s\\n' \"$*\" >>\"$APPS_TEST_DIR/dbclient.calls\"\n"
    "for a; do line=$a; done\n"
    "case \" $* \" in *' root@tiny-2 '*) echo 'dbclient: Connection refused' >&2; exit 255 ;; esac\n"
    "case $line in root@*) exit 0 ;; esac\n" /* o: an interactive shell, left at once */
    "line=$(printf '%s' \"$line\" | sed \"s|'/run/|'$APPS_TEST_DIR/|g\")\n"
    "exec sh -c \"$line\"\n";

typedef struct UiEnv {
    TestEnv *env;
    View view;
    Sample sample;
    unsigned suspended, resumed, busy;
} UiEnv;

static void on_busy(View *v) { ((UiEnv *)v->screen)->busy++; }
static void on_suspend(View *v) { ((UiEnv *)v->screen)->suspended++; }
static void on_resume(View *v) { ((UiEnv *)v->screen)->resumed++; }

static void refresh(UiEnv *u)
{
    const DomainList *l = &u->env->fake.domains;
    size_t i;

    Sample_free(&u->sample);
    u->sample.num_cpus = 1;
    u->sample.tot_mem_kib = 4096 * 1024;
    u->sample.wall_ns += 1000000000u;
    for (i = 0; i < l->count; i++) {
        DomainSample d;
        memset(&d, 0, sizeof d);
        d.id = l->items[i].id;
        snprintf(d.name, sizeof d.name, "%s", l->items[i].name);
        memcpy(d.state, l->items[i].state, sizeof d.state);
        d.mem_kib = l->items[i].memory_mib * 1024;
        assert_int_equal(Sample_add(&u->sample, &d), 0);
    }
    u->env->fake.samples = &u->sample;
    u->env->fake.sample_count = 1;
    View_refresh(&u->view);
}

static void press(UiEnv *u, int key)
{
    Keys_dispatch(&u->view, key);
    if (u->view.stale)
        refresh(u);
}

static void type(UiEnv *u, const char *text)
{
    for (; *text; text++)
        press(u, *text);
    press(u, KEYS_ENTER);
}

static void host_key(TestEnv *env, const char *name)
{
    char log[PATH_MAX];

    assert_int_equal(Paths_consoleLog(&env->paths, name, log, sizeof log), 0);
    Test_writeFile(log, "xenlive-guest hostkey: ssh-ed25519 " KEY_A "\n");
}

static char *wait_for(TestEnv *env, const char *name)
{
    char path[PATH_MAX + 32];
    int i;

    snprintf(path, sizeof path, "%s/%s", env->root, name);
    for (i = 0; i < 200; i++) {
        char *text = Test_readFile(path);
        if (text && strchr(text, '\n'))
            return text;
        free(text);
        usleep(20000);
    }
    fail_msg("%s never appeared", name);
    return NULL;
}

static int setup(void **state)
{
    UiEnv *u = calloc(1, sizeof *u);
    char path[PATH_MAX + 64], newpath[2 * PATH_MAX];
    TestEnv *env;

    assert_non_null(u);
    assert_int_equal(TestEnv_setup(state), 0);
    env = u->env = *state;
    snprintf(path, sizeof path, "%s/bin", env->root);
    assert_int_equal(mkdir(path, 0755), 0);
    snprintf(path, sizeof path, "%s/bin/dbclient", env->root);
    Test_writeFile(path, fake_dbclient);
    assert_int_equal(chmod(path, 0755), 0);
    snprintf(newpath, sizeof newpath, "%s/bin:%s", env->root, getenv("PATH"));
    setenv("PATH", newpath, 1);
    setenv("APPS_TEST_DIR", env->root, 1);
    TestEnv_addImage(env, "tiny", "NAME=tiny\nMEMORY_MIB=96\n", true);
    TestEnv_addImage(env, "debian", "NAME=debian\nMEMORY_MIB=256\n", true);
    snprintf(path, sizeof path, "%s/tiny/apps", env->paths.images);
    Test_writeFile(path, "burn|burns|echo \"$0 $*\" >>\"$APPS_TEST_DIR/burn.out\"\n");
    TestEnv_loadCatalog(env);
    BackendFake_addDomain(&env->fake, "tiny-1", 96);
    BackendFake_addDomain(&env->fake, "tiny-2", 96);
    View_init(&u->view, &env->fake.backend, &env->paths, &env->catalog);
    u->view.busy = on_busy;
    u->view.suspend = on_suspend;
    u->view.resume = on_resume;
    u->view.screen = u;
    refresh(u);
    *state = u;
    return 0;
}

static int teardown(void **state)
{
    UiEnv *u = *state;
    void *env = u->env;

    View_free(&u->view);
    Sample_free(&u->sample);
    free(u);
    return TestEnv_teardown(&env);
}

static void select_guest(UiEnv *u, const char *name)
{
    size_t i;

    for (i = 0; i < 4; i++)
        press(u, 'k');
    for (i = 0; i < 4; i++) {
        const DomainRow *r = View_selectedRow(&u->view);
        if (r && strcmp(r->d->name, name) == 0)
            return;
        press(u, 'j');
    }
    fail_msg("cannot select %s", name);
}

static void test_a_starts_an_application(void **state)
{
    UiEnv *u = *state;
    char *out;

    select_guest(u, "tiny-1");
    /* Not up yet: one line, nothing asked of dbclient. */
    press(u, 'a');
    assert_string_equal(u->view.question, "run in tiny-1 (burn, !COMMAND)? ");
    type(u, "burn");
    assert_string_equal(u->view.status,
                        "tiny-1 has not printed its SSH host key yet (is it still booting?)");
    host_key(u->env, "tiny-1");
    press(u, 'a');
    type(u, "nope");
    assert_string_equal(u->view.status, "no application nope for tiny (it has: burn)");
    press(u, 'a');
    type(u, "burn 20");
    assert_non_null(strstr(u->view.status, "tiny-1: burn started, pid "));
    out = wait_for(u->env, "burn.out");
    assert_string_equal(out, "burn 20\n");
    free(out);
    press(u, 'a');
    type(u, "!echo typed >\"$APPS_TEST_DIR/typed.out\"");
    assert_non_null(strstr(u->view.status, "tiny-1: command started, pid "));
    out = wait_for(u->env, "typed.out");
    assert_string_equal(out, "typed\n");
    free(out);
    /* Dom0 is refused. */
    select_guest(u, "Domain-0");
    press(u, 'a');
    assert_string_equal(u->view.status, "app: not for Domain-0, dom0 runs this host");
    assert_false(u->view.quit);
}

static void test_A_starts_it_on_every_guest_of_an_image(void **state)
{
    UiEnv *u = *state;
    char *out;

    host_key(u->env, "tiny-1");
    host_key(u->env, "tiny-2");
    press(u, 'A');
    type(u, "ti");
    assert_string_equal(u->view.question, "run on every tiny guest (burn)? ");
    type(u, "burn 7");
    assert_string_equal(u->view.status,
                        "burn started on 1 of 2 tiny guests (1 of 2 tiny guests failed)");
    out = wait_for(u->env, "burn.out");
    assert_string_equal(out, "burn 7\n");
    free(out);
    press(u, 'A');
    type(u, "debian");
    assert_string_equal(u->view.question, "run on every debian guest (none)? ");
    type(u, "burn");
    assert_string_equal(u->view.status, "no running debian guests");
    assert_false(u->view.quit);
}

static void test_o_opens_a_shell_and_comes_back(void **state)
{
    UiEnv *u = *state;
    char *calls;
    char path[PATH_MAX + 32];

    select_guest(u, "tiny-1");
    host_key(u->env, "tiny-1");
    press(u, 'o');
    assert_int_equal(u->suspended, 1);
    assert_int_equal(u->resumed, 1);
    assert_string_equal(u->view.status, "back from tiny-1's shell");
    snprintf(path, sizeof path, "%s/dbclient.calls", u->env->root);
    calls = Test_readFile(path);
    assert_non_null(calls);
    assert_non_null(strstr(calls, "root@tiny-1\n"));
    free(calls);
    select_guest(u, "tiny-2");
    host_key(u->env, "tiny-2");
    press(u, 'o');
    assert_string_equal(u->view.status, "tiny-2: the SSH connection failed");
    assert_int_equal(u->resumed, 2);
    assert_false(u->view.quit);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_a_starts_an_application),
        T(test_A_starts_it_on_every_guest_of_an_image),
        T(test_o_opens_a_shell_and_comes_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
