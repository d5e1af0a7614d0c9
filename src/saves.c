/* saves.c: guests saved to RAM, and restoring them. */
#include "saves.h"

#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SAVES_SUFFIX ".save"

static int Saves_path(const Paths *paths, const char *name, char *buf, size_t len)
{
    /* Like Paths_cfg: a name is one plain file name, never a path. */
    if (!name[0] || strchr(name, '/') || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return -1;
    return snprintf(buf, len, "%s/%s%s", paths->saves, name, SAVES_SUFFIX) >= (int)len ? -1 : 0;
}

bool Saves_exists(const Paths *paths, const char *name)
{
    char path[PATH_MAX];

    return Saves_path(paths, name, path, sizeof path) == 0 && access(path, F_OK) == 0;
}

Status Saves_save(Backend *be, const Paths *paths, const char *name, char *err, size_t errlen)
{
    char path[PATH_MAX];

    if (Saves_path(paths, name, path, sizeof path) < 0) {
        snprintf(err, errlen, "cannot save %s: bad name or path too long", name);
        return STATUS_ERROR;
    }
    /* A second save would overwrite the first, which may be the only
     * copy of a guest. */
    if (access(path, F_OK) == 0) {
        snprintf(err, errlen, "%s is already saved in %s; restore it first", name, path);
        return STATUS_ERROR;
    }
    if (Util_mkdirs(paths->saves, err, errlen) < 0)
        return STATUS_ERROR;
    if (be->save(be, name, path, err, errlen) < 0)
        return STATUS_ERROR;
    return STATUS_OK;
}

Status Saves_restore(Backend *be, const Paths *paths, const char *name, char *err,
                     size_t errlen)
{
    char path[PATH_MAX];

    if (Saves_path(paths, name, path, sizeof path) < 0 || access(path, F_OK) != 0) {
        snprintf(err, errlen, "no saved guest named %s", name);
        return STATUS_ERROR;
    }
    if (be->restore(be, path, err, errlen) < 0)
        return STATUS_ERROR;
    if (unlink(path) < 0) {
        snprintf(err, errlen, "restored %s, but cannot remove %s: %s", name, path,
                 strerror(errno));
        return STATUS_ERROR;
    }
    return STATUS_OK;
}

static int Saves_compare(const void *a, const void *b)
{
    return strcmp(a, b);
}

Status Saves_list(const Paths *paths, SaveList *out, char *err, size_t errlen)
{
    DIR *dir = opendir(paths->saves);
    const struct dirent *e;

    out->count = 0;
    if (!dir) {
        if (errno == ENOENT)
            return STATUS_OK;
        snprintf(err, errlen, "cannot read %s: %s", paths->saves, strerror(errno));
        return STATUS_ERROR;
    }
    while ((e = readdir(dir)) && out->count < SAVES_MAX) {
        size_t n = strlen(e->d_name);
        size_t s = strlen(SAVES_SUFFIX);

        if (e->d_name[0] == '.' || n <= s || n - s > STATS_NAME_MAX ||
            strcmp(e->d_name + n - s, SAVES_SUFFIX) != 0)
            continue;
        snprintf(out->names[out->count], sizeof out->names[0], "%.*s", (int)(n - s), e->d_name);
        out->count++;
    }
    closedir(dir);
    qsort(out->names, out->count, sizeof out->names[0], Saves_compare);
    return STATUS_OK;
}
