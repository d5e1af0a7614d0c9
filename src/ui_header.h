/* ui_header.h: the host header of the full-screen view (ncurses). */
#ifndef XENLIVE_UI_HEADER_H
#define XENLIVE_UI_HEADER_H

#include "view.h"

/* Draw the host header from line 0, at most WIDTH columns: Xen's version
 * and uptime, CPUs and their use, the memory bar (MiB), how many more
 * guests fit, the network line.  Returns the lines used (4). */
int UiHeader_draw(const View *v, int width);

#endif
