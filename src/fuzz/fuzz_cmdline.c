/* fuzz_cmdline.c: the kernel command line's xenlive.authkey= value.
 * Dom0's own /proc/cmdline is read by the boot scripts (awk in
 * overlays/base/usr/lib/xenlive/cmdline.sh); the C side of the command
 * line is a key line (a file's, or a console's) turned into one word,
 * "TYPE:BASE64" (SshKey_cmdline), which the guest's initramfs reads back
 * by splitting at the first ':'.  That word must hold no blank, quote or
 * backslash, and split back to the key, whatever the line was. */
#include "../sshkey.h"
#include "../xlcfg.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *line = Fuzz_string(data, size);
    char err[256];
    SshKey key;

    if (SshKey_parse(line, &key, err, sizeof err) == 0) {
        char word[SSHKEY_TYPE_MAX + SSHKEY_BASE64_MAX + 2];
        char small[40];
        const char *colon;

        SshKey_cmdline(&key, word, sizeof word);
        FUZZ_CHECK(strpbrk(word, " \t\r\n\"'\\") == NULL);
        colon = strchr(word, ':');
        FUZZ_CHECK(colon != NULL);
        FUZZ_CHECK((size_t)(colon - word) == strlen(key.type));
        FUZZ_CHECK(strncmp(word, key.type, strlen(key.type)) == 0);
        FUZZ_CHECK(strcmp(colon + 1, key.base64) == 0);
        /* A buffer too small cuts it, never overruns it. */
        SshKey_cmdline(&key, small, sizeof small);
        FUZZ_CHECK(Fuzz_terminated(small, sizeof small));
    }
    free(line);
    return 0;
}
