/* paths.h: where xenlive finds images and the guest kernel, and keeps
 * its generated xl configs.  Tests point these at temporary folders. */
#ifndef XENLIVE_PATHS_H
#define XENLIVE_PATHS_H

#include <limits.h>
#include <stddef.h>

#define PATHS_IMAGES_DEFAULT "/run/xenlive/images"
#define PATHS_GUEST_DEFAULT "/usr/share/xenlive/guest"
#define PATHS_RUN_DEFAULT "/run/xenlive"

typedef struct Paths {
    char images[PATH_MAX];  /* one folder per image */
    char kernel[PATH_MAX];  /* the guest kernel, a plain ELF vmlinux */
    char initrd[PATH_MAX];  /* the guest initramfs */
    char run[PATH_MAX];     /* xenlive's run-time state */
    char domains[PATH_MAX]; /* generated xl configs, NAME.cfg */
    char saves[PATH_MAX];   /* guests saved to RAM (TUI, xenlive save), NAME.save */
} Paths;

int Paths_init(Paths *p, const char *images, const char *guest, const char *run);

/* The defaults, overridden by XENLIVE_IMAGES, XENLIVE_GUEST_DIR and
 * XENLIVE_RUN_DIR. */
int Paths_fromEnv(Paths *p);

/* The xl config of the domain NAME.  Fails for names that are not a
 * plain file name, so a domain name can never point outside domains/. */
int Paths_cfg(const Paths *p, const char *name, char *buf, size_t len);

/* The root file system of the image NAME. */
int Paths_rootfs(const Paths *p, const char *image, char *buf, size_t len);

#endif
