/* knownhosts.c: guests' host keys from their consoles into known_hosts. */
#include "knownhosts.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

int KnownHosts_fromLog(const char *path, SshKey *key, char *err, size_t errlen)
{
    char *line = NULL;
    char *last = NULL;
    size_t cap = 0;
    char why[256];
    FILE *f = fopen(path, "r");
    int rc = -1;

    if (!f && errno == ENOENT)
        return 0;
    if (!f) {
        snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
        return -1;
    }
    while (getline(&line, &cap, f) >= 0) {
        const char *mark = strstr(line, KNOWNHOSTS_MARK);

        if (!mark)
            continue;
        free(last);
        last = strdup(mark + strlen(KNOWNHOSTS_MARK));
        if (!last) {
            snprintf(err, errlen, "out of memory");
            goto out;
        }
    }
    if (ferror(f)) {
        snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
        goto out;
    }
    rc = 0;
    if (!last)
        goto out;
    rc = -1;
    if (SshKey_parse(last, key, why, sizeof why) < 0) {
        snprintf(err, errlen, "the last '%s' line of %s is %s", KNOWNHOSTS_MARK, path, why);
        goto out;
    }
    rc = 1;
out:
    free(line);
    free(last);
    fclose(f);
    return rc;
}

bool KnownHosts_validName(const char *name)
{
    size_t n = strlen(name);

    return n > 0 && name[0] != '-' &&
           strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") == n;
}

/* The host of HOSTS that LINE is for (its first field is the name), or
 * -1. */
static long KnownHosts_match(const char *line, const KnownHost *hosts, size_t count)
{
    size_t n = strcspn(line, " \t\r\n");
    size_t i;

    for (i = 0; i < count; i++) {
        if (strlen(hosts[i].name) == n && strncmp(line, hosts[i].name, n) == 0)
            return (long)i;
    }
    return -1;
}

static void KnownHosts_writeLine(FILE *out, const KnownHost *h)
{
    fprintf(out, "%s %s %s\n", h->name, h->key->type, h->key->base64);
}

/* The new text: OLD's lines (OLD may be NULL) with HOSTS' put in. */
static void KnownHosts_rewrite(FILE *old, FILE *out, const KnownHost *hosts, size_t count,
                               bool *written)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    size_t i;

    while (old && (n = getline(&line, &cap, old)) >= 0) {
        long h = KnownHosts_match(line, hosts, count);

        if (h < 0) {
            fwrite(line, 1, (size_t)n, out); /* all of it: a NUL byte must not cut it */
            if (n > 0 && line[n - 1] != '\n')
                fputc('\n', out); /* a last line without one */
        } else if (!written[h]) {
            KnownHosts_writeLine(out, &hosts[h]);
            written[h] = true;
        }
    }
    free(line);
    for (i = 0; i < count; i++) {
        if (!written[i])
            KnownHosts_writeLine(out, &hosts[i]);
    }
}

int KnownHosts_update(const char *dir, const char *path, const KnownHost *hosts, size_t count,
                      char *err, size_t errlen)
{
    char tmp[PATH_MAX];
    bool *written = calloc(count ? count : 1, sizeof *written);
    struct stat st;
    FILE *old = NULL;
    FILE *out = NULL;
    int dir_fd = -1;
    int fd;
    int rc = -1;

    tmp[0] = '\0';
    if (!written) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
        snprintf(err, errlen, "cannot create %s: %s", dir, strerror(errno));
        goto out;
    }
    dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd < 0 || flock(dir_fd, LOCK_EX) < 0) {
        snprintf(err, errlen, "cannot lock %s: %s", dir, strerror(errno));
        goto out;
    }
    old = fopen(path, "r");
    if (!old && errno != ENOENT) {
        snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
        goto out;
    }
    if (snprintf(tmp, sizeof tmp, "%s.XXXXXX", path) >= (int)sizeof tmp) {
        snprintf(err, errlen, "path too long: %s", path);
        tmp[0] = '\0';
        goto out;
    }
    fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "cannot create %s: %s", tmp, strerror(errno));
        tmp[0] = '\0';
        goto out;
    }
    /* Keep the old file's permissions; mkstemp's 0600 for a new one. */
    if (old && fstat(fileno(old), &st) == 0)
        fchmod(fd, st.st_mode & 07777);
    out = fdopen(fd, "w");
    if (!out) {
        snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
        close(fd);
        goto out;
    }
    KnownHosts_rewrite(old, out, hosts, count, written);
    if (old && ferror(old)) {
        snprintf(err, errlen, "cannot read %s", path);
        goto out;
    }
    if (fflush(out) != 0 || fsync(fileno(out)) < 0 || ferror(out)) {
        snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
        goto out;
    }
    if (fclose(out) != 0) {
        out = NULL;
        snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
        goto out;
    }
    out = NULL;
    if (rename(tmp, path) < 0) {
        snprintf(err, errlen, "cannot replace %s: %s", path, strerror(errno));
        goto out;
    }
    tmp[0] = '\0';
    rc = 0;
out:
    if (out)
        fclose(out);
    if (tmp[0])
        unlink(tmp);
    if (old)
        fclose(old);
    if (dir_fd >= 0)
        close(dir_fd); /* and the lock with it */
    free(written);
    return rc;
}
