/* keys.c: the TUI's key table and what each key does. */
#include "keys.h"

#include "guests.h"
#include "keys_apps.h"
#include "launch.h"
#include "migrate.h"
#include "peers.h"
#include "layout.h"
#include "saves.h"

#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

/* The selected guest for an action WHAT, or NULL (and why, in the
 * status line): nothing selected, or dom0, which the actions would
 * take down with the whole host. */
static const DomainRow *Keys_guest(View *v, const char *what)
{
    const DomainRow *r = View_selectedRow(v);

    if (!r) {
        View_setStatus(v, "%s: no domain selected", what);
        return NULL;
    }
    if (r->d->id == 0) {
        View_setStatus(v, "%s: not for %s, dom0 runs this host", what, r->d->name);
        return NULL;
    }
    return r;
}

static void Keys_busy(View *v)
{
    if (v->busy)
        v->busy(v);
}

typedef struct KeysLaunching {
    View *v;
    unsigned done;
    unsigned total;
} KeysLaunching;

static void Keys_launched(const LaunchResult *res, void *data)
{
    KeysLaunching *l = data;

    l->done++;
    View_setStatus(l->v, "launched %s (%u of %u)...", res->name, l->done, l->total);
    Keys_busy(l->v);
}

/* Launch COUNT guests of IMAGE, as xenlive launch does, with the
 * outcome (the out-of-memory line too) in the status line. */
static void Keys_launch(View *v, const char *image, unsigned count)
{
    LaunchRequest req = {.image = image, .count = count, .type = GUEST_AUTO};
    KeysLaunching launching = {.v = v, .total = count};
    LaunchPlan plan;
    LaunchResult res;
    char err[VIEW_STATUS_MAX];
    char name[IMAGE_NAME_MAX + 16];
    Status st;

    st = Launch_plan(v->be, v->paths, v->catalog, &req, &plan, err, sizeof err);
    if (st != STATUS_OK) {
        View_setStatus(v, "%s", err);
        return;
    }
    /* The name Launch_one will pick, so the wait has a name on it. */
    if (Launch_nextName(v->be, v->paths, plan.image.name, name, sizeof name, err,
                        sizeof err) == STATUS_OK)
        View_setStatus(v, "launching %s%s...", name, count > 1 ? " and more" : "");
    else
        View_setStatus(v, "launching %s...", plan.image.name);
    Keys_busy(v);
    v->stale = true;
    if (count == 1) {
        st = Launch_one(v->be, v->paths, &plan, &res, err, sizeof err);
        if (st == STATUS_OK) {
            char line[256];

            Launch_describe(&res, line, sizeof line);
            View_setStatus(v, "launched %s", line);
        }
    } else {
        st = Launch_many(v->be, v->paths, &plan, Keys_launched, &launching, err, sizeof err);
        if (st == STATUS_OK)
            View_setStatus(v, "launched %u %s guests", count, plan.image.name);
    }
    if (st != STATUS_OK)
        View_setStatus(v, "%s", err);
}

static void Keys_debian(View *v)
{
    Keys_launch(v, "debian", 1);
}

static void Keys_centos(View *v)
{
    Keys_launch(v, "centos", 1);
}

static void Keys_tiny(View *v)
{
    Keys_launch(v, "tiny", 1);
}

static void Keys_launchN(View *v)
{
    char names[VIEW_STATUS_MAX] = "";
    size_t used = 0;
    size_t i;

    for (i = 0; i < v->catalog->count && used < sizeof names; i++) {
        if (v->catalog->images[i].available)
            used += (size_t)snprintf(names + used, sizeof names - used, "%s%s",
                                     used ? ", " : "", v->catalog->images[i].name);
    }
    if (!used) {
        View_setStatus(v, "launch: no image is available");
        return;
    }
    View_ask(v, VIEW_ASK_IMAGE, "launch which image (%s)? ", names);
}

static void Keys_console(View *v)
{
    const DomainRow *r = Keys_guest(v, "console");
    char err[VIEW_STATUS_MAX];
    Status st;

    if (!r)
        return;
    snprintf(v->target, sizeof v->target, "%s", r->d->name);
    if (v->suspend)
        v->suspend(v);
    st = Guests_console(v->be, v->target, err, sizeof err);
    if (v->resume)
        v->resume(v);
    if (st != STATUS_OK)
        View_setStatus(v, "%s", err);
    else
        View_setStatus(v, "back from %s's console", v->target);
}

static void Keys_shutdown(View *v)
{
    const DomainRow *r = Keys_guest(v, "shutdown");
    char err[VIEW_STATUS_MAX];

    if (!r)
        return;
    /* Without waiting: the view's refresh reaps the config once the
     * domain is gone. */
    if (Guests_stop(v->be, v->paths, r->d->name, false, err, sizeof err) != STATUS_OK)
        View_setStatus(v, "%s", err);
    else
        View_setStatus(v, "shutting down %s", r->d->name);
    v->stale = true;
}

