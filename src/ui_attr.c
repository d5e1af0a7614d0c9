/* ui_attr.c: the drawing's attributes. */
#include "ui_attr.h"

#include <curses.h>
#include <stdbool.h>

#define UI_PAIR_HEADER 1
#define UI_PAIR_SELECTED 2

static bool Ui_colour;

void Ui_attrInit(void)
{
    Ui_colour = has_colors() && start_color() == OK;
    if (!Ui_colour)
        return;
    use_default_colors();
    init_pair(UI_PAIR_HEADER, COLOR_BLACK, COLOR_CYAN);
    init_pair(UI_PAIR_SELECTED, COLOR_BLACK, COLOR_YELLOW);
}

int Ui_attrHeader(void)
{
    return Ui_colour ? (int)COLOR_PAIR(UI_PAIR_HEADER) : A_REVERSE;
}

int Ui_attrSelected(void)
{
    /* Reverse with colour too: it stays visible whatever the palette. */
    return Ui_colour ? (int)(COLOR_PAIR(UI_PAIR_SELECTED) | A_BOLD) : A_REVERSE;
}
