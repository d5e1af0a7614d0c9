/* saves.h: guests saved to RAM (xl save) in the saves folder, one
 * NAME.save each, and bringing them back (xl restore). */
#ifndef XENLIVE_SAVES_H
#define XENLIVE_SAVES_H

#include "backend.h"
#include "paths.h"
#include "stats.h"
#include "status.h"

#include <stdbool.h>
#include <stddef.h>

#define SAVES_MAX 64

typedef struct SaveList {
    char names[SAVES_MAX][STATS_NAME_MAX + 1]; /* sorted */
    size_t count;
} SaveList;

/* NAME has a save in the saves folder. */
bool Saves_exists(const Paths *paths, const char *name);

/* xl save NAME into the saves folder; refused when NAME has a save. */
Status Saves_save(Backend *be, const Paths *paths, const char *name, char *err, size_t errlen);

/* xl restore NAME's save, then remove the file (it is in RAM). */
Status Saves_restore(Backend *be, const Paths *paths, const char *name, char *err,
                     size_t errlen);

/* The saved guests; an absent folder is none. */
Status Saves_list(const Paths *paths, SaveList *out, char *err, size_t errlen);

#endif
