/* fuzz_knownhosts.c: the two readers of knownhosts.c.  The input is a
 * guest's console log for KnownHosts_fromLog, then the old known_hosts
 * file that KnownHosts_update rewrites for one guest: afterwards the
 * file holds exactly one line for that guest, the key it was given. */
#include "../knownhosts.h"
#include "fuzz.h"

#include <unistd.h>

static char dir[64];
static char file[128];

static void Fuzz_cleanUp(void)
{
    unlink(file);
    rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    /* tmpfs when there is one: the update fsyncs each file. */
    snprintf(dir, sizeof dir, "%s/fuzz-knownhosts.XXXXXX",
             access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
    FUZZ_CHECK(mkdtemp(dir) != NULL);
    snprintf(file, sizeof file, "%s/known_hosts", dir);
    atexit(Fuzz_cleanUp);
    return 0;
}

static void Fuzz_writeFile(const uint8_t *data, size_t size)
{
    FILE *f = fopen(file, "w");

    FUZZ_CHECK(f != NULL);
    FUZZ_CHECK(fwrite(data, 1, size, f) == size);
    FUZZ_CHECK(fclose(f) == 0);
}

/* The lines of the file that start with "tiny-1" and a blank. */
static unsigned Fuzz_linesFor(const char *name, char *last, size_t len)
{
    FILE *f = fopen(file, "r");
    char *line = NULL;
    size_t cap = 0;
    unsigned n = 0;

    FUZZ_CHECK(f != NULL);
    while (getline(&line, &cap, f) >= 0) {
        if (strncmp(line, name, strlen(name)) == 0 &&
            strchr(" \t\r\n", line[strlen(name)]) && line[strlen(name)] != '\0') {
            n++;
            snprintf(last, len, "%s", line);
        }
    }
    free(line);
    fclose(f);
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const SshKey fixed = {"ssh-ed25519", "AAAAC3NzaC1lZDI1NTE5AAAAIFuzzFuzzFuzzFuzz0"};
    const KnownHost host = {"tiny-1", &fixed};
    char err[512];
    char line[256];
    SshKey key;
    int rc;

    Fuzz_writeFile(data, size);
    err[0] = '\0';
    rc = KnownHosts_fromLog(file, &key, err, sizeof err);
    FUZZ_CHECK(rc >= -1 && rc <= 1);
    if (rc == 1)
        FUZZ_CHECK(Fuzz_terminated(key.base64, sizeof key.base64) && key.base64[0]);
    if (rc == -1)
        FUZZ_CHECK(err[0] != '\0' && strchr(err, '\n') == NULL);

    FUZZ_CHECK(KnownHosts_update(dir, file, &host, 1, err, sizeof err) == 0);
    FUZZ_CHECK(Fuzz_linesFor("tiny-1", line, sizeof line) == 1);
    FUZZ_CHECK(strcmp(line, "tiny-1 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFuzzFuzzFuzzFuzz0\n") == 0);
    return 0;
}
