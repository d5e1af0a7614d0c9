/* paths.c: where xenlive finds its files. */
#include "paths.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int Paths_join(char *buf, size_t len, const char *dir, const char *name)
{
    int n = snprintf(buf, len, "%s/%s", dir, name);

    return n < 0 || (size_t)n >= len ? -1 : 0;
}

int Paths_init(Paths *p, const char *images, const char *guest, const char *run)
{
    if (snprintf(p->images, sizeof p->images, "%s", images) >= (int)sizeof p->images ||
        snprintf(p->run, sizeof p->run, "%s", run) >= (int)sizeof p->run)
        return -1;
    if (Paths_join(p->kernel, sizeof p->kernel, guest, "vmlinux") < 0 ||
        Paths_join(p->initrd, sizeof p->initrd, guest, "initrd.img") < 0 ||
        Paths_join(p->domains, sizeof p->domains, run, "domains") < 0 ||
        Paths_join(p->saves, sizeof p->saves, run, "saves") < 0)
        return -1;
    return 0;
}

static const char *Paths_env(const char *name, const char *fallback)
{
    const char *v = getenv(name);

    return v && *v ? v : fallback;
}

int Paths_fromEnv(Paths *p)
{
    return Paths_init(p, Paths_env("XENLIVE_IMAGES", PATHS_IMAGES_DEFAULT),
                      Paths_env("XENLIVE_GUEST_DIR", PATHS_GUEST_DEFAULT),
                      Paths_env("XENLIVE_RUN_DIR", PATHS_RUN_DEFAULT));
}

int Paths_cfg(const Paths *p, const char *name, char *buf, size_t len)
{
    if (!*name || name[0] == '.' || strchr(name, '/'))
        return -1;
    return snprintf(buf, len, "%s/%s.cfg", p->domains, name) >= (int)len ? -1 : 0;
}

int Paths_rootfs(const Paths *p, const char *image, char *buf, size_t len)
{
    return snprintf(buf, len, "%s/%s/rootfs.squashfs", p->images, image) >= (int)len ? -1 : 0;
}
