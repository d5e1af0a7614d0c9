/* ui.h: the full-screen view (ncurses): the host header, the domain
 * table, the footer and the status line, refreshed every DELAY_S
 * seconds, with the keys of keys.c.  ui.c runs it; ui_header.c and
 * ui_table.c draw it.  Only these files know about ncurses. */
#ifndef XENLIVE_UI_H
#define XENLIVE_UI_H

#include "backend.h"
#include "catalog.h"
#include "paths.h"
#include "status.h"
#include "top.h"
#include "view.h"

#include <stddef.h>

/* Until q.  Fails only when the terminal cannot be set up. */
Status Ui_run(Backend *be, const Paths *paths, const Catalog *c, const TopOptions *o, char *err,
              size_t errlen);

/* The attributes of the drawing: A_REVERSE without colour. */
int Ui_attrHeader(void);
int Ui_attrSelected(void);

/* Draw the host header from line 0; returns the lines used. */
int UiHeader_draw(const View *v, int width);
/* The domain table from line TOP, HEIGHT lines, header included. */
void UiTable_draw(const View *v, int top, int height, int width);
/* The footer (keys) and the status or question on the last two lines. */
void UiTable_drawFooter(const View *v, int lines, int width);
/* The ? screen. */
void UiTable_drawHelp(int lines, int width);

#endif
