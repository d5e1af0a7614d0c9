/* fuzz_image_conf.c: image.conf text into Image_parse (catalog.c). */
#include "../catalog.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256];
    Image img;
    FILE *f;

    f = fmemopen((void *)data, size ? size : 1, "r");
    FUZZ_CHECK(f != NULL);
    if (size == 0)
        fgetc(f); /* fmemopen needs one byte: read it, so the text is empty */
    err[0] = '\0';
    if (Image_parse(&img, f, "image.conf", err, sizeof err) == 0) {
        FUZZ_CHECK(Image_validName(img.name));
        FUZZ_CHECK(img.memory_mib >= 1 && img.vcpus >= 1);
        FUZZ_CHECK(Fuzz_terminated(img.display_name, sizeof img.display_name));
        FUZZ_CHECK(Fuzz_terminated(img.description, sizeof img.description));
        FUZZ_CHECK(Fuzz_terminated(img.cmdline, sizeof img.cmdline));
        FUZZ_CHECK(Fuzz_terminated(img.up_marker, sizeof img.up_marker));
        FUZZ_CHECK(Fuzz_terminated(img.unavailable_reason, sizeof img.unavailable_reason));
    } else {
        /* An error is one line: the TUI's status line and stderr show it. */
        FUZZ_CHECK(err[0] != '\0' && Fuzz_terminated(err, sizeof err));
    }
    fclose(f);
    return 0;
}
