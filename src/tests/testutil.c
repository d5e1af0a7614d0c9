/* testutil.c: temporary folders and files for the unit tests. */
#include "testutil.h"

#include "util.h"

#include <dirent.h>
#include <ftw.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

static int Test_removeOne(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

int TestEnv_setup(void **state)
{
    TestEnv *env = calloc(1, sizeof *env);
    char images[PATH_MAX + 16];
    char guest[PATH_MAX + 16];
    char run[PATH_MAX + 16];
    char ssh[PATH_MAX + 16];
    char console[PATH_MAX + 16];
    char path[PATH_MAX + 32];
    char err[256];

    assert_non_null(env);
    snprintf(env->root, sizeof env->root, "/tmp/xenlive-test.XXXXXX");
    assert_non_null(mkdtemp(env->root));
    snprintf(images, sizeof images, "%s/images", env->root);
    snprintf(guest, sizeof guest, "%s/guest", env->root);
    snprintf(run, sizeof run, "%s/run", env->root);
    snprintf(ssh, sizeof ssh, "%s/ssh", env->root);
    snprintf(console, sizeof console, "%s/console", env->root);
    assert_int_equal(Util_mkdirs(images, err, sizeof err), 0);
    assert_int_equal(Util_mkdirs(guest, err, sizeof err), 0);
    assert_int_equal(Util_mkdirs(console, err, sizeof err), 0);
    /* ROOT/run and ROOT/ssh do not exist yet: xenlive creates them. */
    assert_int_equal(Paths_init(&env->paths, images, guest, run, ssh, console), 0);
    snprintf(path, sizeof path, "%s/vmlinux", guest);
    Test_writeFile(path, "\177ELF");
    snprintf(path, sizeof path, "%s/initrd.img", guest);
    Test_writeFile(path, "initrd");
    BackendFake_init(&env->fake);
    *state = env;
    return 0;
}

int TestEnv_teardown(void **state)
{
    TestEnv *env = *state;

    BackendFake_done(&env->fake);
    Catalog_free(&env->catalog);
    nftw(env->root, Test_removeOne, 16, FTW_DEPTH | FTW_PHYS);
    free(env);
    return 0;
}

void TestEnv_addImage(TestEnv *env, const char *name, const char *conf, bool with_rootfs)
{
    char path[PATH_MAX + 64];
    char err[256];

    snprintf(path, sizeof path, "%s/%s", env->paths.images, name);
    assert_int_equal(Util_mkdirs(path, err, sizeof err), 0);
    snprintf(path, sizeof path, "%s/%s/image.conf", env->paths.images, name);
    Test_writeFile(path, conf);
    if (with_rootfs) {
        snprintf(path, sizeof path, "%s/%s/rootfs.squashfs", env->paths.images, name);
        Test_writeFile(path, "hsqs");
    }
}

void TestEnv_loadCatalog(TestEnv *env)
{
    char err[512] = "";

    Catalog_free(&env->catalog);
    if (Catalog_load(&env->catalog, env->paths.images, err, sizeof err) < 0)
        fail_msg("Catalog_load: %s", err);
}

const char *TestEnv_cfg(TestEnv *env, const char *name)
{
    static char path[PATH_MAX];

    assert_int_equal(Paths_cfg(&env->paths, name, path, sizeof path), 0);
    return path;
}

void Test_writeFile(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

char *Test_readFile(const char *path)
{
    FILE *f = fopen(path, "r");
    char *text = NULL;
    size_t len = 0;
    FILE *mem;
    int c;

    if (!f)
        return NULL;
    mem = open_memstream(&text, &len);
    assert_non_null(mem);
    while ((c = fgetc(f)) != EOF)
        fputc(c, mem);
    fclose(f);
    fclose(mem);
    return text;
}

bool Test_exists(const char *path)
{
    return access(path, F_OK) == 0;
}

int Test_countFiles(const char *dir)
{
    DIR *d = opendir(dir);
    const struct dirent *e;
    int n = 0;

    if (!d)
        return 0;
    while ((e = readdir(d))) {
        if (e->d_name[0] != '.')
            n++;
    }
    closedir(d);
    return n;
}

FILE *Test_memOpen(TestMem *m)
{
    m->text = NULL;
    m->len = 0;
    m->f = open_memstream(&m->text, &m->len);
    assert_non_null(m->f);
    return m->f;
}

const char *Test_memText(TestMem *m)
{
    if (m->f) {
        fclose(m->f);
        m->f = NULL;
    }
    return m->text;
}

void Test_memFree(TestMem *m)
{
    Test_memText(m);
    free(m->text);
    m->text = NULL;
}
