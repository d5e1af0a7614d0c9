/* fuzz_sshkey.c: a public key line into SshKey_parse (sshkey.c), and a
 * parsed key back out as "TYPE BASE64", which must parse to the same. */
#include "../sshkey.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *line = Fuzz_string(data, size);
    char err[256];
    SshKey key;

    err[0] = '\0';
    if (SshKey_parse(line, &key, err, sizeof err) == 0) {
        static char again[SSHKEY_TYPE_MAX + SSHKEY_BASE64_MAX + 2];
        SshKey key2;

        FUZZ_CHECK(Fuzz_terminated(key.type, sizeof key.type));
        FUZZ_CHECK(Fuzz_terminated(key.base64, sizeof key.base64));
        FUZZ_CHECK(strlen(key.base64) % 4 == 0 && key.base64[0] != '\0');
        FUZZ_CHECK(strpbrk(key.base64, " \t\r\n\"'\\:") == NULL);
        snprintf(again, sizeof again, "%s %s", key.type, key.base64);
        FUZZ_CHECK(SshKey_parse(again, &key2, err, sizeof err) == 0);
        FUZZ_CHECK(strcmp(key.type, key2.type) == 0 && strcmp(key.base64, key2.base64) == 0);
    } else {
        FUZZ_CHECK(err[0] != '\0' && Fuzz_terminated(err, sizeof err));
        FUZZ_CHECK(strchr(err, '\n') == NULL);
    }
    free(line);
    return 0;
}
