/* backend_xen.h: the backend that talks to Xen: libxl for queries, the
 * xl command for creating and destroying domains. */
#ifndef XENLIVE_BACKEND_XEN_H
#define XENLIVE_BACKEND_XEN_H

#include "backend.h"
#include "paths.h"

/* NULL, with ERR set, when Xen cannot be reached (not root, not dom0). */
Backend *BackendXen_new(const Paths *paths, char *err, size_t errlen);

#endif
