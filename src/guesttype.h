/* guesttype.h: PV or PVH, and how xenlive picks one. */
#ifndef XENLIVE_GUESTTYPE_H
#define XENLIVE_GUESTTYPE_H

#include <stdbool.h>

typedef enum GuestType {
    GUEST_AUTO, /* let GuestType_choose decide */
    GUEST_PV,
    GUEST_PVH,
} GuestType;

/* PVH when Xen runs HVM guests (HAS_HVM) and the host is not QEMU's
 * emulator (IS_TCG, Host_isTcg); PV otherwise. */
GuestType GuestType_choose(bool has_hvm, bool is_tcg);
const char *GuestType_name(GuestType t);
/* "pv" or "pvh". */
bool GuestType_parse(const char *s, GuestType *out);

#endif
