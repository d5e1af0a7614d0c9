/* util.h: small helpers shared by the modules. */
#ifndef XENLIVE_UTIL_H
#define XENLIVE_UTIL_H

#include <stdbool.h>
#include <stddef.h>

/* A whole decimal number, digits only, that fits in an unsigned int. */
bool Util_parseUnsigned(const char *s, unsigned *out);

/* ERR for getopt(3)'s OPT ':' (an option without its value) or '?' (an
 * unknown option), read from getopt's optind and optopt: "-m needs a
 * value", "unknown option '-x'", "unknown option '--bogus'".  The caller
 * returns STATUS_USAGE. */
void Util_getoptError(int opt, char *const argv[], char *err, size_t errlen);

/* mkdir -p PATH (mode 0755). */
int Util_mkdirs(const char *path, char *err, size_t errlen);

/* The first line of the file at PATH, without its newline. */
int Util_readLine(const char *path, char *buf, size_t len);

/* The value of the first line KEY=VALUE of the file at PATH (xl.cfg(5)
 * style files xenlive and the boot scripts write: image.conf, the data
 * record, a save's .meta), one pair of double quotes removed; -1 when the
 * file cannot be read or has no such line, or the value does not fit. */
int Util_confValue(const char *path, const char *key, char *buf, size_t len);

/* Write TEXT to PATH through PATH.tmp, fsync'd, then rename: readers see
 * the old file or the whole new one, never a part.  -1 with ERR (and no
 * PATH.tmp left) when it fails. */
int Util_writeFileAtomic(const char *path, const char *text, char *err, size_t errlen);

#endif
