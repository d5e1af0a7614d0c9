/* ui.h: the full-screen view (ncurses): the host header, the domain
 * table, the footer and the status line, refreshed every DELAY_S
 * seconds, with the keys of keys.c.  ui.c runs it; ui_header.c and
 * ui_table.c draw it, with ui_attr.c's attributes.  Only these files
 * know about ncurses. */
#ifndef XENLIVE_UI_H
#define XENLIVE_UI_H

#include "backend.h"
#include "catalog.h"
#include "paths.h"
#include "status.h"
#include "top.h"

#include <stddef.h>

/* Run the view until q, refreshing every O->delay_s seconds, sorted by
 * O->sort (O->descending).  STATUS_OK on q; STATUS_ERROR (ERR) only when
 * the terminal cannot be set up: no usable terminfo entry for TERM nor a
 * close one (ui_term.h; a fallback is named in one line on stderr and in
 * the status line), or TERM=dumb.  Below UI_MIN_COLS x UI_MIN_LINES it
 * shows "terminal too small" until the terminal is enlarged; only q acts. */
Status Ui_run(Backend *be, const Paths *paths, const Catalog *c, const TopOptions *o, char *err,
              size_t errlen);

#endif
