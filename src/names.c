/* names.c: guest names, IMAGE-N. */
#include "names.h"

#include "saves.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

int Names_next(const char *image, const DomainList *running, const Paths *paths, char *out,
               size_t len)
{
    char cfg[PATH_MAX];
    unsigned n;

    /* Ends: only finitely many domains and configs can be in the way. */
    for (n = 1;; n++) {
        if (snprintf(out, len, "%s-%u", image, n) >= (int)len)
            return -1;
        if (DomainList_find(running, out))
            continue;
        if (Paths_cfg(paths, out, cfg, sizeof cfg) < 0)
            return -1;
        if (access(cfg, F_OK) == 0)
            continue;
        /* A saved guest keeps its name: xenlive restore brings it back. */
        if (Saves_exists(paths, out))
            continue;
        return 0;
    }
}

bool Names_split(const char *name, char *image, size_t len)
{
    const char *dash = strrchr(name, '-');

    if (!dash || dash == name || dash[1] == '\0' ||
        strspn(dash + 1, "0123456789") != strlen(dash + 1))
        return false;
    return snprintf(image, len, "%.*s", (int)(dash - name), name) < (int)len;
}
