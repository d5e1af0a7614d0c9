/* testutil.h: temporary folders and files for the unit tests, and an
 * environment (catalog folder, guest kernel, run folder, fake backend)
 * that cmocka setup/teardown functions create and remove. */
#ifndef XENLIVE_TESTUTIL_H
#define XENLIVE_TESTUTIL_H

#include "backend_fake.h"
#include "catalog.h"
#include "paths.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>

typedef struct TestEnv {
    char root[PATH_MAX]; /* a fresh folder under /tmp */
    Paths paths;         /* ROOT/images, ROOT/guest, ROOT/run, ROOT/ssh, ROOT/console */
    BackendFake fake;
    Catalog catalog;     /* loaded by TestEnv_loadCatalog */
} TestEnv;

/* cmocka group/test setup and teardown: *state is a TestEnv. */
int TestEnv_setup(void **state);
int TestEnv_teardown(void **state);

/* Write ROOT/images/NAME/image.conf with CONF, and a rootfs.squashfs
 * when WITH_ROOTFS. */
void TestEnv_addImage(TestEnv *env, const char *name, const char *conf, bool with_rootfs);
void TestEnv_loadCatalog(TestEnv *env);

/* The cfg path of domain NAME. */
const char *TestEnv_cfg(TestEnv *env, const char *name);

void Test_writeFile(const char *path, const char *text);
/* The file's text, malloc'd; NULL when it does not exist. */
char *Test_readFile(const char *path);
bool Test_exists(const char *path);
/* Files in DIR, dot files left out. */
int Test_countFiles(const char *dir);

/* A memory FILE for output checks: Test_memOpen, write, Test_memText. */
typedef struct TestMem {
    FILE *f;
    char *text;
    size_t len;
} TestMem;
FILE *Test_memOpen(TestMem *m);
/* Closes the FILE; the text is valid until Test_memFree. */
const char *Test_memText(TestMem *m);
void Test_memFree(TestMem *m);

#endif
