/* catalog.h: the guest images in the catalog folder, one folder per
 * image holding image.conf and, when available, rootfs.squashfs. */
#ifndef XENLIVE_CATALOG_H
#define XENLIVE_CATALOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* MIN_MEMORY_MIB of an image.conf without one, MiB: xenlive's guest kernel
 * (guest-images/kernel) and its initramfs need most of that before any
 * userland runs (measured by tests/bench/floor.py: Tiny, the smallest
 * userland, panics "deadlocked on memory" in 24 MiB and works in 28). */
#define IMAGE_MIN_MEMORY_MIB 28u

/* Short enough that IMAGE-NNNN stays a readable domain name. */
#define IMAGE_NAME_MAX 48

typedef struct Image {
    char name[IMAGE_NAME_MAX + 1];
    char display_name[128];
    char description[512];
    unsigned memory_mib;     /* MEMORY_MIB: default guest memory, MiB */
    unsigned min_memory_mib; /* MIN_MEMORY_MIB: the least memory, MiB, in which the
                              * image boots and works (measured; launch -m refuses
                              * less); IMAGE_MIN_MEMORY_MIB when not given */
    unsigned vcpus;      /* default vCPUs; 1 when not given */
    char cmdline[1024];  /* guest kernel command line */
    char up_marker[256]; /* console text that says the guest is up */
    bool available;
    char unavailable_reason[512];
} Image;

typedef struct Catalog {
    Image *images; /* sorted by name */
    size_t count;
} Catalog;

/* Parse image.conf text from F; PATH names it in error messages. */
int Image_parse(Image *img, FILE *f, const char *path, char *err, size_t errlen);

/* Load DIR/image.conf.  DIR's last component must equal NAME, and an
 * image without DIR/rootfs.squashfs is unavailable. */
int Image_load(Image *img, const char *dir, char *err, size_t errlen);

/* Letters, digits, '.', '_' and '-', starting with a letter or digit. */
bool Image_validName(const char *name);

int Catalog_load(Catalog *c, const char *root, char *err, size_t errlen);
const Image *Catalog_find(const Catalog *c, const char *name);
void Catalog_free(Catalog *c);

#endif
