/* saves.c: suspended guests, in RAM or on the data volume, and bringing
 * them back. */
#include "saves.h"

#include "guests.h"
#include "names.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SAVES_SUFFIX ".save"

const char *Saves_whereName(SaveWhere where)
{
    return where == SAVE_DISK ? "disk" : "ram";
}

void Saves_volume(const Paths *paths, DataVolume *out)
{
    memset(out, 0, sizeof *out);
    if (Util_confValue(paths->data, "MOUNT", out->mount, sizeof out->mount) < 0 ||
        out->mount[0] != '/') {
        out->mount[0] = '\0';
        return;
    }
    out->mounted = true;
    if (Util_confValue(paths->data, "DEVICE", out->device, sizeof out->device) < 0)
        snprintf(out->device, sizeof out->device, "?");
    if (Util_confValue(paths->data, "FSTYPE", out->fstype, sizeof out->fstype) < 0)
        snprintf(out->fstype, sizeof out->fstype, "?");
}

/* The saves folder of WHERE. */
static int Saves_folder(const Paths *paths, SaveWhere where, char *dir, size_t len)
{
    DataVolume vol;

    if (where == SAVE_RAM)
        return snprintf(dir, len, "%s", paths->saves) >= (int)len ? -1 : 0;
    Saves_volume(paths, &vol);
    if (!vol.mounted)
        return -1;
    return snprintf(dir, len, "%s/saves", vol.mount) >= (int)len ? -1 : 0;
}

int Saves_dir(const Paths *paths, char *dir, size_t len, SaveWhere *where)
{
    *where = Saves_folder(paths, SAVE_DISK, dir, len) == 0 ? SAVE_DISK : SAVE_RAM;
    return *where == SAVE_DISK ? 0 : Saves_folder(paths, SAVE_RAM, dir, len);
}

/* DIR/NAME + SUFFIX; -1 unless NAME is a plain file name (as Paths_cfg). */
static int Saves_file(const char *dir, const char *name, const char *suffix, char *buf,
                      size_t len)
{
    if (!name[0] || name[0] == '.' || strchr(name, '/'))
        return -1;
    return snprintf(buf, len, "%s/%s%s", dir, name, suffix) >= (int)len ? -1 : 0;
}

static bool Saves_fileExists(const char *dir, const char *name, const char *suffix)
{
    char path[PATH_MAX];

    return Saves_file(dir, name, suffix, path, sizeof path) == 0 && access(path, F_OK) == 0;
}

/* NAME's save (or save under way) in WHERE's folder. */
static bool Saves_in(const Paths *paths, SaveWhere where, const char *name)
{
    char dir[PATH_MAX];

    return Saves_folder(paths, where, dir, sizeof dir) == 0 &&
           (Saves_fileExists(dir, name, SAVES_SUFFIX) || Saves_fileExists(dir, name, ".meta"));
}

bool Saves_exists(const Paths *paths, const char *name)
{
    return Saves_in(paths, SAVE_DISK, name) || Saves_in(paths, SAVE_RAM, name);
}

int Saves_imageSha(const Paths *paths, const char *image, char *buf, size_t len)
{
    char conf[PATH_MAX];

    if (snprintf(conf, sizeof conf, "%s/%s/image.conf", paths->images, image) >=
        (int)sizeof conf)
        return -1;
    return Util_confValue(conf, "SHA256", buf, len) == 0 && buf[0] ? 0 : -1;
}

/* Lock DIR (created when missing) with flock, waiting: the descriptor
 * to close, or -1 with ERR. */
