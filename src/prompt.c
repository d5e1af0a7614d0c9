/* prompt.c: the TUI's one-line questions. */
#include "prompt.h"

#include "keycodes.h"
#include "util.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

PromptEdit Prompt_edit(char *text, int key)
{
    size_t n = strlen(text);

    if (key == KEYS_ENTER)
        return PROMPT_DONE;
    if (key == KEYS_ESCAPE)
        return PROMPT_CANCELLED;
    if (key == KEYS_BACKSPACE) {
        if (n)
            text[n - 1] = '\0';
    } else if (key >= 0x20 && key < 0x7f && n + 1 < PROMPT_MAX) {
        text[n] = (char)key;
        text[n + 1] = '\0';
    }
    return PROMPT_EDITING;
}

/* TEXT without blanks around it, into BUF. */
static void Prompt_trim(const char *text, char *buf, size_t len)
{
    size_t n;

    while (isspace((unsigned char)*text))
        text++;
    snprintf(buf, len, "%s", text);
    n = strlen(buf);
    while (n && isspace((unsigned char)buf[n - 1]))
        buf[--n] = '\0';
}

bool Prompt_parseCount(const char *text, unsigned *out)
{
    char buf[PROMPT_MAX];

    Prompt_trim(text, buf, sizeof buf);
    return Util_parseUnsigned(buf, out) && *out >= 1 && *out <= PROMPT_COUNT_MAX;
}

bool Prompt_parseMib(const char *text, unsigned *out)
{
    char buf[PROMPT_MAX];
    size_t n;
    unsigned factor = 1;

    Prompt_trim(text, buf, sizeof buf);
    n = strlen(buf);
    if (n && (buf[n - 1] == 'm' || buf[n - 1] == 'M')) {
        buf[--n] = '\0';
    } else if (n && (buf[n - 1] == 'g' || buf[n - 1] == 'G')) {
        buf[--n] = '\0';
        factor = 1024;
    }
    if (!Util_parseUnsigned(buf, out) || *out < 1 || *out > UINT32_MAX / 1024 / factor)
        return false;
    *out *= factor;
    return true;
}

const Image *Prompt_parseImage(const Catalog *c, const char *text)
{
    char buf[PROMPT_MAX];
    const Image *found = NULL;
    size_t n;
    size_t i;

    Prompt_trim(text, buf, sizeof buf);
    n = strlen(buf);
    if (!n)
        return NULL;
    for (i = 0; i < c->count; i++) {
        const Image *img = &c->images[i];

        if (!img->available)
            continue;
        if (strcasecmp(img->name, buf) == 0)
            return img;
        if (strncasecmp(img->name, buf, n) == 0) {
            if (found)
                return NULL; /* "d" for debian and devuan: ask again */
            found = img;
        }
    }
    return found;
}