static void Keys_destroy(View *v)
{
    const DomainRow *r = Keys_guest(v, "destroy");

    if (!r)
        return;
    snprintf(v->target, sizeof v->target, "%s", r->d->name);
    View_ask(v, VIEW_CONFIRM_DESTROY, "destroy %s at once? (y/n) ", v->target);
}

static void Keys_confirmDestroy(View *v, int key)
{
    char err[VIEW_STATUS_MAX];

    v->mode = VIEW_TABLE;
    if (key != 'y' && key != 'Y') {
        View_setStatus(v, "%s not destroyed", v->target);
        return;
    }
    if (Guests_destroy(v->be, v->paths, v->target, err, sizeof err) != STATUS_OK)
        View_setStatus(v, "%s", err);
    else
        View_setStatus(v, "destroyed %s", v->target);
    v->stale = true;
}

static void Keys_pause(View *v)
{
    const DomainRow *r = Keys_guest(v, "pause");
    char err[VIEW_STATUS_MAX];
    bool paused;

    if (!r)
        return;
    paused = r->d->state[2] == 'p';
    if (Guests_pause(v->be, r->d->name, !paused, err, sizeof err) != STATUS_OK)
        View_setStatus(v, "%s", err);
    else
        View_setStatus(v, "%s %s", paused ? "unpaused" : "paused", r->d->name);
    v->stale = true;
}

static void Keys_memory(View *v)
{
    const DomainRow *r = Keys_guest(v, "memory");

    if (!r)
        return;
    snprintf(v->target, sizeof v->target, "%s", r->d->name);
    View_ask(v, VIEW_ASK_MIB, "memory for %s in MiB (now %" PRIu64 ")? ", v->target,
             r->d->mem_kib / 1024);
}

/* "saved NAME to the data volume (R restores it)" or "... to RAM ...". */
static void Keys_saved(View *v, const char *name)
{
    char dir[PATH_MAX];
    SaveWhere where;

    if (Saves_dir(v->paths, dir, sizeof dir, &where) < 0)
        where = SAVE_RAM;
    View_setStatus(v, "saved %s to %s (R restores it)", name,
                   where == SAVE_DISK ? "the data volume" : "RAM");
}

static void Keys_save(View *v)
{
    const DomainRow *r = Keys_guest(v, "save");
    char name[STATS_NAME_MAX + 1];
    char err[VIEW_STATUS_MAX];

    if (!r)
        return;
    snprintf(name, sizeof name, "%s", r->d->name);
    View_setStatus(v, "saving %s...", name);
    Keys_busy(v);
    if (Guests_save(v->be, v->paths, name, err, sizeof err) != STATUS_OK)
        View_setStatus(v, "%s", err);
    else
        Keys_saved(v, name);
    v->stale = true;
}

typedef struct KeysSaving {
    View *v;
    unsigned saved;
    unsigned failed;
    char last_error[VIEW_STATUS_MAX];
} KeysSaving;

static void Keys_savedOne(const char *name, Status st, const char *err, void *data)
{
    KeysSaving *s = data;

    if (st == STATUS_OK) {
        s->saved++;
        View_setStatus(s->v, "saved %s (%u so far)...", name, s->saved);
    } else {
        s->failed++;
        snprintf(s->last_error, sizeof s->last_error, "%s", err);
        View_setStatus(s->v, "%s", err);
    }
    Keys_busy(s->v);
}

/* W: every guest, as xenlive save --all. */
static void Keys_saveAll(View *v)
{
    KeysSaving saving = {.v = v};
    char err[VIEW_STATUS_MAX];

    View_setStatus(v, "saving every guest...");
    Keys_busy(v);
    if (Guests_saveAll(v->be, v->paths, Keys_savedOne, &saving, err, sizeof err) != STATUS_OK)
        View_setStatus(v, "%s%s%s", err, saving.last_error[0] ? "; last: " : "",
                       saving.last_error);
    else if (saving.saved == 0)
        View_setStatus(v, "no guests to save");
    else
        View_setStatus(v, "saved %u guests (R restores them)", saving.saved);
    v->stale = true;
}

static void Keys_restore(View *v)
{
    SaveList saves;
    char err[VIEW_STATUS_MAX];
    char names[VIEW_STATUS_MAX] = "";
    size_t used = 0;
    size_t i;

    if (Saves_list(v->paths, &saves, err, sizeof err) != STATUS_OK) {
        View_setStatus(v, "%s", err);
        return;
    }
    if (saves.count == 0) {
        View_setStatus(v, "restore: no saved guests (S saves the selected one)");
        return;
    }
    for (i = 0; i < saves.count && used < sizeof names; i++)
        used += (size_t)snprintf(names + used, sizeof names - used, "%s%s", i ? ", " : "",
                                 saves.items[i].name);
    snprintf(v->target, sizeof v->target, "%s", saves.items[0].name);
    View_ask(v, VIEW_ASK_RESTORE, "restore which (%s) [%s]? ", names, v->target);
}

