/* guesttype.c: PV or PVH. */
#include "guesttype.h"

#include <string.h>

/* PVH needs Xen's HVM support.  QEMU's TCG emulates SVM, so Xen offers
 * HVM there too, but PVH guests on emulated SVM are very slow; PV runs
 * well everywhere. */
GuestType GuestType_choose(bool has_hvm, bool is_tcg)
{
    return has_hvm && !is_tcg ? GUEST_PVH : GUEST_PV;
}

const char *GuestType_name(GuestType t)
{
    switch (t) {
    case GUEST_PV:
        return "pv";
    case GUEST_PVH:
        return "pvh";
    default:
        return "auto";
    }
}

bool GuestType_parse(const char *s, GuestType *out)
{
    if (strcmp(s, "pv") == 0)
        *out = GUEST_PV;
    else if (strcmp(s, "pvh") == 0)
        *out = GUEST_PVH;
    else
        return false;
    return true;
}

bool GuestType_cpuinfoIsTcg(FILE *f)
{
    char line[512];

    while (fgets(line, sizeof line, f)) {
        /* QEMU's own CPU models: "QEMU TCG CPU" (-cpu max under TCG) and
         * "QEMU Virtual CPU" (qemu64, which xenlive's tests use).  A guest
         * that sees one is most likely emulated, where PV is the safe bet. */
        if (strncmp(line, "model name", 10) == 0)
            return strstr(line, "QEMU TCG") != NULL ||
                   strstr(line, "QEMU Virtual CPU") != NULL;
    }
    return false;
}
