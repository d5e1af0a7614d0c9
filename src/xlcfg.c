/* xlcfg.c: the xl config of one guest. */
#include "xlcfg.h"

#include <string.h>

/* FNV-1a: tiny, and spreads similar names (debian-1, debian-2) well. */
static uint32_t XlCfg_hash(uint32_t h, const char *s)
{
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 16777619u;
    }
    return h;
}

void XlCfg_mac(const char *name, const char *salt, uint8_t mac[6])
{
    uint32_t h = XlCfg_hash(2166136261u, salt);

    h = XlCfg_hash(h ^ '\n', name); /* the '\n' keeps salt+name pairs apart */
    mac[0] = 0x00;
    mac[1] = 0x16;
    mac[2] = 0x3e;
    mac[3] = (h >> 16) & 0x7f; /* like libxl's own random MACs in this OUI */
    mac[4] = (h >> 8) & 0xff;
    mac[5] = h & 0xff;
}

void XlCfg_machineId(const uint8_t bytes[16], char out[33])
{
    int i;

    for (i = 0; i < 16; i++)
        snprintf(out + 2 * i, 3, "%02x", bytes[i]);
}

static bool XlCfg_plain(const char *s)
{
    for (; *s; s++) {
        if (*s == '"' || *s == '\\' || (unsigned char)*s < 0x20)
            return false;
    }
    return true;
}

/* The guest kernel's command line into BUF; -1 when it does not fit. */
static int XlCfg_extra(const XlCfg *cfg, char *buf, size_t len)
{
    int n = snprintf(buf, len, "%s%sxenlive.name=%s xenlive.image=%s xenlive.machine_id=%s%s%s",
                     cfg->cmdline, cfg->cmdline[0] ? " " : "", cfg->name, cfg->image,
                     cfg->machine_id, cfg->authkey ? " xenlive.authkey=" : "",
                     cfg->authkey ? cfg->authkey : "");

    return n < 0 || (size_t)n >= len ? -1 : 0;
}

int XlCfg_write(const XlCfg *cfg, FILE *f, char *err, size_t errlen)
{
    const char *values[] = {cfg->name, cfg->image, cfg->kernel, cfg->initrd, cfg->cmdline,
                            cfg->rootfs, cfg->authkey ? cfg->authkey : ""};
    char extra[XLCFG_CMDLINE_MAX + 1];
    size_t i;

    for (i = 0; i < sizeof values / sizeof values[0]; i++) {
        if (!XlCfg_plain(values[i])) {
            snprintf(err, errlen, "cannot put '%s' in an xl config (quote, backslash or "
                     "control character)", values[i]);
            return -1;
        }
    }
    if (XlCfg_extra(cfg, extra, sizeof extra) < 0) {
        snprintf(err, errlen, "the kernel command line of %s would be longer than the %d "
                 "characters Xen passes on (a long CMDLINE, or a long dom0 key: use "
                 "ssh-ed25519)", cfg->name, XLCFG_CMDLINE_MAX);
        return -1;
    }
    fprintf(f, "# Written by xenlive launch; xenlive destroy removes it.\n");
    fprintf(f, "name = \"%s\"\n", cfg->name);
    fprintf(f, "type = \"%s\"\n", GuestType_name(cfg->type));
    fprintf(f, "kernel = \"%s\"\n", cfg->kernel);
    fprintf(f, "ramdisk = \"%s\"\n", cfg->initrd);
    fprintf(f, "memory = %u\n", cfg->memory_mib);
    fprintf(f, "vcpus = %u\n", cfg->vcpus);
    fprintf(f, "extra = \"%s\"\n", extra);
    fprintf(f, "disk = [ \"format=raw, vdev=xvda, access=ro, target=%s\" ]\n", cfg->rootfs);
    if (cfg->vif)
        fprintf(f, "vif = [ \"mac=%02x:%02x:%02x:%02x:%02x:%02x, bridge=%s\" ]\n", cfg->mac[0],
                cfg->mac[1], cfg->mac[2], cfg->mac[3], cfg->mac[4], cfg->mac[5], XLCFG_BRIDGE);
    fprintf(f, "on_crash = \"destroy\"\n");
    if (ferror(f)) {
        snprintf(err, errlen, "cannot write the xl config of %s", cfg->name);
        return -1;
    }
    return 0;
}
