/* test_apps.c: applications in guests (xenlive run, exec, the TUI's a and
 * A) against a fake dbclient first in PATH: it records its arguments and
 * runs the remote command line here, as the guest's shell would (the
 * guest's /run becomes the test's folder); for root@tiny-2 it fails as
 * dbclient does when the guest refuses the key. */
#include "apps.h"
#include "testutil.h"

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
    "for a; do host=$line; line=$a; done\n"
    "case $host in\n"
    "  root@tiny-2) echo 'dbclient: Connection to root@tiny-2:22 exited: No auth methods could be used.' >&2; exit 255 ;;\n"
    "esac\n"
    "line=$(printf '%s' \"$line\" | sed \"s|'/run/|'$APPS_TEST_DIR/|g\")\n"
    "exec sh -c \"$line\"\n";

static const char apps[] =
    "# test applications\n"
    "\n"
    "hello|writes its name and arguments|printf '%s\\n' \"$0\" \"$@\" >\"$APPS_TEST_DIR/hello.out\"\n"
    "fail|prints and fails|echo oops; exit 3\n";

static void with_host_key(TestEnv *env, const char *name)
{
    char log[PATH_MAX];

    assert_int_equal(Paths_consoleLog(&env->paths, name, log, sizeof log), 0);
    Test_writeFile(log, "xenlive-guest hostkey: ssh-ed25519 " KEY_A "\n");
}

static int setup(void **state)
{
    TestEnv *env;
    char path[PATH_MAX + 64], newpath[2 * PATH_MAX];

    assert_int_equal(TestEnv_setup(state), 0);
    env = *state;
    snprintf(path, sizeof path, "%s/bin", env->root);
    assert_int_equal(mkdir(path, 0755), 0);
    snprintf(path, sizeof path, "%s/bin/dbclient", env->root);
    Test_writeFile(path, fake_dbclient);
    assert_int_equal(chmod(path, 0755), 0);
    snprintf(newpath, sizeof newpath, "%s/bin:%s", env->root, getenv("PATH"));
    setenv("PATH", newpath, 1);
    setenv("APPS_TEST_DIR", env->root, 1);
    TestEnv_addImage(env, "tiny", "NAME=tiny\nMEMORY_MIB=96\n", true);
    snprintf(path, sizeof path, "%s/tiny/apps", env->paths.images);
    Test_writeFile(path, apps);
    BackendFake_addDomain(&env->fake, "tiny-1", 96);
    BackendFake_addDomain(&env->fake, "tiny-2", 96);
    BackendFake_addDomain(&env->fake, "debian-1", 256);
    return 0;
}

static char *calls(TestEnv *env)
{
    char path[PATH_MAX + 32];

    snprintf(path, sizeof path, "%s/dbclient.calls", env->root);
    return Test_readFile(path);
}

/* The file a detached application writes, once it is there (it runs on
 * its own after Apps_run returns). */
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

static void test_the_images_list_their_applications(void **state)
{
    static const char *const images[] = {"tiny", "debian"};
    static const char *const names[] = {"web", "cpu-burn", "mem-fill"};
    Paths p;
    size_t i, j;

    (void)state;
    memset(&p, 0, sizeof p);
    snprintf(p.images, sizeof p.images, "../guest-images");
    for (i = 0; i < 2; i++) {
        AppList l;
        char err[256] = "";
        assert_int_equal(Apps_load(&p, images[i], &l, err, sizeof err), STATUS_OK);
        for (j = 0; j < 3; j++) {
            if (!Apps_find(&l, names[j]))
                fail_msg("%s has no %s", images[i], names[j]);
        }
        AppList_free(&l);
    }
}

