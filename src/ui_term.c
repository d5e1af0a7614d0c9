/* ui_term.c: which terminfo entry the view opens, and its least size. */
#include "ui_term.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>
#include <term.h>
#include <unistd.h>

/* Terminals that set a TERM of their own and speak xterm's language. */
static const char *const UiTerm_xtermLikes[] = {
    "xterm", "kitty", "alacritty", "foot", "wezterm", "ghostty", "st", "konsole", "gnome",
    "vte", "iterm", "rio", "contour", "mintty", "ms-terminal", "putty", "rxvt",
};

static void UiTerm_plain(char *s);

typedef enum UiTermEntry {
    UI_TERM_NONE,      /* no terminfo entry of that name */
    UI_TERM_NO_CURSOR, /* an entry that cannot move the cursor (dumb) */
    UI_TERM_OK,
} UiTermEntry;

static UiTermEntry UiTerm_probe(const char *name)
{
    TERMINAL *t;
    const char *cup;
    int errret = 0;
    UiTermEntry e;

    if (!name[0] || setupterm((char *)name, STDOUT_FILENO, &errret) != OK)
        return UI_TERM_NONE;
    cup = tigetstr("cup");
    e = (cup && cup != (char *)-1) ? UI_TERM_OK : UI_TERM_NO_CURSOR;
    t = cur_term;
    del_curterm(t);
    return e;
}

static bool UiTerm_startsWith(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static const char *UiTerm_pick(const char *term, char *notice, size_t noticelen, char *err,
                               size_t errlen)
{
    static const char *const xterms[] = {"xterm-256color", "xterm", "vt100", NULL};
    static const char *const screens[] = {"screen-256color", "screen", "vt100", NULL};
    static const char *const others[] = {"vt100", NULL};
    const char *const *fallbacks = others;
    size_t i;

    notice[0] = '\0';
    if (!term)
        term = "";
    switch (UiTerm_probe(term)) {
    case UI_TERM_OK:
        return term;
    case UI_TERM_NO_CURSOR:
        snprintf(err, errlen, "TERM=%s cannot move the cursor, which the full-screen view "
                 "needs; xenlive top --batch prints lines", term);
        return NULL;
    case UI_TERM_NONE:
        break;
    }
    for (i = 0; i < sizeof UiTerm_xtermLikes / sizeof UiTerm_xtermLikes[0]; i++) {
        if (UiTerm_startsWith(term, UiTerm_xtermLikes[i]))
            fallbacks = xterms;
    }
    if (UiTerm_startsWith(term, "tmux") || UiTerm_startsWith(term, "screen"))
        fallbacks = screens;
    for (i = 0; fallbacks[i]; i++) {
        if (UiTerm_probe(fallbacks[i]) != UI_TERM_OK)
            continue;
        if (term[0])
            snprintf(notice, noticelen, "no terminfo entry for TERM=%.64s here; using %s",
                     term, fallbacks[i]);
        else
            snprintf(notice, noticelen, "TERM is empty or not set; using %s", fallbacks[i]);
        return fallbacks[i];
    }
    snprintf(err, errlen, "no terminfo entry for TERM=%.64s, nor for %s", term[0] ? term : "''",
             fallbacks[0]);
    return NULL;
}

/* Control characters of TERM as '?', so that the line stays one line. */
static void UiTerm_plain(char *s)
{
    for (; *s; s++) {
        if ((unsigned char)*s < ' ' || *s == 0x7f)
            *s = '?';
    }
}

const char *UiTerm_choose(const char *term, char *notice, size_t noticelen, char *err,
                          size_t errlen)
{
    const char *name = UiTerm_pick(term, notice, noticelen, err, errlen);

    UiTerm_plain(notice);
    if (!name)
        UiTerm_plain(err);
    return name;
}

bool UiTerm_tooSmall(int width, int height, char *buf, size_t len)
{
    if (width >= UI_MIN_COLS && height >= UI_MIN_LINES)
        return false;
    snprintf(buf, len, "terminal too small (needs %dx%d, has %dx%d)", UI_MIN_COLS,
             UI_MIN_LINES, width, height);
    return true;
}
