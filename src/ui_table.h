/* ui_table.h: the domain table, footer, status line and help screen of
 * the full-screen view (ncurses). */
#ifndef XENLIVE_UI_TABLE_H
#define XENLIVE_UI_TABLE_H

#include "view.h"

/* The domain table from line TOP, HEIGHT lines with its header line,
 * WIDTH columns; scrolled so that the selection shows. */
void UiTable_draw(const View *v, int top, int height, int width);

/* The footer (the keys' labels) and the status or the question being
 * asked, on the last two of LINES lines. */
void UiTable_drawFooter(const View *v, int lines, int width);

/* The ? screen: every key and its help, one a line. */
void UiTable_drawHelp(int lines, int width);

#endif