static void test_load_rejects_bad_lines(void **state)
{
    TestEnv *env = *state;
    char path[PATH_MAX + 32], err[256] = "";
    AppList l;

    snprintf(path, sizeof path, "%s/tiny/apps", env->paths.images);
    Test_writeFile(path, "ok|fine|true\nbroken line\n");
    assert_int_equal(Apps_load(&env->paths, "tiny", &l, err, sizeof err), STATUS_ERROR);
    assert_string_equal(err, "tiny/apps line 2: not NAME|DESCRIPTION|COMMAND");
    Test_writeFile(path, "Bad Name|x|true\n");
    assert_int_equal(Apps_load(&env->paths, "tiny", &l, err, sizeof err), STATUS_ERROR);
    assert_string_equal(err, "tiny/apps line 1: bad application name 'Bad Name'");
    /* An image folder without an apps file: no applications. */
    snprintf(path, sizeof path, "%s/debian", env->paths.images);
    assert_int_equal(mkdir(path, 0755), 0);
    assert_int_equal(Apps_load(&env->paths, "debian", &l, err, sizeof err), STATUS_OK);
    assert_int_equal(l.count, 0);
    /* No such image, and a path: refused, even with a good apps file
     * planted where "../outside" would lead. */
    assert_int_equal(Apps_load(&env->paths, "nosuch", &l, err, sizeof err), STATUS_ERROR);
    assert_string_equal(err, "no image named nosuch");
    snprintf(path, sizeof path, "%s/../outside", env->paths.images);
    assert_int_equal(mkdir(path, 0755), 0);
    strncat(path, "/apps", sizeof path - strlen(path) - 1);
    Test_writeFile(path, "ok|fine|true\n");
    assert_int_equal(Apps_load(&env->paths, "../outside", &l, err, sizeof err), STATUS_ERROR);
    assert_string_equal(err, "no image named ../outside");
}

static void test_detach_line(void **state)
{
    char line[1024], err[256];
    char *args[] = {"it's", "2"};

    (void)state;
    assert_int_equal(Apps_detachLine("mem-fill", "f $1", args, 2, "/run", line, sizeof line, err,
                                     sizeof err),
                     STATUS_OK);
    assert_string_equal(line, "cd / && setsid sh -c 'f $1' 'mem-fill' 'it'\\''s' '2' </dev/null "
                              ">'/run/xenlive-app-mem-fill.log' 2>&1 & echo $!");
    assert_int_equal(Apps_detachLine("x", "y", NULL, 0, "/run", line, 40, err, sizeof err),
                     STATUS_ERROR);
}

static void test_run_starts_the_application(void **state)
{
    TestEnv *env = *state;
    char *args[] = {"it's 20", "$(reboot)"};
    char err[512] = "";
    long pid = 0;
    char *out;

    with_host_key(env, "tiny-1");
    assert_int_equal(Apps_run(&env->fake.backend, &env->paths, "tiny-1", "hello", args, 2, &pid,
                              err, sizeof err),
                     STATUS_OK);
    assert_true(pid > 1);
    /* $0 is the application's name; the arguments arrive whole, unexpanded. */
    out = wait_for(env, "hello.out");
    assert_string_equal(out, "hello\nit's 20\n$(reboot)\n");
    free(out);
    out = calls(env);
    assert_non_null(strstr(out, "root@tiny-1 cd / && setsid sh -c "));
    free(out);
}

static void test_run_a_command(void **state)
{
    TestEnv *env = *state;
    char *words[] = {"sh", "-c", "echo \"$0\" >\"$APPS_TEST_DIR/cmd.out\"", "a b"};
    char err[512] = "";
    long pid = 0;
    char *out;

    with_host_key(env, "tiny-1");
    assert_int_equal(Apps_run(&env->fake.backend, &env->paths, "tiny-1", NULL, words, 4, &pid,
                              err, sizeof err),
                     STATUS_OK);
    out = wait_for(env, "cmd.out");
    assert_string_equal(out, "a b\n");
    free(out);
}

