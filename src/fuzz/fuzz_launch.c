/* fuzz_launch.c: the arguments of launch (LaunchRequest_parse, launch.c).
 * The input's NUL-separated pieces are the arguments after "launch".  A
 * request that parses names one IMAGE among them and has counts in
 * range; an error is one line naming an option, when it is one. */
#include "../launch.h"
#include "fuzz.h"

#define FUZZ_ARGS_MAX 12

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = Fuzz_string(data, size);
    char *argv[FUZZ_ARGS_MAX + 2];
    char *given[FUZZ_ARGS_MAX + 2];
    char err[512];
    LaunchRequest req;
    int argc = 1;
    size_t i = 0;
    Status st;

    argv[0] = "launch";
    while (i < size && argc <= FUZZ_ARGS_MAX) {
        argv[argc++] = text + i;
        i += strlen(text + i) + 1;
    }
    argv[argc] = NULL;
    memcpy(given, argv, sizeof argv); /* getopt permutes argv */
    err[0] = '\0';
    st = LaunchRequest_parse(&req, argc, argv, err, sizeof err);
    if (st == STATUS_OK) {
        int found = 0;
        int k;

        for (k = 1; k < argc; k++)
            found |= req.image == given[k];
        FUZZ_CHECK(found);
        FUZZ_CHECK(req.count >= 1);
        FUZZ_CHECK(req.vcpus <= 128);
        FUZZ_CHECK(req.type == GUEST_AUTO || req.type == GUEST_PV || req.type == GUEST_PVH);
    } else {
        FUZZ_CHECK(st == STATUS_USAGE);
        FUZZ_CHECK(err[0] != '\0' && Fuzz_terminated(err, sizeof err));
        if (strncmp(err, "unknown option '", 16) == 0)
            FUZZ_CHECK(err[16] == '-');
    }
    free(text);
    return 0;
}
