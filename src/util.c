/* util.c: small helpers shared by the modules. */
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

bool Util_parseUnsigned(const char *s, unsigned *out)
{
    unsigned long long v = 0;

    if (!*s)
        return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return false;
        v = v * 10 + (unsigned)(*s - '0');
        if (v > UINT_MAX)
            return false;
    }
    *out = (unsigned)v;
    return true;
}

int Util_mkdirs(const char *path, char *err, size_t errlen)
{
    char buf[PATH_MAX];
    char *p;

    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
        snprintf(err, errlen, "path too long: %s", path);
        return -1;
    }
    /* Create each parent in turn, then the folder itself. */
    for (p = buf + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char c = *p;
        *p = '\0';
        if (mkdir(buf, 0755) < 0 && errno != EEXIST) {
            snprintf(err, errlen, "cannot create %s: %s", buf, strerror(errno));
            return -1;
        }
        *p = c;
        if (c == '\0')
            return 0;
    }
}

int Util_readLine(const char *path, char *buf, size_t len)
{
    FILE *f = fopen(path, "r");
    int rc = -1;

    if (!f)
        return -1;
    if (!fgets(buf, (int)len, f))
        goto out;
    buf[strcspn(buf, "\n")] = '\0';
    rc = 0;
out:
    fclose(f);
    return rc;
}
