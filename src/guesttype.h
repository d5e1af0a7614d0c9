/* guesttype.h: PV or PVH, and how xenlive picks one. */
#ifndef XENLIVE_GUESTTYPE_H
#define XENLIVE_GUESTTYPE_H

#include <stdbool.h>
#include <stdio.h>

typedef enum GuestType {
    GUEST_AUTO, /* let GuestType_choose decide */
    GUEST_PV,
    GUEST_PVH,
} GuestType;

GuestType GuestType_choose(bool has_hvm, bool is_tcg);
const char *GuestType_name(GuestType t);
/* "pv" or "pvh". */
bool GuestType_parse(const char *s, GuestType *out);
/* /proc/cpuinfo text (F) names one of QEMU's emulated CPU models. */
bool GuestType_cpuinfoIsTcg(FILE *f);

#endif