static int Saves_lock(const char *dir, char *err, size_t errlen)
{
    int fd;

    if (Util_mkdirs(dir, err, errlen) < 0)
        return -1;
    fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 || flock(fd, LOCK_EX) < 0) {
        snprintf(err, errlen, "cannot lock %s: %s", dir, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

/* Remove DIR/NAME + SUFFIX for each suffix; missing ones are fine. */
static void Saves_removeFiles(const char *dir, const char *name)
{
    static const char *const suffixes[] = {SAVES_SUFFIX ".part", ".meta", ".cfg", ".meta.tmp",
                                           ".cfg.tmp"};
    char path[PATH_MAX];
    size_t i;

    for (i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        if (Saves_file(dir, name, suffixes[i], path, sizeof path) == 0)
            unlink(path);
    }
}

/* Copy the file FROM to TO (temp file + rename); a missing FROM is
 * nothing to copy (0). */
static int Saves_copy(const char *from, const char *to, char *err, size_t errlen)
{
    char text[16384];
    size_t n;
    FILE *f = fopen(from, "r");

    if (!f) {
        if (errno == ENOENT)
            return 0;
        snprintf(err, errlen, "cannot read %s: %s", from, strerror(errno));
        return -1;
    }
    n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    return Util_writeFileAtomic(to, text, err, errlen);
}

/* fsync PATH (a file or a folder): on the data volume, a save reported
 * done must survive switching the machine off. */
static void Saves_sync(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
}

/* Was NAME paused (xl pause) before the save? */
static bool Saves_paused(Backend *be, const char *name)
{
    DomainList domains = {0};
    const Domain *d;
    char why[256];
    bool paused = false;

    if (be->list_domains(be, &domains, why, sizeof why) == 0 &&
        (d = DomainList_find(&domains, name)) != NULL)
        paused = d->state[2] == 'p';
    DomainList_free(&domains);
    return paused;
}

/* After a failed xl save: xl resumes the guest itself (xl_saverestore.c,
 * "Failed to save domain, resuming domain": libxl_domain_resume); one
 * left paused is unpaused, unless WAS_PAUSED (the user paused it).  True
 * when NAME is there and runs (or stays paused as it was). */
static bool Saves_keepRunning(Backend *be, const char *name, bool was_paused)
{
    DomainList domains = {0};
    const Domain *d;
    char why[256];
    bool running = false;

    if (be->list_domains(be, &domains, why, sizeof why) == 0 &&
        (d = DomainList_find(&domains, name)) != NULL)
        running = d->state[3] != 's' && /* suspended, and not resumed */
                  (d->state[2] != 'p' || was_paused ||
                   be->pause(be, name, false, why, sizeof why) == 0);
    DomainList_free(&domains);
    return running;
}

/* Is there room for MEMORY_MIB of save in DIR (WHERE)?  STATUS_OK, or an
 * error line. */
static Status Saves_room(Backend *be, const char *dir, SaveWhere where, const char *name,
                         unsigned memory_mib, char *err, size_t errlen)
{
    uint64_t need = (uint64_t)memory_mib + SAVES_MARGIN_MIB;
    uint64_t free_mib;
    uint64_t dom0;

    if (be->fs_free_mib(be, dir, &free_mib, err, errlen) < 0)
        return STATUS_ERROR;
    if (free_mib < need) {
        snprintf(err, errlen,
                 "not enough space to save %s %s (%s): needs %" PRIu64 " MiB, %" PRIu64
                 " MiB free; %s keeps running",
                 name, where == SAVE_DISK ? "on the data volume" : "in RAM", dir, need,
                 free_mib, name);
        return STATUS_ERROR;
    }
    if (where == SAVE_RAM && be->dom0_available_mib(be, &dom0, err, errlen) == 0 &&
        dom0 < need + SAVES_DOM0_KEEP_MIB) {
        snprintf(err, errlen,
                 "not enough memory in dom0 to save %s in RAM: needs %" PRIu64
                 " MiB and keeps %u, %" PRIu64 " MiB available; %s keeps running",
                 name, need, SAVES_DOM0_KEEP_MIB, dom0, name);
        return STATUS_ERROR;
    }
    return STATUS_OK;
}

/* NAME.meta's text. */
static void Saves_metaText(const Paths *paths, const char *name, unsigned memory_mib,
                           char *text, size_t len)
{
    char image[IMAGE_NAME_MAX + 1] = "";
    char sha[65] = "";

    if (Names_split(name, image, sizeof image))
        (void)Saves_imageSha(paths, image, sha, sizeof sha);
    snprintf(text, len,
             "# xenlive save (src/saves.c)\nNAME=%s\nIMAGE=%s\nSHA256=%s\nMEMORY_MIB=%u\n"
             "SAVED=%" PRId64 "\n",
             name, image, sha, memory_mib, (int64_t)time(NULL));
}

Status Saves_save(Backend *be, const Paths *paths, const char *name, unsigned memory_mib,
                  char *err, size_t errlen)
{
    char dir[PATH_MAX];
    char path[PATH_MAX];
    char part[PATH_MAX];
    char meta[PATH_MAX];
    char cfg_copy[PATH_MAX];
    char cfg[PATH_MAX];
    char text[1024];
    char why[512];
    SaveWhere where;
    Status st = STATUS_ERROR;
    bool was_paused;
    int lock;

    if (Saves_dir(paths, dir, sizeof dir, &where) < 0 ||
        Saves_file(dir, name, SAVES_SUFFIX, path, sizeof path) < 0 ||
        Saves_file(dir, name, SAVES_SUFFIX ".part", part, sizeof part) < 0 ||
        Saves_file(dir, name, ".meta", meta, sizeof meta) < 0 ||
        Saves_file(dir, name, ".cfg", cfg_copy, sizeof cfg_copy) < 0 ||
        Paths_cfg(paths, name, cfg, sizeof cfg) < 0) {
        snprintf(err, errlen, "cannot save %s: bad name or path too long", name);
        return STATUS_ERROR;
    }
    lock = Saves_lock(dir, err, errlen);
    if (lock < 0)
        return STATUS_ERROR;
    /* A second save would overwrite the first, which may be the only
     * copy of a guest. */
    if (Saves_exists(paths, name)) {
        snprintf(err, errlen, "%s is already saved in %s; restore it first", name,
                 Saves_in(paths, SAVE_DISK, name) ? "the data volume" : "RAM");
        goto out;
    }
    if (Saves_room(be, dir, where, name, memory_mib, err, errlen) != STATUS_OK)
        goto out;
    /* The meta first: it holds the name while xl save runs. */
    Saves_metaText(paths, name, memory_mib, text, sizeof text);
    if (Util_writeFileAtomic(meta, text, err, errlen) < 0 ||
        Saves_copy(cfg, cfg_copy, err, errlen) < 0)
        goto fail;
    was_paused = Saves_paused(be, name);
    if (be->save(be, name, part, why, sizeof why) < 0) {
        bool running = Saves_keepRunning(be, name, was_paused);

        snprintf(err, errlen, "cannot save %s: %s; %s %s", name, why, name,
                 running ? "keeps running" : "is not running");
        goto fail;
    }
    Saves_sync(part);
    if (rename(part, path) < 0) {
        /* The guest is only in PART now: keep it, say where. */
        snprintf(err, errlen, "saved %s to %s, but cannot rename it to %s: %s", name, part,
                 path, strerror(errno));
        goto out;
    }
    Saves_sync(dir);
    st = STATUS_OK;
    goto out;
fail:
    Saves_removeFiles(dir, name);
    Saves_sync(dir);
out:
    close(lock);
    return st;
}

/* Where NAME's save is: the data volume's first, then RAM's. */
static bool Saves_find(const Paths *paths, const char *name, char *dir, size_t len,
                       SaveWhere *where)
{
    static const SaveWhere order[] = {SAVE_DISK, SAVE_RAM};
    size_t i;

    for (i = 0; i < 2; i++) {
        if (Saves_folder(paths, order[i], dir, len) == 0 &&
            Saves_fileExists(dir, name, SAVES_SUFFIX)) {
            *where = order[i];
            return true;
        }
    }
    return false;
}

/* Read DIR/NAME.meta into INFO (name and where set by the caller). */
static void Saves_readMeta(const char *dir, SaveInfo *info)
{
    char meta[PATH_MAX];
    char value[64];
    unsigned mib;

    if (Saves_file(dir, info->name, ".meta", meta, sizeof meta) < 0)
        return;
    if (Util_confValue(meta, "IMAGE", info->image, sizeof info->image) < 0)
        info->image[0] = '\0';
    if (Util_confValue(meta, "SHA256", info->sha256, sizeof info->sha256) < 0)
        info->sha256[0] = '\0';
    if (Util_confValue(meta, "MEMORY_MIB", value, sizeof value) == 0 &&
        Util_parseUnsigned(value, &mib))
        info->memory_mib = mib;
    if (Util_confValue(meta, "SAVED", value, sizeof value) == 0)
        info->saved_s = strtoll(value, NULL, 10);
}

Status Saves_restore(Backend *be, const Paths *paths, const char *name, char *err,
                     size_t errlen)
{
    SaveInfo info = {0};
    DomainList domains = {0};
    char dir[PATH_MAX];
    char path[PATH_MAX];
    char cfg_copy[PATH_MAX];
    char cfg[PATH_MAX];
    char sha[65];
    uint64_t free_mib;
    bool cfg_put = false;
    Status st = STATUS_ERROR;
    int lock = -1;
    int domains_lock = -1;

    if (Paths_cfg(paths, name, cfg, sizeof cfg) < 0 ||
        !Saves_find(paths, name, dir, sizeof dir, &info.where)) {
        snprintf(err, errlen, "no saved guest named %s", name);
        return STATUS_ERROR;
    }
    lock = Saves_lock(dir, err, errlen);
    if (lock < 0)
        return STATUS_ERROR;
    /* Another restore may have taken it while this one waited. */
    if (Saves_file(dir, name, SAVES_SUFFIX, path, sizeof path) < 0 ||
        Saves_file(dir, name, ".cfg", cfg_copy, sizeof cfg_copy) < 0 ||
        access(path, F_OK) != 0) {
        snprintf(err, errlen, "no saved guest named %s", name);
        goto out;
    }
    snprintf(info.name, sizeof info.name, "%s", name);
    Saves_readMeta(dir, &info);
    if (!info.image[0]) {
        snprintf(err, errlen, "cannot restore %s: its save has no record of its image (%s/%s.meta)",
                 name, dir, name);
        goto out;
    }
    if (Saves_imageSha(paths, info.image, sha, sizeof sha) < 0)
        sha[0] = '\0';
    if (strcmp(sha, info.sha256) != 0) {
        snprintf(err, errlen,
                 "cannot restore %s: it was saved from image %s with SHA256 %.12s..., this "
                 "ISO's %s %s%.12s%s; not restored",
                 name, info.image, info.sha256[0] ? info.sha256 : "(none)", info.image,
                 sha[0] ? "has " : "is missing", sha, sha[0] ? "..." : "");
        goto out;
    }
    if (be->list_domains(be, &domains, err, errlen) < 0)
        goto out;
    if (DomainList_find(&domains, name)) {
        snprintf(err, errlen, "cannot restore %s: a domain named %s is running", name, name);
        goto out;
    }
    if (be->free_memory_mib(be, &free_mib, err, errlen) < 0)
        goto out;
    if (free_mib < (uint64_t)info.memory_mib + 1) {
        snprintf(err, errlen,
                 "not enough memory to restore %s: needs %u MiB, %" PRIu64 " MiB free", name,
                 info.memory_mib + 1, free_mib);
        st = STATUS_NO_MEMORY;
        goto out;
    }
    /* The config back in the domains folder (list's TYPE, the reap), under
     * the launch lock: the name cannot be taken meanwhile. */
    domains_lock = Guests_lock(paths, err, errlen);
    if (domains_lock < 0)
        goto out;
    if (access(cfg_copy, F_OK) == 0) {
        if (Saves_copy(cfg_copy, cfg, err, errlen) < 0)
            goto out;
        cfg_put = true;
    }
    if (be->restore(be, path, err, errlen) < 0) {
        if (cfg_put)
            unlink(cfg);
        goto out;
    }
    if (unlink(path) < 0) {
        snprintf(err, errlen, "restored %s, but cannot remove %s: %s", name, path,
                 strerror(errno));
        goto out;
    }
    Saves_removeFiles(dir, name);
    Saves_sync(dir);
    st = STATUS_OK;
out:
    if (domains_lock >= 0)
        close(domains_lock);
    close(lock);
    DomainList_free(&domains);
    return st;
}

static int Saves_compare(const void *a, const void *b)
{
    const SaveInfo *x = a;
    const SaveInfo *y = b;

    return strcmp(x->name, y->name);
}

/* Add WHERE's saves to OUT. */
static Status Saves_listIn(const Paths *paths, SaveWhere where, SaveList *out, char *err,
                           size_t errlen)
{
    char dir[PATH_MAX];
    const struct dirent *e;
    DIR *d;

    if (Saves_folder(paths, where, dir, sizeof dir) < 0)
        return STATUS_OK;
    d = opendir(dir);
    if (!d) {
        if (errno == ENOENT)
            return STATUS_OK;
        snprintf(err, errlen, "cannot read %s: %s", dir, strerror(errno));
        return STATUS_ERROR;
    }
    while ((e = readdir(d)) && out->count < SAVES_MAX) {
        size_t n = strlen(e->d_name);
        size_t s = strlen(SAVES_SUFFIX);
        SaveInfo *info = &out->items[out->count];
        struct stat sb;

        if (e->d_name[0] == '.' || n <= s || n - s > STATS_NAME_MAX ||
            strcmp(e->d_name + n - s, SAVES_SUFFIX) != 0 ||
            fstatat(dirfd(d), e->d_name, &sb, 0) < 0 || !S_ISREG(sb.st_mode))
            continue;
        memset(info, 0, sizeof *info);
        snprintf(info->name, sizeof info->name, "%.*s", (int)(n - s), e->d_name);
        info->where = where;
        info->size_mib = ((uint64_t)sb.st_size + (1u << 20) - 1) >> 20;
        Saves_readMeta(dir, info);
        if (!info->saved_s)
            info->saved_s = (int64_t)sb.st_mtime;
        out->count++;
    }
    closedir(d);
    return STATUS_OK;
}

Status Saves_list(const Paths *paths, SaveList *out, char *err, size_t errlen)
{
    out->count = 0;
    if (Saves_listIn(paths, SAVE_DISK, out, err, errlen) != STATUS_OK ||
        Saves_listIn(paths, SAVE_RAM, out, err, errlen) != STATUS_OK)
        return STATUS_ERROR;
    qsort(out->items, out->count, sizeof out->items[0], Saves_compare);
    return STATUS_OK;
}

void Saves_describe(Backend *be, const Paths *paths, char *buf, size_t len)
{
    DataVolume vol;
    char why[256];
    uint64_t free_mib;

    Saves_volume(paths, &vol);
    if (!vol.mounted) {
        snprintf(buf, len, "RAM (%s; no data volume)", paths->saves);
        return;
    }
    if (be->fs_free_mib(be, vol.mount, &free_mib, why, sizeof why) == 0)
        snprintf(buf, len, "disk %s (%s) at %s, %" PRIu64 " MiB free", vol.device, vol.fstype,
                 vol.mount, free_mib);
    else
        snprintf(buf, len, "disk %s (%s) at %s", vol.device, vol.fstype, vol.mount);
}

void Saves_headerText(Backend *be, const Paths *paths, char *buf, size_t len)
{
    DataVolume vol;
    char why[256];
    uint64_t free_mib;

    Saves_volume(paths, &vol);
    if (!vol.mounted)
        snprintf(buf, len, "saves: RAM");
    else if (be->fs_free_mib(be, vol.mount, &free_mib, why, sizeof why) == 0)
        snprintf(buf, len, "saves: disk %s, %" PRIu64 " MiB free", vol.device, free_mib);
    else
        snprintf(buf, len, "saves: disk %s", vol.device);
}
