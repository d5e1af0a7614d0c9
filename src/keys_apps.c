/* keys_apps.c: see keys_apps.h. */
#include "keys_apps.h"

#include "apps.h"
#include "names.h"
#include "prompt.h"

#include <stdio.h>
#include <string.h>

#define KEYS_APPS_WORDS 16

static void KeysApps_busy(View *v)
{
    if (v->busy)
        v->busy(v);
}

/* The selected guest's name into V->target, or false with the status. */
static bool KeysApps_target(View *v, const char *what)
{
    const DomainRow *r = View_selectedRow(v);

    if (!r) {
        View_setStatus(v, "%s: no domain selected", what);
        return false;
    }
    if (r->d->id == 0) {
        View_setStatus(v, "%s: not for %s, dom0 runs this host", what, r->d->name);
        return false;
    }
    snprintf(v->target, sizeof v->target, "%s", r->d->name);
    return true;
}

/* "web, cpu-burn, ..." of IMAGE; false with the status line on an error. */
static bool KeysApps_names(View *v, const char *image, char *names, size_t len)
{
    AppList apps;
    char err[VIEW_STATUS_MAX];

    if (Apps_load(v->paths, image, &apps, err, sizeof err) != STATUS_OK) {
        View_setStatus(v, "%s", err);
        return false;
    }
    Apps_names(&apps, names, len);
    AppList_free(&apps);
    return true;
}

void KeysApps_app(View *v)
{
    char image[IMAGE_NAME_MAX + 1];
    char names[VIEW_STATUS_MAX / 2];

    if (!KeysApps_target(v, "app"))
        return;
    if (!Names_split(v->target, image, sizeof image)) {
        View_setStatus(v, "app: %s is not a guest of an image", v->target);
        return;
    }
    if (!KeysApps_names(v, image, names, sizeof names))
        return;
    View_ask(v, VIEW_ASK_APP, "run in %s (%s, !COMMAND)? ", v->target, names);
}

void KeysApps_appAll(View *v)
{
    View_ask(v, VIEW_ASK_APP_IMAGE, "start an application on every guest of which image? ");
}

void KeysApps_shell(View *v)
{
    char err[VIEW_STATUS_MAX];
    Status st;

    if (!KeysApps_target(v, "shell"))
        return;
    if (v->suspend)
        v->suspend(v);
    st = Apps_shell(v->be, v->paths, v->target, err, sizeof err);
    if (v->resume)
        v->resume(v);
    if (st != STATUS_OK)
        View_setStatus(v, "%s", err);
    else
        View_setStatus(v, "back from %s's shell", v->target);
}

/* V->answer split at spaces into WORDS (pointing into BUF); their count. */
static size_t KeysApps_split(const char *answer, char *buf, size_t len, char **words)
{
    size_t n = 0;
    char *save = NULL;
    char *w;

    snprintf(buf, len, "%s", answer);
    for (w = strtok_r(buf, " ", &save); w && n < KEYS_APPS_WORDS; w = strtok_r(NULL, " ", &save))
        words[n++] = w;
    return n;
}

typedef struct KeysAppsCount {
    View *v;
    const char *app;
    unsigned done;
} KeysAppsCount;

static void KeysApps_progress(const char *name, Status st, long pid, const char *error,
                              void *data)
{
    KeysAppsCount *c = data;

    (void)pid;
    c->done++;
    if (st != STATUS_OK)
        View_setStatus(c->v, "%s", error);
    else
        View_setStatus(c->v, "%s started on %s...", c->app, name);
    KeysApps_busy(c->v);
}

void KeysApps_answer(View *v, ViewMode asked)
{
    char buf[PROMPT_MAX];
    char *words[KEYS_APPS_WORDS];
    char err[VIEW_STATUS_MAX];
    size_t n;
    long pid = 0;
    Status st;

    switch (asked) {
    case VIEW_ASK_APP:
        if (v->answer[0] == '!') {
            char *cmd[3] = {"sh", "-c", v->answer + 1};
            if (!v->answer[1]) {
                View_setStatus(v, "run: no command after '!'");
                return;
            }
            View_setStatus(v, "starting the command in %s...", v->target);
            KeysApps_busy(v);
            st = Apps_run(v->be, v->paths, v->target, NULL, cmd, 3, &pid, err, sizeof err);
            if (st != STATUS_OK)
                View_setStatus(v, "%s", err);
            else
                View_setStatus(v, "%s: command started, pid %ld", v->target, pid);
            v->stale = true;
            return;
        }
        n = KeysApps_split(v->answer, buf, sizeof buf, words);
        if (n == 0) {
            View_setStatus(v, "run: no application given");
            return;
        }
        View_setStatus(v, "starting %s in %s...", words[0], v->target);
        KeysApps_busy(v);
        st = Apps_run(v->be, v->paths, v->target, words[0], words + 1, n - 1, &pid, err,
                      sizeof err);
        if (st != STATUS_OK)
            View_setStatus(v, "%s", err);
        else
            View_setStatus(v, "%s: %s started, pid %ld", v->target, words[0], pid);
        v->stale = true;
        return;
    case VIEW_ASK_APP_IMAGE: {
        const Image *img = Prompt_parseImage(v->catalog, v->answer);
        char names[VIEW_STATUS_MAX / 2];
        if (!img) {
            View_setStatus(v, "app: no available image '%s'", v->answer);
            return;
        }
        snprintf(v->image, sizeof v->image, "%s", img->name);
        if (!KeysApps_names(v, v->image, names, sizeof names))
            return;
        View_ask(v, VIEW_ASK_IMAGE_APP, "run on every %s guest (%s)? ", v->image, names);
        return;
    }
    case VIEW_ASK_IMAGE_APP: {
        KeysAppsCount count = {v, NULL, 0};
        unsigned started = 0;
        n = KeysApps_split(v->answer, buf, sizeof buf, words);
        if (n == 0) {
            View_setStatus(v, "run: no application given");
            return;
        }
        count.app = words[0];
        View_setStatus(v, "starting %s on every %s guest...", words[0], v->image);
        KeysApps_busy(v);
        st = Apps_runImage(v->be, v->paths, v->image, words[0], words + 1, n - 1,
                           KeysApps_progress, &count, &started, err, sizeof err);
        if (st != STATUS_OK && started == 0)
            View_setStatus(v, "%s", err);
        else if (st != STATUS_OK)
            View_setStatus(v, "%s started on %u of %u %s guests (%s)", words[0], started,
                           count.done, v->image, err);
        else
            View_setStatus(v, "%s started on %u %s guests", words[0], started, v->image);
        v->stale = true;
        return;
    }
    default:
        return;
    }
}
