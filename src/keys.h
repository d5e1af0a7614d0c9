/* keys.h: the TUI's keys, in one table {key, label, help, handler}: the
 * footer shows the labels, the ? screen the help, and Keys_dispatch
 * runs the handler.  Keys are keycodes.h's ncurses-free codes (ui.c
 * translates), so the tests press keys without a terminal. */
#ifndef XENLIVE_KEYS_H
#define XENLIVE_KEYS_H

#include "keycodes.h"
#include "view.h"

#include <stddef.h>

typedef struct Key {
    int key;
    const char *label; /* the footer's word; NULL: only on the help screen */
    const char *help;  /* the help screen's line */
    void (*handler)(View *v);
} Key;

extern const Key Keys_all[];
extern const size_t Keys_count;

/* KEY as the user knows it: "Enter", "Up", "d". */
void Keys_name(int key, char *buf, size_t len);

/* Act on KEY: a command in the table, an answer to the question being
 * asked, or nothing.  Outcomes and errors go to V->status. */
void Keys_dispatch(View *v, int key);

/* "d Debian  c CentOS ..." for the footer line. */
void Keys_footer(char *buf, size_t len);

#endif
