/* catalog.c: the guest images and their image.conf files. */
#include "catalog.h"

#include "util.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CATALOG_LINE_MAX 4096

bool Image_validName(const char *name)
{
    size_t len = strlen(name);

    if (len == 0 || len > IMAGE_NAME_MAX || !isalnum((unsigned char)name[0]))
        return false;
    for (; *name; name++) {
        if (!isalnum((unsigned char)*name) && !strchr("._-", *name))
            return false;
    }
    return true;
}

/* The shell-style value at S, as image.conf is also read by sh: a
 * "double-quoted" string (backslash escapes \ " $ `), a 'single-quoted'
 * one, or a bare word; then only blanks and an optional # comment. */
static int Image_parseValue(const char *s, char *out, size_t outlen)
{
    size_t n = 0;
    char quote = (*s == '"' || *s == '\'') ? *s++ : '\0';

    for (;; s++) {
        char c = *s;

        if (c == '\0') {
            if (quote)
                return -1; /* unterminated quote */
            break;
        }
        if (quote && c == quote) {
            s++;
            break;
        }
        if (!quote && isspace((unsigned char)c))
            break;
        if (!quote && strchr("\"'\\$`;&|<>()", c))
            return -1; /* shell syntax this reader does not interpret */
        if (quote == '"' && c == '\\' && s[1] && strchr("\\\"$`", s[1]))
            c = *++s;
        if (n + 1 >= outlen)
            return -1;
        out[n++] = c;
    }
    out[n] = '\0';
    while (isspace((unsigned char)*s))
        s++;
    return (*s == '\0' || *s == '#') ? 0 : -1;
}

static int Image_setText(char *dst, size_t size, const char *key, const char *value,
                         const char *where, char *err, size_t errlen)
{
    if (strlen(value) >= size) {
        snprintf(err, errlen, "%s: %s is too long", where, key);
        return -1;
    }
    strcpy(dst, value);
    return 0;
}

static int Image_setNumber(unsigned *dst, const char *key, const char *value,
                           const char *where, char *err, size_t errlen)
{
    if (!Util_parseUnsigned(value, dst) || *dst == 0) {
        snprintf(err, errlen, "%s: %s must be a whole number of at least 1, not '%s'",
                 where, key, value);
        return -1;
    }
    return 0;
}

/* Fill the field named KEY; unknown keys are ignored. */
static int Image_set(Image *img, const char *key, const char *value, const char *where,
                     char *err, size_t errlen)
{
    if (strcmp(key, "NAME") == 0)
        return Image_setText(img->name, sizeof img->name, key, value, where, err, errlen);
    if (strcmp(key, "DISPLAY_NAME") == 0)
        return Image_setText(img->display_name, sizeof img->display_name, key, value, where,
                             err, errlen);
    if (strcmp(key, "DESCRIPTION") == 0)
        return Image_setText(img->description, sizeof img->description, key, value, where,
                             err, errlen);
    if (strcmp(key, "CMDLINE") == 0)
        return Image_setText(img->cmdline, sizeof img->cmdline, key, value, where, err, errlen);
    if (strcmp(key, "UP_MARKER") == 0)
        return Image_setText(img->up_marker, sizeof img->up_marker, key, value, where, err,
                             errlen);
    if (strcmp(key, "UNAVAILABLE_REASON") == 0)
        return Image_setText(img->unavailable_reason, sizeof img->unavailable_reason, key,
                             value, where, err, errlen);
    if (strcmp(key, "MEMORY_MIB") == 0)
        return Image_setNumber(&img->memory_mib, key, value, where, err, errlen);
    if (strcmp(key, "MIN_MEMORY_MIB") == 0)
        return Image_setNumber(&img->min_memory_mib, key, value, where, err, errlen);
    if (strcmp(key, "VCPUS") == 0)
        return Image_setNumber(&img->vcpus, key, value, where, err, errlen);
    if (strcmp(key, "AVAILABLE") == 0) {
        if (strcmp(value, "yes") != 0 && strcmp(value, "no") != 0) {
            snprintf(err, errlen, "%s: AVAILABLE must be yes or no, not '%s'", where, value);
            return -1;
        }
        img->available = strcmp(value, "yes") == 0;
    }
    return 0;
}

