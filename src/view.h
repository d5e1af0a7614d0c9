/* view.h: what the TUI shows and where the user is in it, without any
 * drawing: the Top rows, the host header's numbers, the selected domain
 * (kept by name), the sort column, the status line, and the question
 * being asked.  keys.c changes it; ui*.c draw it. */
#ifndef XENLIVE_VIEW_H
#define XENLIVE_VIEW_H

#include "access.h"
#include "backend.h"
#include "catalog.h"
#include "paths.h"
#include "prompt.h"
#include "stats.h"
#include "status.h"
#include "top.h"

#include <stdbool.h>
#include <stddef.h>

#define VIEW_STATUS_MAX 512

typedef enum ViewMode {
    VIEW_TABLE,           /* keys are commands */
    VIEW_HELP,            /* the ? screen; any key closes it */
    VIEW_CONFIRM_DESTROY, /* "destroy NAME? (y/n)" */
    VIEW_ASK_IMAGE,       /* L: which image */
    VIEW_ASK_COUNT,       /* L: how many */
    VIEW_ASK_MIB,         /* m: memory */
    VIEW_ASK_RESTORE,     /* R: which save */
    VIEW_ASK_APP,         /* a: which application, on the target guest */
    VIEW_ASK_APP_IMAGE,   /* A: which image */
    VIEW_ASK_IMAGE_APP,   /* A: which application, on every guest of the image */
    VIEW_ASK_HOST,        /* M: which machine to move to */
} ViewMode;

typedef struct View View;

struct View {
    Backend *be;
    const Paths *paths;
    const Catalog *catalog;
    Top top;
    HostInfo host;
    bool has_host;
    Access access;                          /* the header's network line */
    bool show_password;                     /* Access_passwordVisible, set once */
    char saves_where[256];                  /* Saves_headerText: where saves go */
    char peers[256];                        /* "paired: pc2, pc3" or "" */
    char move_host[256];                    /* M: the machine offered first */
    size_t selected;                        /* row index; 0 with no rows */
    char selected_name[STATS_NAME_MAX + 1]; /* what the selection follows */
    size_t sort;                            /* Layout_column index */
    bool descending;
    char status[VIEW_STATUS_MAX];           /* the last outcome or error */
    ViewMode mode;
    char question[VIEW_STATUS_MAX];         /* the prompt's text */
    char answer[PROMPT_MAX];                /* what the user typed so far */
    char target[STATS_NAME_MAX + 1];        /* the guest the question is about */
    char image[IMAGE_NAME_MAX + 1];         /* L: the image chosen */
    bool quit;
    bool stale;                             /* something changed: sample again now */
    /* The screen's hooks; NULL in the tests.  busy: draw now, the status
     * says what is about to take a while.  suspend/resume: hand the
     * terminal to another program (xl console) and take it back. */
    void (*busy)(View *v);
    void (*suspend)(View *v);
    void (*resume)(View *v);
    void *screen;
};

void View_init(View *v, Backend *be, const Paths *paths, const Catalog *catalog);
void View_free(View *v);

/* Guests_reap (without waiting for a launch), then a new sample, the
 * host's info and access (network, address, password), sorted, the
 * selection kept on its domain.  A failure goes to the status line; the
 * old rows stay. */
void View_refresh(View *v);

/* Sort by the current column, then select SELECTED_NAME again. */
void View_sort(View *v);

/* The row of the domain NAME in T, or, when it went away, FALLBACK
 * moved into range (the row that took its place). */
size_t View_findRow(const Top *t, const char *name, size_t fallback);

/* Move the selection by DELTA rows, stopping at the ends. */
void View_move(View *v, int delta);

/* The selected row, or NULL when there are no rows. */
const DomainRow *View_selectedRow(const View *v);

void View_setStatus(View *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Ask a question: MODE until Enter or Escape. */
void View_ask(View *v, ViewMode mode, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
