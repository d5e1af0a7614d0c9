/* util.c: small helpers shared by the modules. */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

void Util_getoptError(int opt, char *const argv[], char *err, size_t errlen)
{
    if (opt == ':')
        snprintf(err, errlen, "%s needs a value", argv[optind - 1]);
    /* optopt: the unknown letter, wherever it is in "-xr"; 0 for a long
     * option, which argv[optind - 1] is then. */
    else if (optopt)
        snprintf(err, errlen, "unknown option '-%c'", optopt);
    else
        snprintf(err, errlen, "unknown option '%s'", argv[optind - 1]);
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

int Util_confValue(const char *path, const char *key, char *buf, size_t len)
{
    char line[1024];
    size_t klen = strlen(key);
    int rc = -1;
    FILE *f = fopen(path, "r");

    if (!f)
        return -1;
    while (fgets(line, sizeof line, f)) {
        char *v = line + klen + 1;
        size_t n;

        if (strncmp(line, key, klen) != 0 || line[klen] != '=')
            continue;
        v[strcspn(v, "\r\n")] = '\0';
        n = strlen(v);
        if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
            v[n - 1] = '\0';
            v++;
        }
        if (strlen(v) < len) {
            memcpy(buf, v, strlen(v) + 1);
            rc = 0;
        }
        break;
    }
    fclose(f);
    return rc;
}

int Util_writeFileAtomic(const char *path, const char *text, char *err, size_t errlen)
{
    char tmp[PATH_MAX];
    size_t n = strlen(text);
    int fd;

    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
        snprintf(err, errlen, "path too long: %s", path);
        return -1;
    }
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
        return -1;
    }
    errno = 0;
    if (write(fd, text, n) != (ssize_t)n || fsync(fd) < 0) {
        snprintf(err, errlen, "cannot write %s: %s", tmp, errno ? strerror(errno) : "short write");
        close(fd);
        unlink(tmp);
        return -1;
    }
    if (close(fd) < 0 || rename(tmp, path) < 0) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}
