/* fuzz_top.c: the options of top and ui (TopOptions_parse, top.c).  The
 * input's NUL-separated pieces are the arguments after "top". */
#include "../top.h"
#include "fuzz.h"

#define FUZZ_ARGS_MAX 12

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = Fuzz_string(data, size);
    char *argv[FUZZ_ARGS_MAX + 2];
    char err[512];
    TopOptions o;
    int argc = 1;
    size_t i = 0;
    Status st;

    argv[0] = "top";
    while (i < size && argc <= FUZZ_ARGS_MAX) {
        argv[argc++] = text + i;
        i += strlen(text + i) + 1;
    }
    argv[argc] = NULL;
    err[0] = '\0';
    st = TopOptions_parse(&o, argc, argv, err, sizeof err);
    if (st == STATUS_OK) {
        FUZZ_CHECK(o.delay_s > 0.0 && o.delay_s <= TOP_DELAY_MAX_S);
    } else {
        FUZZ_CHECK(st == STATUS_USAGE);
        FUZZ_CHECK(err[0] != '\0' && Fuzz_terminated(err, sizeof err));
        /* "unknown option 'X'" names an option, not the word before it. */
        if (strncmp(err, "unknown option '", 16) == 0)
            FUZZ_CHECK(err[16] == '-');
    }
    free(text);
    return 0;
}
