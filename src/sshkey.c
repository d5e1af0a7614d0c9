/* sshkey.c: OpenSSH public key lines. */
#include "sshkey.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SSHKEY_BLANKS " \t\r\n"

static const char *const SshKey_types[] = {
    "ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
};

static bool SshKey_knownType(const char *type, size_t n)
{
    size_t i;

    for (i = 0; i < sizeof SshKey_types / sizeof SshKey_types[0]; i++) {
        if (strlen(SshKey_types[i]) == n && strncmp(SshKey_types[i], type, n) == 0)
            return true;
    }
    return false;
}

/* N characters of S are base64 as OpenSSH writes it: the alphabet, then
 * at most two '=', in all a multiple of 4. */
static bool SshKey_isBase64(const char *s, size_t n)
{
    size_t data = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
    size_t pad;

    if (data > n)
        data = n;
    pad = n - data;
    return data > 0 && pad <= 2 && strspn(s + data, "=") >= pad && n % 4 == 0;
}

int SshKey_parse(const char *line, SshKey *key, char *err, size_t errlen)
{
    const char *type = line + strspn(line, SSHKEY_BLANKS);
    size_t type_len = strcspn(type, SSHKEY_BLANKS);
    const char *data = type + type_len + strspn(type + type_len, SSHKEY_BLANKS);
    size_t data_len = strcspn(data, SSHKEY_BLANKS);

    if (!SshKey_knownType(type, type_len)) {
        snprintf(err, errlen, "not an SSH public key: the type is '%.*s', not ssh-ed25519, "
                 "ssh-rsa or ecdsa-sha2-nistp256/384/521", (int)(type_len > 32 ? 32 : type_len),
                 type);
        return -1;
    }
    if (!SshKey_isBase64(data, data_len) || data_len >= sizeof key->base64) {
        snprintf(err, errlen, "not an SSH public key: the %.*s key is not base64 text",
                 (int)type_len, type);
        return -1;
    }
    memcpy(key->type, type, type_len);
    key->type[type_len] = '\0';
    memcpy(key->base64, data, data_len);
    key->base64[data_len] = '\0';
    return 0;
}

int SshKey_load(const char *path, SshKey *key, char *err, size_t errlen)
{
    char why[256];
    char *line = NULL;
    size_t cap = 0;
    FILE *f = fopen(path, "r");
    int rc = -1;

    if (!f && errno == ENOENT)
        return 0;
    if (!f) {
        snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
        return -1;
    }
    if (getline(&line, &cap, f) < 0) {
        snprintf(err, errlen, "%s: empty, not an SSH public key", path);
        goto out;
    }
    if (SshKey_parse(line, key, why, sizeof why) < 0) {
        snprintf(err, errlen, "%s: %s", path, why);
        goto out;
    }
    rc = 1;
out:
    free(line);
    fclose(f);
    return rc;
}

void SshKey_cmdline(const SshKey *key, char *buf, size_t len)
{
    snprintf(buf, len, "%s:%s", key->type, key->base64);
}
