/* ui_table.c: the domain table, the footer, the status line and the
 * help screen. */
#include "ui_table.h"

#include "keys.h"
#include "layout.h"
#include "sparkline.h"
#include "ui_attr.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#define UI_CELL 256

/* TEXT in a cell of WIDTH at column X, cut when longer. */
static void UiTable_cell(int y, int x, int width, bool left, const char *text)
{
    char cell[UI_CELL];

    if (width >= UI_CELL)
        width = UI_CELL - 1;
    if (left)
        snprintf(cell, sizeof cell, "%-*.*s", width, width, text);
    else
        snprintf(cell, sizeof cell, "%*.*s", width, width, text);
    mvaddnstr(y, x, cell, width);
}

static void UiTable_row(int y, const Layout *l, const DomainRow *r)
{
    char text[UI_CELL];
    int x = 0;
    size_t i;

    for (i = 0; i < l->count; i++) {
        if (Layout_isSpark(l->cols[i]))
            Sparkline_format(r->cpu_history, (size_t)l->widths[i], text, sizeof text);
        else
            l->cols[i]->format(text, sizeof text, r);
        UiTable_cell(y, x, l->widths[i], l->cols[i]->left, text);
        x += l->widths[i] + 1;
    }
}

void UiTable_draw(const View *v, int top, int height, int width)
{
    const Column *sorted = Layout_column(v->sort);
    Layout l;
    size_t first = 0;
    size_t i;
    int x = 0;
    int rows = height - 1;

    if (height < 1)
        return;
    Layout_fit(&l, width);
    attron(Ui_attrHeader());
    mvhline(top, 0, ' ', width);
    for (i = 0; i < l.count; i++) {
        char head[UI_CELL];

        /* The sort column's header is marked with its direction. */
        snprintf(head, sizeof head, "%s%s", l.cols[i]->header,
                 l.cols[i] == sorted ? (v->descending ? "v" : "^") : "");
        UiTable_cell(top, x, l.widths[i], l.cols[i]->left, head);
        x += l.widths[i] + 1;
    }
    attroff(Ui_attrHeader());
    /* Scroll so the selection is on the screen. */
    if (rows > 0 && v->selected >= (size_t)rows)
        first = v->selected - (size_t)rows + 1;
    for (i = first; i < v->top.count && (int)(i - first) < rows; i++) {
        int y = top + 1 + (int)(i - first);

        if (i == v->selected) {
            attron(Ui_attrSelected());
            mvhline(y, 0, ' ', width);
        }
        UiTable_row(y, &l, &v->top.rows[i]);
        if (i == v->selected)
            attroff(Ui_attrSelected());
    }
}

void UiTable_drawFooter(const View *v, int lines, int width)
{
    char footer[1024];

    if (lines < 2)
        return;
    Keys_footer(footer, sizeof footer);
    attron(Ui_attrHeader());
    mvhline(lines - 2, 0, ' ', width);
    mvaddnstr(lines - 2, 0, footer, width);
    attroff(Ui_attrHeader());
    move(lines - 1, 0);
    clrtoeol();
    if (v->mode != VIEW_TABLE && v->mode != VIEW_HELP) {
        char ask[VIEW_STATUS_MAX + PROMPT_MAX];

        snprintf(ask, sizeof ask, "%s%s", v->question, v->answer);
        mvaddnstr(lines - 1, 0, ask, width);
    } else {
        mvaddnstr(lines - 1, 0, v->status, width);
    }
}

void UiTable_drawHelp(int lines, int width)
{
    char line[512];
    char name[16];
    int y = 2;
    size_t i;

    mvaddnstr(0, 0, "xenlive keys (any key returns)", width);
    for (i = 0; i < Keys_count && y < lines; i++, y++) {
        Keys_name(Keys_all[i].key, name, sizeof name);
        snprintf(line, sizeof line, "  %-6s %s", name, Keys_all[i].help);
        mvaddnstr(y, 0, line, width);
    }
}
