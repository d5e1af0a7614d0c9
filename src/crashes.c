/* crashes.c: records of crashed guests (crashes.h). */
#include "crashes.h"

#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* NAME's record file; -1 for a name that is not a plain file name. */
static int Crashes_path(const Paths *paths, const char *name, char *buf, size_t len)
{
    if (!*name || name[0] == '.' || strchr(name, '/'))
        return -1;
    return snprintf(buf, len, "%s/%s", paths->crashed, name) >= (int)len ? -1 : 0;
}

int Crashes_lastReason(const Paths *paths, const char *name)
{
    char path[PATH_MAX];
    char line[512];
    int reason = -1;
    FILE *f;

    if (!*name || name[0] == '.' || strchr(name, '/') ||
        snprintf(path, sizeof path, "%s/xl-%s.log", paths->xl_logs, name) >= (int)sizeof path)
        return -1;
    f = fopen(path, "r");
    if (!f)
        return -1;
    while (fgets(line, sizeof line, f)) {
        const char *p;
        int code;

        if (strncmp(line, "Waiting for domain ", 19) == 0)
            reason = -1; /* a new domain of this name: its own story */
        else if ((p = strstr(line, " has shut down, reason code ")) &&
                 sscanf(p + 28, "%d", &code) == 1)
            reason = code;
    }
    fclose(f);
    return reason;
}

Status Crashes_record(const Paths *paths, const char *name, const char *what, int64_t when_s,
                      char *err, size_t errlen)
{
    char path[PATH_MAX];
    char text[64];

    if (Crashes_path(paths, name, path, sizeof path) < 0) {
        snprintf(err, errlen, "cannot record the crash of '%s': not a plain name", name);
        return STATUS_ERROR;
    }
    if (Util_mkdirs(paths->crashed, err, errlen) < 0)
        return STATUS_ERROR;
    snprintf(text, sizeof text, "%s %" PRId64 "\n", what, when_s);
    return Util_writeFileAtomic(path, text, err, errlen) < 0 ? STATUS_ERROR : STATUS_OK;
}

bool Crashes_clear(const Paths *paths, const char *name)
{
    char path[PATH_MAX];

    return Crashes_path(paths, name, path, sizeof path) == 0 && unlink(path) == 0;
}

bool Crashes_find(const Paths *paths, const char *name, Crash *c)
{
    char path[PATH_MAX];
    char line[64];
    char what[sizeof c->what];
    long long when;

    if (Crashes_path(paths, name, path, sizeof path) < 0 || strlen(name) >= sizeof c->name ||
        Util_readLine(path, line, sizeof line) < 0 ||
        sscanf(line, "%15s %lld", what, &when) != 2)
        return false;
    snprintf(c->name, sizeof c->name, "%s", name);
    snprintf(c->what, sizeof c->what, "%s", what);
    c->when_s = when;
    return true;
}

static int Crashes_cmp(const void *a, const void *b)
{
    return strcmp(((const Crash *)a)->name, ((const Crash *)b)->name);
}

void Crashes_list(const Paths *paths, CrashList *l)
{
    const struct dirent *e;
    DIR *dir = opendir(paths->crashed);

    l->count = 0;
    if (!dir)
        return;
    while ((e = readdir(dir)) && l->count < CRASHES_MAX) {
        if (e->d_name[0] != '.' && !strchr(e->d_name, '.') &&
            Crashes_find(paths, e->d_name, &l->items[l->count]))
            l->count++;
    }
    closedir(dir);
    qsort(l->items, l->count, sizeof l->items[0], Crashes_cmp);
}
