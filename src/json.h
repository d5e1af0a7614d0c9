/* json.h: just enough JSON output for --json. */
#ifndef XENLIVE_JSON_H
#define XENLIVE_JSON_H

#include <stdio.h>

/* S as a JSON string, quotes included. */
void Json_writeString(FILE *f, const char *s);

/* S as a JSON string, or null when S is NULL or "" (unknown). */
void Json_writeStringOrNull(FILE *f, const char *s);

#endif
