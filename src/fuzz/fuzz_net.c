/* fuzz_net.c: the boot scripts' net file (MODE=, UPLINK=, GUEST_NET=,
 * GATEWAY=) into Access_parseNet (access.c), then the texts made from
 * it: values hold no blank or control character and come from a line
 * that starts with their key, and the header line is never wider than
 * asked. */
#include "../access.h"
#include "fuzz.h"

static void Fuzz_plain(const char *s, size_t size)
{
    FUZZ_CHECK(Fuzz_terminated(s, size));
    for (; *s; s++)
        FUZZ_CHECK((unsigned char)*s > ' ' && (unsigned char)*s < 0x7f);
}

/* Some line of the SIZE bytes at DATA starts with KEY (as "MODE="). */
static int Fuzz_hasLine(const uint8_t *data, size_t size, const char *key)
{
    size_t n = strlen(key);
    size_t i = 0;

    while (i < size) {
        const uint8_t *nl = memchr(data + i, '\n', size - i);
        size_t len = nl ? (size_t)(nl - (data + i)) : size - i;

        if (len >= n && memcmp(data + i, key, n) == 0)
            return 1;
        i += len + 1;
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char buf[ACCESS_LINE_MAX * 2];
    Access a;
    FILE *f;
    size_t width;

    memset(&a, 0, sizeof a);
    f = fmemopen((void *)data, size ? size : 1, "r");
    FUZZ_CHECK(f != NULL);
    if (size == 0)
        fgetc(f);
    Access_parseNet(f, &a);
    fclose(f);
    FUZZ_CHECK(a.net_started);
    Fuzz_plain(a.mode, sizeof a.mode);
    Fuzz_plain(a.uplink, sizeof a.uplink);
    Fuzz_plain(a.guest_net, sizeof a.guest_net);
    Fuzz_plain(a.gateway, sizeof a.gateway);
    /* A value comes from a line of its own, not from the end of a long one. */
    FUZZ_CHECK(!a.mode[0] || Fuzz_hasLine(data, size, "MODE="));
    FUZZ_CHECK(!a.uplink[0] || Fuzz_hasLine(data, size, "UPLINK="));
    FUZZ_CHECK(!a.guest_net[0] || Fuzz_hasLine(data, size, "GUEST_NET="));
    FUZZ_CHECK(!a.gateway[0] || Fuzz_hasLine(data, size, "GATEWAY="));

    a.has_address = size % 2;
    snprintf(a.address, sizeof a.address, "10.0.2.15");
    a.prefix = 24;
    snprintf(a.password, sizeof a.password, "abcd-efgh-ijkm");
    for (width = 0; width <= 120; width += 7) {
        Access_headerLine(&a, width, buf, sizeof buf);
        FUZZ_CHECK(strlen(buf) <= width);
    }
    Access_network(&a, buf, sizeof buf);
    Access_uplink(&a, buf, sizeof buf);
    Access_ssh(&a, buf, sizeof buf);
    Access_passwordText(&a, buf, sizeof buf);
    return 0;
}