static void test_run_refusals_are_one_line(void **state)
{
    TestEnv *env = *state;
    char err[512] = "";
    long pid = 0;
    char *out;

    /* Not up yet: no host key on its console; dbclient is not even run. */
    assert_int_equal(Apps_run(&env->fake.backend, &env->paths, "tiny-1", "hello", NULL, 0, &pid,
                              err, sizeof err),
                     STATUS_ERROR);
    assert_string_equal(err, "tiny-1 has not printed its SSH host key yet (is it still booting?)");
    assert_null(calls(env));
    /* An unknown application. */
    with_host_key(env, "tiny-1");
    assert_int_equal(Apps_run(&env->fake.backend, &env->paths, "tiny-1", "nope", NULL, 0, &pid,
                              err, sizeof err),
                     STATUS_ERROR);
    assert_string_equal(err, "no application nope for tiny (it has: hello, fail)");
    /* A guest that refuses. */
    with_host_key(env, "tiny-2");
    assert_int_equal(Apps_run(&env->fake.backend, &env->paths, "tiny-2", "hello", NULL, 0, &pid,
                              err, sizeof err),
                     STATUS_ERROR);
    assert_string_equal(err, "tiny-2 refused: dbclient: Connection to root@tiny-2:22 exited: "
                             "No auth methods could be used.");
    /* Unknown guest. */
    assert_int_equal(Apps_run(&env->fake.backend, &env->paths, "tiny-9", "hello", NULL, 0, &pid,
                              err, sizeof err),
                     STATUS_ERROR);
    assert_string_equal(err, "no domain named tiny-9");
    out = calls(env);
    assert_non_null(out);
    assert_null(strstr(out, "tiny-9"));
    free(out);
}

typedef struct Seen {
    char lines[1024];
} Seen;

static void on_guest(const char *name, Status st, long pid, const char *error, void *data)
{
    Seen *s = data;
    size_t used = strlen(s->lines);

    snprintf(s->lines + used, sizeof s->lines - used, "%s %s\n", name,
             st == STATUS_OK ? (pid > 1 ? "ok" : "bad pid") : error);
}

static void test_run_on_every_guest_of_an_image(void **state)
{
    TestEnv *env = *state;
    Seen seen = {""};
    unsigned started = 9;
    char err[512] = "";

    with_host_key(env, "tiny-1");
    with_host_key(env, "tiny-2");
    assert_int_equal(Apps_runImage(&env->fake.backend, &env->paths, "tiny", "hello", NULL, 0,
                                   on_guest, &seen, &started, err, sizeof err),
                     STATUS_ERROR);
    assert_string_equal(seen.lines, "tiny-1 ok\ntiny-2 tiny-2 refused: dbclient: Connection to "
                                    "root@tiny-2:22 exited: No auth methods could be used.\n");
    assert_int_equal(started, 1);
    assert_string_equal(err, "1 of 2 tiny guests failed");
    assert_int_equal(Apps_runImage(&env->fake.backend, &env->paths, "centos", "hello", NULL, 0,
                                   on_guest, &seen, &started, err, sizeof err),
                     STATUS_ERROR);
    assert_string_equal(err, "no running centos guests");
}

static void test_exec_returns_output_and_status(void **state)
{
    TestEnv *env = *state;
    char *words[] = {"sh", "-c", "echo out; echo err >&2; exit 3"};
    char err[512] = "";
    char *out = NULL;
    int status = -1;

    with_host_key(env, "tiny-1");
    assert_int_equal(Apps_exec(&env->fake.backend, &env->paths, "tiny-1", words, 3, &out,
                               &status, err, sizeof err),
                     STATUS_OK);
    assert_string_equal(out, "out\nerr\n");
    assert_int_equal(status, 3);
    free(out);
    /* dbclient's own failure is its status, 255, and its message. */
    with_host_key(env, "tiny-2");
    assert_int_equal(Apps_exec(&env->fake.backend, &env->paths, "tiny-2", words, 3, &out,
                               &status, err, sizeof err),
                     STATUS_OK);
    assert_int_equal(status, 255);
    assert_non_null(strstr(out, "No auth methods"));
    free(out);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, TestEnv_teardown)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_images_list_their_applications),
        T(test_load_rejects_bad_lines),
        T(test_detach_line),
        T(test_run_starts_the_application),
        T(test_run_a_command),
        T(test_run_refusals_are_one_line),
        T(test_run_on_every_guest_of_an_image),
        T(test_exec_returns_output_and_status),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
