/* fuzz_xlcfg.c: the xl config writer (xlcfg.c) fed odd values.  The
 * input's lines are the name, the image, the image's CMDLINE and the
 * authkey.  A config that is written has exactly two quotes on each
 * string line and an extra= of at most XLCFG_CMDLINE_MAX characters;
 * otherwise it fails with a one-line error. */
#include "../xlcfg.h"
#include "fuzz.h"

/* The next '\n'-ended field of *S, NUL-terminated in place. */
static const char *Fuzz_field(char **s)
{
    char *start = *s;
    char *nl = strchr(start, '\n');

    if (nl) {
        *nl = '\0';
        *s = nl + 1;
    } else {
        *s = start + strlen(start);
    }
    return start;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = Fuzz_string(data, size);
    char *p = text;
    char *out = NULL;
    size_t outlen = 0;
    char err[2048];
    XlCfg cfg;
    FILE *f;
    uint8_t mac[6];

    memset(&cfg, 0, sizeof cfg);
    cfg.name = Fuzz_field(&p);
    cfg.image = Fuzz_field(&p);
    cfg.cmdline = Fuzz_field(&p);
    cfg.authkey = *p ? Fuzz_field(&p) : NULL;
    cfg.type = size % 2 ? GUEST_PV : GUEST_PVH;
    cfg.kernel = "/usr/share/xenlive/guest/vmlinux";
    cfg.initrd = "/usr/share/xenlive/guest/initrd.img";
    cfg.rootfs = "/run/xenlive/images/tiny/rootfs.squashfs";
    cfg.memory_mib = 96;
    cfg.vcpus = 1;
    XlCfg_machineId((const uint8_t *)"0123456789abcdef", cfg.machine_id);
    XlCfg_mac(cfg.name, cfg.image, mac);
    FUZZ_CHECK(mac[0] == 0x00 && mac[1] == 0x16 && mac[2] == 0x3e && mac[3] < 0x80);
    cfg.vif = true;
    memcpy(cfg.mac, mac, sizeof mac);

    f = open_memstream(&out, &outlen);
    FUZZ_CHECK(f != NULL);
    err[0] = '\0';
    if (XlCfg_write(&cfg, f, err, sizeof err) == 0) {
        char *line;
        char *save = NULL;

        FUZZ_CHECK(fclose(f) == 0);
        for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
            size_t quotes = 0;
            const char *q;

            for (q = line; *q; q++)
                quotes += *q == '"';
            FUZZ_CHECK(quotes % 2 == 0);
            FUZZ_CHECK(line[0] == '#' || strstr(line, " = ") != NULL);
            if (strncmp(line, "extra = \"", 9) == 0)
                FUZZ_CHECK(strlen(line) - 10 <= XLCFG_CMDLINE_MAX);
            if (strncmp(line, "name = ", 7) == 0)
                FUZZ_CHECK(quotes == 2);
        }
    } else {
        FUZZ_CHECK(err[0] != '\0' && Fuzz_terminated(err, sizeof err));
        fclose(f);
    }
    free(out);
    free(text);
    return 0;
}