/* M: move the selected guest to another machine (asks which). */
static void Keys_migrate(View *v)
{
    const DomainRow *r = Keys_guest(v, "move");
    PeerList peers;
    char names[VIEW_STATUS_MAX] = "localhost";
    size_t used = strlen(names);
    size_t i;

    if (!r)
        return;
    snprintf(v->target, sizeof v->target, "%s", r->d->name);
    Peers_list(v->paths, &peers);
    for (i = 0; i < peers.count && used < sizeof names; i++)
        used += (size_t)snprintf(names + used, sizeof names - used, ", %s", peers.hosts[i]);
    snprintf(v->move_host, sizeof v->move_host, "%s", peers.count ? peers.hosts[0] : "localhost");
    View_ask(v, VIEW_ASK_HOST, "move %s to (%s) [%s]? ", v->target, names, v->move_host);
}

/* Move V->target to HOST, as xenlive migrate does. */
static void Keys_moveTo(View *v, const char *host)
{
    MigratePlan plan;
    MigrateResult res;
    char err[VIEW_STATUS_MAX];

    if (Migrate_plan(v->be, v->paths, v->target, host, &plan, err, sizeof err) != STATUS_OK) {
        View_setStatus(v, "%s", err);
        return;
    }
    View_setStatus(v, "moving %s to %s as %s (%s)...", plan.name, plan.host, plan.new_name,
                   Migrate_modeName(plan.mode));
    Keys_busy(v);
    v->stale = true;
    if (Migrate_run(v->be, v->paths, &plan, &res, err, sizeof err) != STATUS_OK)
        View_setStatus(v, "%s", err);
    else if (plan.mode == MIGRATE_SUSPEND)
        View_setStatus(v, "moved %s to %s as %s in %.1f s (suspend and move: paused %.1f s)",
                       plan.name, plan.host, plan.new_name, res.seconds, res.pause_s);
    else
        View_setStatus(v, "moved %s to %s as %s in %.1f s (live)", plan.name, plan.host,
                       plan.new_name, res.seconds);
}

static void Keys_up(View *v)
{
    View_move(v, -1);
}

static void Keys_down(View *v)
{
    View_move(v, 1);
}

static void Keys_sortBy(View *v, size_t column)
{
    v->sort = column;
    View_sort(v);
    View_setStatus(v, "sorted by %s%s", Layout_column(v->sort)->header,
                   v->descending ? ", descending" : "");
}

static void Keys_sortLeft(View *v)
{
    Keys_sortBy(v, (v->sort + Layout_count() - 1) % Layout_count());
}

static void Keys_sortRight(View *v)
{
    Keys_sortBy(v, (v->sort + 1) % Layout_count());
}

static void Keys_reverse(View *v)
{
    v->descending = !v->descending;
    Keys_sortBy(v, v->sort);
}

static void Keys_help(View *v)
{
    v->mode = VIEW_HELP;
}

static void Keys_quit(View *v)
{
    v->quit = true;
}

const Key Keys_all[] = {
    {'d', "Debian", "launch one Debian guest", Keys_debian},
    {'c', "CentOS", "launch one CentOS guest", Keys_centos},
    {'t', "Tiny", "launch one Tiny guest", Keys_tiny},
    {'L', "launch N", "launch N guests of an image (asks which, then how many)", Keys_launchN},
    {KEYS_ENTER, "console", "attach to the selected guest's console; Ctrl-] comes back",
     Keys_console},
    {'s', "shutdown", "shut the selected guest down gracefully", Keys_shutdown},
    {'x', "destroy", "destroy the selected guest at once (asks y/n)", Keys_destroy},
    {'p', "pause", "pause the selected guest, or unpause it", Keys_pause},
    {'m', "mem", "set the selected guest's memory (asks MiB)", Keys_memory},
    {'S', "save", "save the selected guest (to the data volume, or to RAM without one)",
     Keys_save},
    {'M', "move", "move the selected guest to a paired machine or localhost (asks which)",
     Keys_migrate},
    {'W', "save all", "save every guest (as xenlive save --all)", Keys_saveAll},
    {'R', "restore", "restore a saved guest (asks which), then remove its save", Keys_restore},
    {'a', "app", "start an application in the selected guest (asks which; !COMMAND: a command)",
     KeysApps_app},
    {'A', NULL, "start an application in every guest of an image (asks which image, then which)",
     KeysApps_appAll},
    {'o', "shell", "open an SSH shell in the selected guest; leaving it comes back", KeysApps_shell},
    {KEYS_UP, NULL, "select the domain above", Keys_up},
    {'k', NULL, "select the domain above", Keys_up},
    {KEYS_DOWN, NULL, "select the domain below", Keys_down},
    {'j', NULL, "select the domain below", Keys_down},
    {'<', NULL, "sort by the column to the left", Keys_sortLeft},
    {'>', "sort", "sort by the column to the right", Keys_sortRight},
    {'r', NULL, "reverse the sort order", Keys_reverse},
    {'?', "help", "this help; any key closes it", Keys_help},
    {'q', "quit", "quit", Keys_quit},
};

