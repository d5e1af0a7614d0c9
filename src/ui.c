/* ui.c: the full-screen view's main loop: refresh every delay, read
 * keys in between, hand them to keys.c, redraw. */
#include "ui.h"

#include "keycodes.h"
#include "keys.h"
#include "layout.h"
#include "ui_attr.h"
#include "ui_header.h"
#include "ui_table.h"
#include "ui_term.h"
#include "view.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double Ui_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void Ui_draw(View *v)
{
    int lines = LINES;
    int width = COLS;
    char small[96];

    erase();
    if (UiTerm_tooSmall(width, lines, small, sizeof small)) {
        /* The notice alone, wrapped over what lines there are. */
        size_t n = strlen(small);
        size_t at;
        int y;

        for (y = 0, at = 0; y < lines && at < n && width > 0; y++, at += (size_t)width)
            mvaddnstr(y, 0, small + at, width);
    } else if (v->mode == VIEW_HELP) {
        UiTable_drawHelp(lines, width);
    } else {
        int used = UiHeader_draw(v, width);

        UiTable_draw(v, used + 1, lines - used - 3, width);
        UiTable_drawFooter(v, lines, width);
    }
    refresh();
}

/* keys.c's hooks. */
static void Ui_busy(View *v)
{
    Ui_draw(v);
}

static void Ui_suspend(View *v)
{
    (void)v;
    def_prog_mode();
    endwin();
}

static void Ui_resume(View *v)
{
    (void)v;
    reset_prog_mode();
    clearok(stdscr, TRUE); /* the console's output is still on the screen */
    refresh();
}

/* Ctrl-L, as in top, htop and less: repaint the whole screen. */
#define UI_KEY_REPAINT 0x0c

/* ncurses' key codes as keycodes.h's; -1 for none of ours. */
static int Ui_key(int ch)
{
    switch (ch) {
    case KEY_UP:
        return KEYS_UP;
    case KEY_DOWN:
        return KEYS_DOWN;
    case KEY_ENTER:
    case '\r':
    case '\n':
        return KEYS_ENTER;
    case KEY_BACKSPACE:
    case 127:
    case 8:
        return KEYS_BACKSPACE;
    default:
        return ch >= 0 && ch < 0x100 ? ch : -1;
    }
}

Status Ui_run(Backend *be, const Paths *paths, const Catalog *c, const TopOptions *o, char *err,
              size_t errlen)
{
    View v;
    double next;
    char notice[160];
    const char *term = UiTerm_choose(getenv("TERM"), notice, sizeof notice, err, errlen);
    SCREEN *screen;

    if (!term)
        return STATUS_ERROR;
    if (notice[0])
        fprintf(stderr, "xenlive: %s\n", notice);
    /* newterm, not initscr: initscr exits the program when it fails. */
    screen = newterm(term, stdout, stdin);
    if (!screen) {
        snprintf(err, errlen, "cannot set up the terminal %s", term);
        return STATUS_ERROR;
    }
    set_term(screen);
    cbreak();
    noecho();
    nonl(); /* Enter arrives as '\r', which Ui_key maps */
    keypad(stdscr, TRUE);
    set_escdelay(50); /* Escape cancels a question without a long wait */
    curs_set(0);
    Ui_attrInit();
    View_init(&v, be, paths, c);
    if (notice[0])
        View_setStatus(&v, "%s", notice);
    v.show_password = Access_passwordVisibleHere();
    if (o->sort) {
        size_t i;

        for (i = 0; i < Layout_count(); i++) {
            if (Layout_column(i) == o->sort)
                v.sort = i;
        }
    }
    v.descending = o->descending;
    v.busy = Ui_busy;
    v.suspend = Ui_suspend;
    v.resume = Ui_resume;
    View_refresh(&v);
    next = Ui_now() + o->delay_s;
    while (!v.quit) {
        double wait;
        int ch;

        Ui_draw(&v);
        wait = next - Ui_now();
        timeout(wait > 0 ? (int)(wait * 1000) + 1 : 0);
        ch = getch();
        if (ch == ERR) { /* the delay is up */
            View_refresh(&v);
            next = Ui_now() + o->delay_s;
            continue;
        }
        if (ch == KEY_RESIZE)
            continue; /* the next Ui_draw uses the new LINES and COLS */
        if (ch == UI_KEY_REPAINT) {
            /* The next Ui_draw repaints every cell: on a serial console,
             * Xen's and the kernel's messages write over the view. */
            clearok(stdscr, TRUE);
            continue;
        }
        if ((COLS < UI_MIN_COLS || LINES < UI_MIN_LINES) && ch != 'q')
            continue; /* too small to show what a key would do; q still quits */
        Keys_dispatch(&v, Ui_key(ch));
        if (v.stale) {
            View_refresh(&v);
            next = Ui_now() + o->delay_s;
        }
    }
    endwin();
    delscreen(screen);
    View_free(&v);
    return STATUS_OK;
}
