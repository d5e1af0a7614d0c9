/* saves.h: suspended guests (xl save) and bringing them back (xl
 * restore).  A save goes to the data volume when start-up mounted one
 * (overlays/data's 65-data records it in the run folder's data file:
 * DEVICE=, FSTYPE=, MOUNT=; saves in MOUNT/saves), else to RAM (the run
 * folder's saves/).  Each save is three files in that folder:
 *   NAME.save  xl's save file (xl(1) save: the guest's memory, about its
 *              RAM in size, and its config), complete: it is written as
 *              NAME.save.part and renamed only once xl save succeeded;
 *   NAME.meta  what it was saved from, KEY=VALUE lines: NAME, IMAGE,
 *              SHA256 (the image's, from its image.conf), MEMORY_MIB,
 *              SAVED (Unix seconds); written first (temp file + rename),
 *              it reserves NAME while the save runs;
 *   NAME.cfg   a copy of the guest's xl config (xl.cfg(5)) from the
 *              domains folder, put back there by restore.
 * Saves and restores of one folder hold a lock on it (flock), so that
 * the space check and the save are one step: two saves cannot both pass
 * the check and then fill the volume. */
#ifndef XENLIVE_SAVES_H
#define XENLIVE_SAVES_H

#include "backend.h"
#include "catalog.h"
#include "paths.h"
#include "stats.h"
#include "status.h"

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SAVES_MAX 64

/* Room kept beyond the guest's memory, in MiB, before a save starts:
 * an xl save file is the guest's memory (its RAM pages: 256 MiB of guest,
 * about 256 MiB of file) plus a little (the config, page tables, 8 bytes
 * of pfn per page: 512 KiB for 256 MiB), and the file system needs some
 * room of its own (the meta, the cfg copy, ext4's and vfat's metadata). */
#define SAVES_MARGIN_MIB 16u

/* A save in RAM comes out of dom0's own memory (the run folder is a
 * tmpfs), so dom0 must keep this much MemAvailable after it (as launch's
 * DOM0_RESERVE_MIB). */
#define SAVES_DOM0_KEEP_MIB 32u

typedef enum SaveWhere {
    SAVE_RAM,  /* the run folder's saves/ (tmpfs: gone at reboot) */
    SAVE_DISK, /* the data volume's saves/ */
} SaveWhere;

/* "ram" or "disk". */
const char *Saves_whereName(SaveWhere where);

/* The data volume as start-up recorded it. */
typedef struct DataVolume {
    bool mounted;          /* the data file names a MOUNT */
    char device[128];      /* /dev/sdb1 */
    char fstype[16];       /* ext4, vfat */
    char mount[PATH_MAX];  /* /mnt/xenlive-data */
} DataVolume;

/* Read the data file; no file (or no MOUNT= line) is no volume. */
void Saves_volume(const Paths *paths, DataVolume *out);

/* The folder new saves go to, and which it is. */
int Saves_dir(const Paths *paths, char *dir, size_t len, SaveWhere *where);

typedef struct SaveInfo {
    char name[STATS_NAME_MAX + 1];
    SaveWhere where;
    uint64_t size_mib;                 /* the .save file's size, MiB rounded up */
    char image[IMAGE_NAME_MAX + 1];    /* "" when its meta does not say */
    char sha256[65];                   /* "" when its meta does not say */
    unsigned memory_mib;               /* 0 when its meta does not say */
    int64_t saved_s;                   /* Unix seconds; 0 when unknown */
} SaveInfo;

typedef struct SaveList {
    SaveInfo items[SAVES_MAX]; /* sorted by name */
    size_t count;
} SaveList;

/* NAME has a save, or one under way (its .meta or .save), in RAM or on
 * the data volume: launch does not give its name to a new guest and
 * Guests_reap keeps its config. */
bool Saves_exists(const Paths *paths, const char *name);

/* Suspend the guest NAME of MEMORY_MIB MiB into Saves_dir (xl save: the
 * domain is gone afterwards) with its .meta and .cfg, under the folder's
 * lock.  Refused, with the guest still running and no file written, when:
 * NAME is not a plain name; NAME already has a save ("NAME is already
 * saved in DIR; restore it first"); the file system has less free space
 * than MEMORY_MIB + SAVES_MARGIN_MIB ("not enough space to save NAME on
 * the data volume (DIR): needs N MiB, M MiB free; NAME keeps running"),
 * or, in RAM, dom0 would keep less than SAVES_DOM0_KEEP_MIB available.
 * When xl save fails (a full disk: ENOSPC) its partial file, the .meta
 * and the .cfg are removed and a guest xl left paused is unpaused: ERR
 * is "cannot save NAME: XL'S LINE; NAME keeps running".  Callers are
 * Guests_save (the CLI and the TUI). */
Status Saves_save(Backend *be, const Paths *paths, const char *name, unsigned memory_mib,
                  char *err, size_t errlen);

/* xl restore NAME's save (the data volume's first, then RAM's), under
 * the folder's lock and the domains folder's (Guests_lock), with its
 * config put back in the domains folder; then remove its files.
 * Refused, with nothing changed, when: there is no save ("no saved guest
 * named NAME"); its .meta is missing or names no image; the image is
 * not in the catalog folder, or its SHA256 differs from the one saved
 * ("cannot restore NAME: it was saved from IMAGE with SHA256 X..., this
 * ISO's IMAGE has Y..."); a domain NAME is running; Xen has less free
 * memory than MEMORY_MIB + 1 (STATUS_NO_MEMORY, "not enough memory to
 * restore NAME: needs N MiB, M MiB free").  A failed xl restore keeps the
 * save and removes the config it put back. */
Status Saves_restore(Backend *be, const Paths *paths, const char *name, char *err,
                     size_t errlen);

/* Every save, of both places, sorted by name; an absent folder is none.
 * Saves under way (no .save yet) are left out. */
Status Saves_list(const Paths *paths, SaveList *out, char *err, size_t errlen);

/* One line for the TUI header and xenlive info: "disk /dev/sdb1 (ext4)
 * at /mnt/xenlive-data, 1234 MiB free" or "RAM (/run/xenlive/saves; no
 * data volume)". */
void Saves_describe(Backend *be, const Paths *paths, char *buf, size_t len);

/* The same, short, for the TUI header: "saves: disk /dev/sdb1, 1234 MiB
 * free" or "saves: RAM". */
void Saves_headerText(Backend *be, const Paths *paths, char *buf, size_t len);

/* The SHA256 in IMAGE's image.conf (SHA256=) in the images folder into
 * BUF (65 bytes): -1 when the image or the line is missing. */
int Saves_imageSha(const Paths *paths, const char *image, char *buf, size_t len);

#endif
