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
