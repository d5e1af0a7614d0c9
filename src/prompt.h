/* prompt.h: the TUI's one-line questions (image, count, MiB, which
 * save): editing the answer key by key, and reading it.  Pure, so the
 * tests check the parsing without a terminal. */
#ifndef XENLIVE_PROMPT_H
#define XENLIVE_PROMPT_H

#include "catalog.h"

#include <stdbool.h>
#include <stddef.h>

#define PROMPT_MAX 64
#define PROMPT_COUNT_MAX 256 /* L: more guests than that is a typing slip */

typedef enum PromptEdit {
    PROMPT_EDITING,
    PROMPT_DONE,      /* Enter */
    PROMPT_CANCELLED, /* Escape */
} PromptEdit;

/* Apply KEY (a keys.h code) to the answer TEXT (PROMPT_MAX bytes):
 * printable characters are added, Backspace removes the last one. */
PromptEdit Prompt_edit(char *text, int key);

/* A count of guests, 1..PROMPT_COUNT_MAX; blanks around are fine. */
bool Prompt_parseCount(const char *text, unsigned *out);

/* Memory in MiB: "512", "512m" or "2g"; at least 1. */
bool Prompt_parseMib(const char *text, unsigned *out);

/* An available image by name or by the start of its name ("deb"), case
 * ignored; NULL when none or more than one match. */
const Image *Prompt_parseImage(const Catalog *c, const char *text);

#endif
