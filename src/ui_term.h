/* ui_term.h: the terminal the full-screen view opens, for the TERMs
 * people really use.  TERM's own terminfo entry when dom0 has it; else a
 * close one with a notice (kitty, alacritty, foot, wezterm, ghostty and
 * other xterm-likes: xterm-256color, then xterm; tmux and screen:
 * screen-256color, then screen; anything else, or no TERM: vt100).  A
 * TERM whose entry cannot move the cursor (dumb) is refused. */
#ifndef XENLIVE_UI_TERM_H
#define XENLIVE_UI_TERM_H

#include <stdbool.h>
#include <stddef.h>

/* The smallest screen the view is drawn in; below it, a notice. */
#define UI_MIN_COLS 40
#define UI_MIN_LINES 10

/* The terminfo name to open for TERM (NULL or "" when unset): TERM
 * itself, or a fallback, in which case NOTICE gets one line saying so
 * ("" otherwise).  NULL with ERR (one line) when there is no usable entry:
 * TERM=dumb and the like, or not even vt100. */
const char *UiTerm_choose(const char *term, char *notice, size_t noticelen, char *err,
                          size_t errlen);

/* The "terminal too small (needs 40x10, has 30x5)" line into BUF, for a
 * screen WIDTH columns wide and HEIGHT lines high; false (BUF untouched)
 * when the screen is big enough. */
bool UiTerm_tooSmall(int width, int height, char *buf, size_t len);

#endif
