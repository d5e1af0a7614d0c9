/* keycodes.h: the TUI's key codes, free of ncurses.  A key is its
 * character (0 to 255) or one of these; ui.c turns ncurses' codes into
 * them, so keys.c, prompt.c and the tests never see ncurses. */
#ifndef XENLIVE_KEYCODES_H
#define XENLIVE_KEYCODES_H

/* Codes for the keys that are not one character. */
#define KEYS_ENTER '\n'
#define KEYS_ESCAPE 27
#define KEYS_UP 0x10001
#define KEYS_DOWN 0x10002
#define KEYS_BACKSPACE 0x10003

#endif
