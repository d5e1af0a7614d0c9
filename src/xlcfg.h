/* xlcfg.h: the xl config of one guest. */
#ifndef XENLIVE_XLCFG_H
#define XENLIVE_XLCFG_H

#include "guesttype.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define XLCFG_BRIDGE "xenbr0"
/* The longest kernel command line Xen hands a PV guest (start_info's
 * 1024 bytes, its NUL included); a longer one is cut silently.  Kept for
 * PVH too, so that a guest boots the same as either type. */
#define XLCFG_CMDLINE_MAX 1023

typedef struct XlCfg {
    const char *name;    /* domain name, IMAGE-N */
    const char *image;   /* image name */
    GuestType type;      /* GUEST_PV or GUEST_PVH */
    const char *kernel;  /* guest kernel path */
    const char *initrd;  /* guest initramfs path */
    const char *cmdline; /* the image's CMDLINE */
    const char *rootfs;  /* the image's rootfs.squashfs */
    unsigned memory_mib;
    unsigned vcpus;
    char machine_id[33];  /* 32 lowercase hex digits */
    const char *authkey;  /* dom0's key, "TYPE:BASE64" (SshKey_cmdline), or NULL */
    bool vif;             /* a network card on XLCFG_BRIDGE */
    uint8_t mac[6];       /* its address, when vif */
} XlCfg;

/* A MAC in Xen's OUI 00:16:3e, the same for the same NAME and SALT. */
void XlCfg_mac(const char *name, const char *salt, uint8_t mac[6]);

/* 16 random bytes as the 32 hex digits of a machine id. */
void XlCfg_machineId(const uint8_t bytes[16], char out[33]);

/* Write the config text to F.  The kernel command line (extra) is the
 * image's CMDLINE, then xenlive.name=, xenlive.image=,
 * xenlive.machine_id= and, with an authkey, xenlive.authkey=TYPE:BASE64.
 * Fails if a value holds a character an xl config string cannot hold
 * plainly (quote, backslash, newline), or when the command line would be
 * longer than XLCFG_CMDLINE_MAX. */
int XlCfg_write(const XlCfg *cfg, FILE *f, char *err, size_t errlen);

#endif
