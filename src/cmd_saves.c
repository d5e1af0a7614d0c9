/* cmd_saves.c: xenlive saves [--json] */
#include "commands.h"
#include "json.h"
#include "saves.h"
#include "status.h"

#include <inttypes.h>
#include <stdio.h>
#include <time.h>

/* "2026-11-30 02:10" (UTC, as dom0's clock has no zone), or "-". */
static void CmdSaves_when(int64_t s, char *buf, size_t len)
{
    time_t t = (time_t)s;
    struct tm tm;

    if (!s || !gmtime_r(&t, &tm) || !strftime(buf, len, "%Y-%m-%d %H:%M", &tm))
        snprintf(buf, len, "-");
}

int Cmd_saves(App *app, int argc, char **argv)
{
    SaveList saves;
    Backend *be;
    char err[1024];
    char when[32];
    bool json;
    size_t i;

    if (!Commands_parseJson(argc, argv, &json))
        return Commands_usageError("saves");
    if (Saves_list(&app->paths, &saves, err, sizeof err) != STATUS_OK) {
        Commands_error("%s", err);
        return STATUS_ERROR;
    }
    if (json) {
        fputc('[', stdout);
        for (i = 0; i < saves.count; i++) {
            const SaveInfo *s = &saves.items[i];

            fprintf(stdout, "%s\n  {\"name\": ", i ? "," : "");
            Json_writeString(stdout, s->name);
            fprintf(stdout, ", \"where\": \"%s\", \"size_mib\": %" PRIu64 ", \"image\": ",
                    Saves_whereName(s->where), s->size_mib);
            Json_writeString(stdout, s->image);
            fputs(", \"sha256\": ", stdout);
            Json_writeString(stdout, s->sha256);
            fprintf(stdout, ", \"memory_mib\": %u, \"saved\": %" PRId64 "}", s->memory_mib,
                    s->saved_s);
        }
        fputs(saves.count ? "\n]\n" : "]\n", stdout);
        return STATUS_OK;
    }
    be = App_backend(app, err, sizeof err);
    if (be) {
        char where[PATH_MAX + 128];

        Saves_describe(be, &app->paths, where, sizeof where);
        printf("new saves go to: %s\n", where);
    }
    if (saves.count == 0) {
        printf("no saved guests\n");
        return STATUS_OK;
    }
    printf("%-20s %-5s %9s  %-12s %s\n", "NAME", "WHERE", "SIZE(MiB)", "IMAGE",
           "SAVED (UTC)");
    for (i = 0; i < saves.count; i++) {
        const SaveInfo *s = &saves.items[i];

        CmdSaves_when(s->saved_s, when, sizeof when);
        printf("%-20s %-5s %9" PRIu64 "  %-12s %s\n", s->name, Saves_whereName(s->where),
               s->size_mib, s->image[0] ? s->image : "-", when);
    }
    return STATUS_OK;
}
