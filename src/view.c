/* view.c: the TUI's state, without drawing. */
#include "view.h"

#include "peers.h"
#include "saves.h"

#include "guests.h"
#include "layout.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void View_init(View *v, Backend *be, const Paths *paths, const Catalog *catalog)
{
    memset(v, 0, sizeof *v);
    v->be = be;
    v->paths = paths;
    v->catalog = catalog;
    v->sort = 0; /* ID: Xen's order, dom0 first */
}

void View_free(View *v)
{
    Top_free(&v->top);
}

size_t View_findRow(const Top *t, const char *name, size_t fallback)
{
    size_t i;

    if (t->count == 0)
        return 0;
    for (i = 0; name[0] && i < t->count; i++) {
        if (strcmp(t->rows[i].d->name, name) == 0)
            return i;
    }
    return fallback < t->count ? fallback : t->count - 1;
}

/* Point the selection at row I, and remember whose row that is. */
static void View_selectRow(View *v, size_t i)
{
    v->selected = i;
    if (v->top.count)
        snprintf(v->selected_name, sizeof v->selected_name, "%s", v->top.rows[i].d->name);
}

void View_sort(View *v)
{
    Top_sort(&v->top, Layout_column(v->sort), v->descending);
    View_selectRow(v, View_findRow(&v->top, v->selected_name, v->selected));
}

/* The paired machines for the header. */
static void View_peers(View *v)
{
    PeerList list;
    size_t used = 0;
    size_t i;

    Peers_list(v->paths, &list);
    v->peers[0] = '\0';
    for (i = 0; i < list.count && used < sizeof v->peers; i++)
        used += (size_t)snprintf(v->peers + used, sizeof v->peers - used, "%s%s",
                                 i ? ", " : "paired: ", list.hosts[i]);
}

void View_refresh(View *v)
{
    char err[VIEW_STATUS_MAX];

    v->stale = false;
    /* A guest that powered off, crashed or was shut down with s leaves
     * its config: free its name.  Not waiting for a launch under way. */
    if (Guests_reap(v->be, v->paths, false, err, sizeof err) != STATUS_OK)
        View_setStatus(v, "%s", err);
    if (Top_update(&v->top, v->be, v->catalog, v->paths, err, sizeof err) != STATUS_OK) {
        View_setStatus(v, "%s", err);
        return;
    }
    /* The version does not change; the uptime is one small file. */
    v->has_host = v->be->host_info(v->be, &v->host, err, sizeof err) == 0;
    /* Live: DHCP may give the uplink its address at any time. */
    Access_load(&v->access, v->be, v->paths, v->show_password);
    Saves_headerText(v->be, v->paths, v->saves_where, sizeof v->saves_where);
    View_peers(v);
    View_sort(v);
}

void View_move(View *v, int delta)
{
    size_t i = v->selected;

    if (v->top.count == 0)
        return;
    if (delta < 0)
        i = (size_t)-delta > i ? 0 : i - (size_t)-delta;
    else
        i = i + (size_t)delta >= v->top.count ? v->top.count - 1 : i + (size_t)delta;
    View_selectRow(v, i);
}

const DomainRow *View_selectedRow(const View *v)
{
    return v->top.count ? &v->top.rows[v->selected] : NULL;
}

void View_setStatus(View *v, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(v->status, sizeof v->status, fmt, ap);
    va_end(ap);
}

void View_ask(View *v, ViewMode mode, const char *fmt, ...)
{
    va_list ap;

    v->mode = mode;
    v->answer[0] = '\0';
    va_start(ap, fmt);
    vsnprintf(v->question, sizeof v->question, fmt, ap);
    va_end(ap);
}
