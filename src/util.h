/* util.h: small helpers shared by the modules. */
#ifndef XENLIVE_UTIL_H
#define XENLIVE_UTIL_H

#include <stdbool.h>
#include <stddef.h>

/* A whole decimal number, digits only, that fits in an unsigned int. */
bool Util_parseUnsigned(const char *s, unsigned *out);

/* mkdir -p PATH (mode 0755). */
int Util_mkdirs(const char *path, char *err, size_t errlen);

/* The first line of the file at PATH, without its newline. */
int Util_readLine(const char *path, char *buf, size_t len);

#endif
