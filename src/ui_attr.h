/* ui_attr.h: the drawing's attributes (ncurses): colour pairs when the
 * terminal has colours, reverse video without. */
#ifndef XENLIVE_UI_ATTR_H
#define XENLIVE_UI_ATTR_H

/* Set up the colour pairs, after initscr; without colours (or when
 * start_color fails) the attributes below are A_REVERSE. */
void Ui_attrInit(void);

/* The ncurses attribute (for attron) of the table's header line and the
 * footer: black on cyan, or A_REVERSE. */
int Ui_attrHeader(void);

/* The selected row's: bold black on yellow, or A_REVERSE. */
int Ui_attrSelected(void);

#endif
