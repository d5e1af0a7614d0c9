/* sshkey.h: OpenSSH public key lines, "TYPE BASE64 [comment]", checked
 * strictly: they come from files and from guest consoles, and go into
 * kernel command lines and known_hosts. */
#ifndef XENLIVE_SSHKEY_H
#define XENLIVE_SSHKEY_H

#include <stddef.h>

#define SSHKEY_TYPE_MAX 32
/* An RSA key of 16384 bits is about 2800 characters of base64. */
#define SSHKEY_BASE64_MAX 4096

typedef struct SshKey {
    char type[SSHKEY_TYPE_MAX];     /* ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256/384/521 */
    char base64[SSHKEY_BASE64_MAX]; /* A-Z a-z 0-9 + /, '=' padding, a multiple of 4 */
} SshKey;

/* LINE as "TYPE BASE64 [comment]" (blanks around it and a trailing \r
 * are allowed; the comment is dropped).  -1 with ERR when TYPE is not
 * one of the above or BASE64 is not base64. */
int SshKey_parse(const char *line, SshKey *key, char *err, size_t errlen);

/* The first line of the file at PATH: 1 with KEY filled, 0 when there is
 * no such file, -1 with ERR ("PATH: why") when it cannot be read or is
 * not a key line. */
int SshKey_load(const char *path, SshKey *key, char *err, size_t errlen);

/* "TYPE:BASE64", for a kernel command line (no blank in it). */
void SshKey_cmdline(const SshKey *key, char *buf, size_t len);

#endif