const size_t Keys_count = sizeof Keys_all / sizeof Keys_all[0];

void Keys_name(int key, char *buf, size_t len)
{
    switch (key) {
    case KEYS_ENTER:
        snprintf(buf, len, "Enter");
        break;
    case KEYS_UP:
        snprintf(buf, len, "Up");
        break;
    case KEYS_DOWN:
        snprintf(buf, len, "Down");
        break;
    default:
        snprintf(buf, len, "%c", key);
    }
}

void Keys_footer(char *buf, size_t len)
{
    char name[16];
    size_t used = 0;
    size_t i;

    if (len == 0)
        return;
    buf[0] = '\0';
    for (i = 0; i < Keys_count && used < len; i++) {
        if (!Keys_all[i].label)
            continue;
        Keys_name(Keys_all[i].key, name, sizeof name);
        used += (size_t)snprintf(buf + used, len - used, "%s%s %s", used ? "  " : "", name,
                                 Keys_all[i].label);
    }
}

/* Enter on a question: act on the answer in V->answer. */
static void Keys_answer(View *v, ViewMode asked)
{
    const Image *img;
    unsigned n;
    char err[VIEW_STATUS_MAX];

    switch (asked) {
    case VIEW_ASK_IMAGE:
        img = Prompt_parseImage(v->catalog, v->answer);
        if (!img) {
            View_setStatus(v, "launch: no available image '%s'", v->answer);
            return;
        }
        snprintf(v->image, sizeof v->image, "%s", img->name);
        View_ask(v, VIEW_ASK_COUNT, "how many %s guests? ", v->image);
        return;
    case VIEW_ASK_COUNT:
        if (!Prompt_parseCount(v->answer, &n)) {
            View_setStatus(v, "launch: '%s' is not a count from 1 to %u", v->answer,
                           PROMPT_COUNT_MAX);
            return;
        }
        Keys_launch(v, v->image, n);
        return;
    case VIEW_ASK_MIB:
        if (!Prompt_parseMib(v->answer, &n)) {
            View_setStatus(v, "memory: '%s' is not a size in MiB", v->answer);
            return;
        }
        if (Guests_memSet(v->be, v->target, n, err, sizeof err) != STATUS_OK)
            View_setStatus(v, "%s", err);
        else
            View_setStatus(v, "%s: memory target %u MiB", v->target, n);
        v->stale = true;
        return;
    case VIEW_ASK_HOST:
        Keys_moveTo(v, v->answer[0] ? v->answer : v->move_host);
        return;
    case VIEW_ASK_RESTORE:
        if (v->answer[0])
            snprintf(v->target, sizeof v->target, "%s", v->answer);
        View_setStatus(v, "restoring %s...", v->target);
        Keys_busy(v);
        if (Saves_restore(v->be, v->paths, v->target, err, sizeof err) != STATUS_OK)
            View_setStatus(v, "%s", err);
        else
            View_setStatus(v, "restored %s", v->target);
        v->stale = true;
        return;
    default:
        KeysApps_answer(v, asked);
        return;
    }
}

void Keys_dispatch(View *v, int key)
{
    ViewMode asked = v->mode;
    size_t i;

    switch (asked) {
    case VIEW_TABLE:
        for (i = 0; i < Keys_count; i++) {
            if (Keys_all[i].key == key) {
                Keys_all[i].handler(v);
                return;
            }
        }
        return; /* not a key of ours: nothing happens */
    case VIEW_HELP:
        v->mode = VIEW_TABLE;
        return;
    case VIEW_CONFIRM_DESTROY:
        Keys_confirmDestroy(v, key);
        return;
    default:
        switch (Prompt_edit(v->answer, key)) {
        case PROMPT_EDITING:
            return;
        case PROMPT_CANCELLED:
            v->mode = VIEW_TABLE;
            View_setStatus(v, "cancelled");
            return;
        case PROMPT_DONE:
            v->mode = VIEW_TABLE;
            Keys_answer(v, asked);
            return;
        }
    }
}
