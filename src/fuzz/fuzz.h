/* fuzz.h: what the libFuzzer targets in src/fuzz share.  Each target
 * fuzz_NAME.c feeds LLVMFuzzerTestOneInput's bytes to one parser of
 * outside text and checks what the parser promises in its header; a
 * broken promise aborts, which libFuzzer reports as a crash. */
#ifndef XENLIVE_FUZZ_H
#define XENLIVE_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Abort with the condition's text when COND is false. */
#define FUZZ_CHECK(cond)                                                                     \
    do {                                                                                     \
        if (!(cond)) {                                                                       \
            fprintf(stderr, "%s:%d: fuzz check failed: %s\n", __FILE__, __LINE__, #cond);   \
            abort();                                                                         \
        }                                                                                    \
    } while (0)

/* The SIZE bytes at DATA as a NUL-terminated string (cut at a NUL byte
 * in it), in memory the caller frees; aborts when out of memory. */
static inline char *Fuzz_string(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);

    FUZZ_CHECK(s != NULL);
    memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/* A string that is NUL-terminated within SIZE bytes: the writers'
 * promise that nothing runs past a buffer. */
static inline int Fuzz_terminated(const char *s, size_t size)
{
    return memchr(s, '\0', size) != NULL;
}

#endif
