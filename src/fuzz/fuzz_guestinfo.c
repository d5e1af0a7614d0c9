/* fuzz_guestinfo.c: what a guest writes in its own xenstore subtree is
 * outside text that dom0 reads (guestinfo.c): the input, split at '\n'
 * into the GK_* keys in order (a key with no line is absent), read
 * through GuestKeys_readCached twice (the second from its cache), then
 * GuestInfo_fromKeys at a time taken from the input, the USED, OVERLAY,
 * IP and OS cells and list --json's fields.  Cells stay terminated and
 * within their buffers; the JSON is one run of printable text. */
#include "../guestinfo.h"
#include "fuzz.h"

typedef struct FuzzStore {
    char *values[GK_COUNT];
} FuzzStore;

static bool fuzz_read(void *ctx, uint32_t domid, const char *path, char *buf, size_t len)
{
    FuzzStore *fs = ctx;
    int k;

    (void)domid;
    for (k = 0; k < GK_COUNT; k++) {
        if (strcmp(path, GuestKeys_path(k)) == 0 && fs->values[k]) {
            snprintf(buf, len, "%s", fs->values[k]);
            return true;
        }
    }
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = Fuzz_string(data, size);
    FuzzStore fs = {{0}};
    GuestKeysCache cache = {0};
    const uint32_t ids[] = {0, 7};
    GuestKeys keys[2];
    GuestInfo g;
    char cell[64];
    char *json = NULL;
    size_t json_len = 0;
    FILE *f;
    char *p = text;
    int k;

    for (k = 0; k < GK_COUNT && p; k++) {
        char *nl = strchr(p, '\n');

        fs.values[k] = p;
        if (nl)
            *nl = '\0';
        p = nl ? nl + 1 : NULL;
    }
    (void)GuestKeys_readCached(&cache, ids, 2, keys, fuzz_read, &fs);
    FUZZ_CHECK(GuestKeys_readCached(&cache, ids, 2, keys, fuzz_read, &fs) >= 1);
    GuestKeysCache_free(&cache);
    FUZZ_CHECK(!keys[0].present[GK_UPDATED]);
    for (k = 0; k < GK_COUNT; k++)
        FUZZ_CHECK(Fuzz_terminated(keys[1].value[k], sizeof keys[1].value[k]));

    GuestInfo_fromKeys(&g, &keys[1], size ? (int64_t)data[0] * 1000000 : 0);
    FUZZ_CHECK(Fuzz_terminated(g.ip, sizeof g.ip) && Fuzz_terminated(g.os, sizeof g.os));
    GuestInfo_fmtUsed(cell, sizeof cell, &g, 65536);
    FUZZ_CHECK(Fuzz_terminated(cell, sizeof cell));
    GuestInfo_fmtOverlay(cell, sizeof cell, &g);
    FUZZ_CHECK(Fuzz_terminated(cell, sizeof cell));
    GuestInfo_fmtIp(cell, sizeof cell, &g);
    FUZZ_CHECK(Fuzz_terminated(cell, sizeof cell));
    GuestInfo_fmtOs(cell, sizeof cell, &g);
    FUZZ_CHECK(Fuzz_terminated(cell, sizeof cell));

    f = open_memstream(&json, &json_len);
    FUZZ_CHECK(f != NULL);
    GuestInfo_writeJson(f, &g, 65536);
    fclose(f);
    for (size_t i = 0; i < json_len; i++)
        FUZZ_CHECK((unsigned char)json[i] >= ' ' && json[i] != 0x7f);
    free(json);
    free(text);
    return 0;
}
