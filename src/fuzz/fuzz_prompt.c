/* fuzz_prompt.c: the TUI's questions (prompt.c).  Each input byte is a
 * key typed into the answer (0x01 is Backspace, 0x02 ends the answer,
 * like Enter); each answer is then read as an image, a count and MiB. */
#include "../keycodes.h"
#include "../prompt.h"
#include "fuzz.h"

static Image images[3];
static const Catalog catalog = {images, 3};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    snprintf(images[0].name, sizeof images[0].name, "centos");
    snprintf(images[1].name, sizeof images[1].name, "debian");
    snprintf(images[2].name, sizeof images[2].name, "devuan");
    images[0].available = images[1].available = true;
    return 0;
}

static void Fuzz_answer(const char *text)
{
    const Image *img;
    unsigned n = 0;

    if (Prompt_parseCount(text, &n))
        FUZZ_CHECK(n >= 1 && n <= PROMPT_COUNT_MAX);
    if (Prompt_parseMib(text, &n))
        FUZZ_CHECK(n >= 1);
    img = Prompt_parseImage(&catalog, text);
    if (img)
        FUZZ_CHECK(img->available);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char text[PROMPT_MAX] = "";
    char *whole = Fuzz_string(data, size);
    size_t i;

    for (i = 0; i < size; i++) {
        int key = data[i] == 0x01 ? KEYS_BACKSPACE : data[i] == 0x02 ? KEYS_ENTER : data[i];
        PromptEdit e = Prompt_edit(text, key);

        FUZZ_CHECK(strlen(text) < PROMPT_MAX);
        if (e != PROMPT_EDITING) {
            Fuzz_answer(text);
            text[0] = '\0';
        }
    }
    Fuzz_answer(text);
    Fuzz_answer(whole); /* the parsers take any string, not only typed ones */
    free(whole);
    return 0;
}