int Image_parse(Image *img, FILE *f, const char *path, char *err, size_t errlen)
{
    char line[CATALOG_LINE_MAX];
    char value[CATALOG_LINE_MAX];
    char where[PATH_MAX + 32];
    unsigned lineno = 0;

    memset(img, 0, sizeof *img);
    img->vcpus = 1;
    img->available = true;
    while (fgets(line, sizeof line, f)) {
        char *p = line;
        char *eq;

        lineno++;
        snprintf(where, sizeof where, "%s:%u", path, lineno);
        if (!strchr(line, '\n') && !feof(f)) {
            snprintf(err, errlen, "%s: line too long", where);
            return -1;
        }
        line[strcspn(line, "\n")] = '\0';
        while (isspace((unsigned char)*p))
            p++;
        if (*p == '\0' || *p == '#')
            continue;
        eq = strchr(p, '=');
        if (!eq || eq == p || p + strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != eq) {
            snprintf(err, errlen, "%s: expected KEY=VALUE", where);
            return -1;
        }
        *eq = '\0';
        if (Image_parseValue(eq + 1, value, sizeof value) < 0) {
            snprintf(err, errlen, "%s: cannot read the value of %s (quote a value holding "
                     "blanks or shell characters)", where, p);
            return -1;
        }
        if (Image_set(img, p, value, where, err, errlen) < 0)
            return -1;
    }
    if (ferror(f)) {
        snprintf(err, errlen, "%s: read error", path);
        return -1;
    }
    /* A given MEMORY_MIB is at least 1, so 0 means there was none. */
    if (!img->name[0] || !img->memory_mib) {
        snprintf(err, errlen, "%s: no %s line", path, !img->name[0] ? "NAME" : "MEMORY_MIB");
        return -1;
    }
    if (!Image_validName(img->name)) {
        snprintf(err, errlen, "%s: NAME '%s' is not a valid image name", path, img->name);
        return -1;
    }
    if (!img->min_memory_mib)
        img->min_memory_mib = IMAGE_MIN_MEMORY_MIB;
    if (img->memory_mib < img->min_memory_mib) {
        snprintf(err, errlen, "%s: MEMORY_MIB=%u is below MIN_MEMORY_MIB=%u", path,
                 img->memory_mib, img->min_memory_mib);
        return -1;
    }
    return 0;
}

int Image_load(Image *img, const char *dir, char *err, size_t errlen)
{
    char path[PATH_MAX];
    const char *base = strrchr(dir, '/') ? strrchr(dir, '/') + 1 : dir;
    FILE *f = NULL;
    int rc = -1;

    if (snprintf(path, sizeof path, "%s/image.conf", dir) >= (int)sizeof path) {
        snprintf(err, errlen, "path too long: %s", dir);
        goto out;
    }
    f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
        goto out;
    }
    if (Image_parse(img, f, path, err, errlen) < 0)
        goto out;
    if (strcmp(img->name, base) != 0) {
        snprintf(err, errlen, "%s: NAME=%s does not match its folder %s", path, img->name, base);
        goto out;
    }
    snprintf(path, sizeof path, "%s/rootfs.squashfs", dir);
    if (img->available && access(path, R_OK) < 0) {
        img->available = false;
        snprintf(img->unavailable_reason, sizeof img->unavailable_reason,
                 "its rootfs.squashfs is missing");
    }
    rc = 0;
out:
    if (f)
        fclose(f);
    return rc;
}

static int Catalog_compare(const void *a, const void *b)
{
    return strcmp(((const Image *)a)->name, ((const Image *)b)->name);
}

int Catalog_load(Catalog *c, const char *root, char *err, size_t errlen)
{
    DIR *d = opendir(root);
    const struct dirent *e;
    char dir[PATH_MAX];
    char conf[PATH_MAX];
    int rc = -1;

    c->images = NULL;
    c->count = 0;
    if (!d) {
        snprintf(err, errlen, "cannot open the image catalog %s: %s", root, strerror(errno));
        goto out;
    }
    while ((e = readdir(d))) {
        Image *grown;

        if (e->d_name[0] == '.')
            continue;
        if (snprintf(dir, sizeof dir, "%s/%s", root, e->d_name) >= (int)sizeof dir ||
            snprintf(conf, sizeof conf, "%s/image.conf", dir) >= (int)sizeof conf) {
            snprintf(err, errlen, "path too long: %s/%s", root, e->d_name);
            goto out;
        }
        if (access(conf, F_OK) < 0)
            continue; /* not an image folder */
        grown = realloc(c->images, (c->count + 1) * sizeof *c->images);
        if (!grown) {
            snprintf(err, errlen, "out of memory");
            goto out;
        }
        c->images = grown;
        if (Image_load(&c->images[c->count], dir, err, errlen) < 0)
            goto out;
        c->count++;
    }
    if (c->count) /* qsort(NULL, 0, ...) is undefined (UBSan) */
        qsort(c->images, c->count, sizeof *c->images, Catalog_compare);
    rc = 0;
out:
    if (d)
        closedir(d);
    if (rc < 0)
        Catalog_free(c);
    return rc;
}

const Image *Catalog_find(const Catalog *c, const char *name)
{
    size_t i;

    for (i = 0; i < c->count; i++) {
        if (strcmp(c->images[i].name, name) == 0)
            return &c->images[i];
    }
    return NULL;
}

void Catalog_free(Catalog *c)
{
    free(c->images);
    c->images = NULL;
    c->count = 0;
}
