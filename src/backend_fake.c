/* backend_fake.c: an in-memory backend for the unit tests. */
#include "backend_fake.h"

#include "command.h"

#include <inttypes.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int BackendFake_freeMemory(Backend *be, uint64_t *mib, char *err, size_t errlen)
{
    (void)err;
    (void)errlen;
    *mib = ((BackendFake *)be)->free_mib;
    return 0;
}

static int BackendFake_dom0Available(Backend *be, uint64_t *mib, char *err, size_t errlen)
{
    (void)err;
    (void)errlen;
    *mib = ((BackendFake *)be)->dom0_available_mib;
    return 0;
}

static int BackendFake_dom0Memory(Backend *be, uint64_t *target_mib, uint64_t *max_mib,
                                  char *err, size_t errlen)
{
    const BackendFake *f = (const BackendFake *)be;

    (void)err;
    (void)errlen;
    *target_mib = f->dom0_target_mib;
    *max_mib = f->dom0_max_mib;
    return 0;
}

static int BackendFake_dom0SetTarget(Backend *be, uint64_t target_mib, char *err, size_t errlen)
{
    BackendFake *f = (BackendFake *)be;
    uint64_t grow;

    f->dom0_grows++;
    if (target_mib > f->dom0_max_mib) {
        snprintf(err, errlen, "memory_dynamic_max must be less than or equal to "
                 "memory_static_max");
        return -1;
    }
    grow = target_mib > f->dom0_target_mib ? target_mib - f->dom0_target_mib : 0;
    f->dom0_target_mib = target_mib;
    if (!f->dom0_balloon_stuck && grow <= f->free_mib) {
        f->free_mib -= grow;
        f->dom0_available_mib += grow;
    }
    return 0;
}

static int BackendFake_listDomains(Backend *be, DomainList *out, char *err, size_t errlen)
{
    const DomainList *l = &((BackendFake *)be)->domains;
    size_t i;

    out->items = NULL;
    out->count = 0;
    for (i = 0; i < l->count; i++) {
        const Domain *d = &l->items[i];

        if (DomainList_add(out, d->id, d->name, d->memory_mib, d->vcpus, d->state) < 0) {
            snprintf(err, errlen, "out of memory");
            DomainList_free(out);
            return -1;
        }
    }
    return 0;
}

/* Like xl: the domain's name, memory and vCPUs come from the config. */
static int BackendFake_create(Backend *be, const char *cfg_path, char *err, size_t errlen)
{
    BackendFake *f = (BackendFake *)be;
    char line[1024];
    char name[128] = "";
    unsigned memory = 0;
    unsigned vcpus = 0;
    FILE *cfg;

    f->creates++;
    cfg = fopen(cfg_path, "r");
    if (!cfg) {
        snprintf(err, errlen, "fake xl: cannot open %s", cfg_path);
        return -1;
    }
    while (fgets(line, sizeof line, cfg)) {
        if (sscanf(line, "name = \"%127[^\"]\"", name) == 1)
            continue;
        if (sscanf(line, "memory = %u", &memory) == 1)
            continue;
        sscanf(line, "vcpus = %u", &vcpus);
    }
    fclose(cfg);
    if (!name[0] || !memory || !vcpus) {
        snprintf(err, errlen, "fake xl: %s lacks name, memory or vcpus", cfg_path);
        return -1;
    }
    if (!f->create_output || f->create_leaves_domain) {
        DomainList_add(&f->domains, f->next_id++, name, memory, vcpus, "-b----");
        f->free_mib -= memory;
        f->dom0_available_mib -= f->dom0_available_mib < FAKE_DOM0_PER_GUEST_MIB
                                     ? f->dom0_available_mib : FAKE_DOM0_PER_GUEST_MIB;
    }
    if (f->create_output) {
        if (!Command_summary(f->create_output, err, errlen))
            snprintf(err, errlen, "fake xl: create failed");
        return -1;
    }
    return 0;
}

/* Take the domain NAME out of the list, as xl does when it is gone;
 * false when there is none. */
static bool BackendFake_remove(BackendFake *f, const char *name)
{
    size_t i;

    for (i = 0; i < f->domains.count; i++) {
        Domain *d = &f->domains.items[i];

        if (strcmp(d->name, name) != 0)
            continue;
        f->free_mib += d->memory_mib;
        free(d->name);
        memmove(d, d + 1, (f->domains.count - i - 1) * sizeof *d);
        f->domains.count--;
        return true;
    }
    return false;
}

/* A teardown the test made fail (teardown_error): true, with ERR. */
static bool BackendFake_teardownError(BackendFake *f, const char *name, char *err, size_t errlen)
{
    if (!f->teardown_error)
        return false;
    snprintf(err, errlen, "%s", f->teardown_error);
    f->teardown_error = NULL;
    if (f->teardown_removes)
        BackendFake_remove(f, name);
    return true;
}

static int BackendFake_destroy(Backend *be, const char *name, char *err, size_t errlen)
{
    BackendFake *f = (BackendFake *)be;

    f->destroys++;
    if (BackendFake_teardownError(f, name, err, errlen))
        return -1;
    if (BackendFake_remove(f, name))
        return 0;
    snprintf(err, errlen, "fake xl: no domain %s", name);
    return -1;
}

/* Note one lifecycle call in f->ops; -1 when the test made it fail. */
static int BackendFake_op(BackendFake *f, const char *op, const char *arg, char *err,
                          size_t errlen)
{
    size_t used = strlen(f->ops);

    snprintf(f->ops + used, sizeof f->ops - used, "%s %s\n", op, arg);
    if (f->lifecycle_error) {
        snprintf(err, errlen, "%s", f->lifecycle_error);
        f->lifecycle_error = NULL;
        return -1;
    }
    return 0;
}

static Domain *BackendFake_find(BackendFake *f, const char *name)
{
    return (Domain *)DomainList_find(&f->domains, name);
}


/* Without WAIT the domain stays (the guest is still shutting down); with
 * it, like xl shutdown -w, it is gone on return unless shutdown_lingers. */
static int BackendFake_shutdown(Backend *be, const char *name, bool wait, char *err,
                                size_t errlen)
{
    BackendFake *f = (BackendFake *)be;

    if (BackendFake_op(f, wait ? "shutdown -w" : "shutdown", name, err, errlen) < 0 ||
        (wait && BackendFake_teardownError(f, name, err, errlen)))
        return -1;
    if (wait && !f->shutdown_lingers)
        BackendFake_remove(f, name);
    return 0;
}

static int BackendFake_pause(Backend *be, const char *name, bool pause, char *err,
                             size_t errlen)
{
    BackendFake *f = (BackendFake *)be;
    Domain *d;

    if (BackendFake_op(f, pause ? "pause" : "unpause", name, err, errlen) < 0)
        return -1;
    d = BackendFake_find(f, name);
    if (d)
        d->state[2] = pause ? 'p' : '-';
    return 0;
}

static int BackendFake_memSet(Backend *be, const char *name, unsigned mib, char *err,
                              size_t errlen)
{
    char arg[256];

    snprintf(arg, sizeof arg, "%s %u", name, mib);
    return BackendFake_op((BackendFake *)be, "mem-set", arg, err, errlen);
}

/* Like xl save: the file appears, and with save_stops_domain the domain
 * goes. */
static int BackendFake_save(Backend *be, const char *name, const char *path, char *err,
                            size_t errlen)
{
    BackendFake *f = (BackendFake *)be;
    char arg[PATH_MAX + 256];
    const Domain *d;
    FILE *file;

    snprintf(arg, sizeof arg, "%s %s", name, path);
    if (f->save_leaves_partial && f->lifecycle_error) {
        /* xl opened the file and wrote part of the stream; libxl then
         * resumes the guest (xl_saverestore.c: "Failed to save domain,
         * resuming domain"). */
        file = fopen(path, "w");
        if (file) {
            fputs("partial", file);
            fclose(file);
        }
    }
    if (f->save_delay_ms)
        usleep(f->save_delay_ms * 1000u);
    if (BackendFake_op(f, "save", arg, err, errlen) < 0) {
        d = BackendFake_find(f, name);
        if (d && f->save_failure_pauses)
            ((Domain *)d)->state[2] = 'p';
        return -1;
    }
    file = fopen(path, "w");
    if (!file) {
        snprintf(err, errlen, "fake xl: cannot write %s", path);
        return -1;
    }
    d = BackendFake_find(f, name);
    fprintf(file, "fake save of %s, %" PRIu64 " MiB\n", name, d ? d->memory_mib : 0);
    if (f->fs_capacity && d) {
        for (uint64_t i = 0; i < d->memory_mib * 1024; i++)
            fputc('.', file);
    }
    fclose(file);
    if (f->save_stops_domain)
        BackendFake_remove(f, name);
    return 0;
}

/* Like xl restore: the domain the file was saved from runs again. */
static int BackendFake_restore(Backend *be, const char *path, char *err, size_t errlen)
{
    BackendFake *f = (BackendFake *)be;
    char name[128];
    unsigned mib;
    FILE *file;

    if (BackendFake_op(f, "restore", path, err, errlen) < 0)
        return -1;
    file = fopen(path, "r");
    if (file && fscanf(file, "fake save of %127[^,], %u MiB", name, &mib) == 2 &&
        !BackendFake_find(f, name)) {
        DomainList_add(&f->domains, f->next_id++, name, mib, 1, "-b----");
        f->free_mib -= mib;
    }
    if (file)
        fclose(file);
    return 0;
}

static int BackendFake_remote(Backend *be, const char *host, const char *password,
                              bool accept_new, const char *command, const char *input, char *out,
                              size_t outlen)
{
    BackendFake *f = (BackendFake *)be;
    size_t used = strlen(f->ops);

    snprintf(f->ops + used, sizeof f->ops - used, "remote %s %s%s\n", host, command,
             input ? " <input>" : "");
    snprintf(f->last_input, sizeof f->last_input, "%s", input ? input : "");
    out[0] = '\0';
    if (!f->remote_handler) {
        snprintf(out, outlen, "fake: no remote\n");
        return 255;
    }
    return f->remote_handler(f, host, password, accept_new, command, input, out, outlen);
}

static int BackendFake_send(Backend *be, const char *name, const char *host,
                            const char *local_cfg, const char *remote_cfg, bool live, char *err,
                            size_t errlen)
{
    BackendFake *f = (BackendFake *)be;
    char arg[PATH_MAX + 512];
    Domain *d;

    (void)local_cfg;
    snprintf(arg, sizeof arg, "%s %s %s %s", name, host, remote_cfg, live ? "live" : "suspend");
    if (BackendFake_op(f, "send", arg, err, errlen) < 0) {
        d = BackendFake_find(f, name);
        if (d && !live && f->save_failure_pauses)
            d->state[2] = 'p';
        return -1;
    }
    if (live) {
        BackendFake_remove(f, name);
    } else {
        d = BackendFake_find(f, name);
        if (d)
            d->state[2] = 'p';
    }
    if (f->send_hook)
        f->send_hook(f, name, remote_cfg);
    return 0;
}

static double BackendFake_nowS(Backend *be)
{
    BackendFake *f = (BackendFake *)be;
    double now = f->clock_s;

    f->clock_s += 1.5;
    return now;
}

static int BackendFake_console(Backend *be, const char *name, char *err, size_t errlen)
{
    return BackendFake_op((BackendFake *)be, "console", name, err, errlen);
}

static int BackendFake_hostInfo(Backend *be, HostInfo *out, char *err, size_t errlen)
{
    (void)err;
    (void)errlen;
    *out = ((BackendFake *)be)->host;
    return 0;
}

static bool BackendFake_hasHvm(Backend *be)
{
    return ((BackendFake *)be)->hvm;
}

static bool BackendFake_hasHap(Backend *be)
{
    return ((BackendFake *)be)->hap;
}

static int BackendFake_fsFreeMib(Backend *be, const char *path, uint64_t *mib, char *err,
                                 size_t errlen)
{
    BackendFake *f = (BackendFake *)be;

    if (f->fs_error) {
        snprintf(err, errlen, "%s", f->fs_error);
        return -1;
    }
    *mib = f->fs_free;
    if (f->fs_capacity) {
        uint64_t used = 0;
        const struct dirent *e;
        DIR *dir = opendir(path);

        while (dir && (e = readdir(dir))) {
            struct stat sb;

            if (fstatat(dirfd(dir), e->d_name, &sb, 0) == 0 && S_ISREG(sb.st_mode))
                used += ((uint64_t)sb.st_size + 1023) / 1024;
        }
        if (dir)
            closedir(dir);
        *mib = used < f->fs_capacity ? f->fs_capacity - used : 0;
    }
    return 0;
}

static bool BackendFake_isTcg(Backend *be)
{
    return ((BackendFake *)be)->tcg;
}

static int BackendFake_randomBytes(Backend *be, void *buf, size_t len, char *err,
                                   size_t errlen)
{
    BackendFake *f = (BackendFake *)be;
    size_t i;

    (void)err;
    (void)errlen;
    for (i = 0; i < len; i++)
        ((uint8_t *)buf)[i] = f->next_random++;
    return 0;
}

static int BackendFake_hostSalt(Backend *be, char *buf, size_t len, char *err, size_t errlen)
{
    (void)err;
    (void)errlen;
    snprintf(buf, len, "%s", ((BackendFake *)be)->salt);
    return 0;
}

static bool BackendFake_bridgeExists(Backend *be, const char *bridge)
{
    return ((BackendFake *)be)->bridge && strcmp(bridge, "xenbr0") == 0;
}

static bool BackendFake_ipv4Address(Backend *be, const char *ifname, char *addr, size_t len,
                                    unsigned *prefix)
{
    BackendFake *f = (BackendFake *)be;

    if (!f->ifname || !f->address || strcmp(ifname, f->ifname) != 0)
        return false;
    snprintf(addr, len, "%s", f->address);
    *prefix = f->prefix;
    return true;
}

static int BackendFake_sample(Backend *be, Sample *out, char *err, size_t errlen)
{
    BackendFake *f = (BackendFake *)be;
    size_t i = f->samples_taken;

    memset(out, 0, sizeof *out);
    f->samples_taken++;
    if (f->sample_error) {
        snprintf(err, errlen, "%s", f->sample_error);
        return -1;
    }
    if (f->sample_count == 0)
        return 0;
    if (i >= f->sample_count)
        i = f->sample_count - 1;
    if (Sample_copy(out, &f->samples[i]) < 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (!out->dom0_available_mib)
        out->dom0_available_mib = f->dom0_available_mib;
    if (!out->dom0_grow_mib && f->dom0_max_mib > f->dom0_target_mib)
        out->dom0_grow_mib = f->dom0_max_mib - f->dom0_target_mib;
    return 0;
}

static int BackendFake_releaseLease(Backend *be, const char *ip, const char *mac,
                                    const char *clid, char *err, size_t errlen)
{
    BackendFake *f = (BackendFake *)be;

    (void)mac;
    (void)clid;
    (void)err;
    (void)errlen;
    f->lease_releases++;
    snprintf(f->released_ip, sizeof f->released_ip, "%s", ip);
    return 0;
}

static int BackendFake_guestKeys(Backend *be, const uint32_t *ids, size_t n, GuestKeys *out,
                                 char *err, size_t errlen)
{
    BackendFake *f = (BackendFake *)be;
    size_t i, j;

    f->guest_key_reads++;
    if (f->guest_keys_error) {
        snprintf(err, errlen, "%s", f->guest_keys_error);
        return -1;
    }
    for (i = 0; i < n; i++) {
        memset(&out[i], 0, sizeof out[i]);
        for (j = 0; j < f->guest_key_count; j++) {
            if (f->guest_key_ids[j] == ids[i])
                out[i] = f->guest_keys[j];
        }
    }
    return 0;
}

void BackendFake_setKey(GuestKeys *k, int key, const char *value)
{
    k->present[key] = true;
    snprintf(k->value[key], sizeof k->value[key], "%s", value);
}

static void BackendFake_sleepNs(Backend *be, uint64_t ns)
{
    BackendFake *f = (BackendFake *)be;

    f->sleeps++;
    f->slept_ns += ns;
}

static void BackendFake_free(Backend *be)
{
    BackendFake_done((BackendFake *)be);
}

void BackendFake_init(BackendFake *f)
{
    memset(f, 0, sizeof *f);
    f->backend.free_memory_mib = BackendFake_freeMemory;
    f->backend.dom0_available_mib = BackendFake_dom0Available;
    f->backend.dom0_memory = BackendFake_dom0Memory;
    f->backend.dom0_set_target = BackendFake_dom0SetTarget;
    f->backend.list_domains = BackendFake_listDomains;
    f->backend.create = BackendFake_create;
    f->backend.destroy = BackendFake_destroy;
    f->backend.shutdown = BackendFake_shutdown;
    f->backend.pause = BackendFake_pause;
    f->backend.mem_set = BackendFake_memSet;
    f->backend.save = BackendFake_save;
    f->backend.restore = BackendFake_restore;
    f->backend.console = BackendFake_console;
    f->backend.remote = BackendFake_remote;
    f->backend.send = BackendFake_send;
    f->backend.now_s = BackendFake_nowS;
    f->backend.host_info = BackendFake_hostInfo;
    f->backend.has_hvm = BackendFake_hasHvm;
    f->backend.has_hap = BackendFake_hasHap;
    f->backend.fs_free_mib = BackendFake_fsFreeMib;
    f->backend.is_tcg = BackendFake_isTcg;
    f->backend.random_bytes = BackendFake_randomBytes;
    f->backend.host_salt = BackendFake_hostSalt;
    f->backend.bridge_exists = BackendFake_bridgeExists;
    f->backend.ipv4_address = BackendFake_ipv4Address;
    f->backend.sample = BackendFake_sample;
    f->backend.guest_keys = BackendFake_guestKeys;
    f->backend.release_lease = BackendFake_releaseLease;
    f->backend.sleep_ns = BackendFake_sleepNs;
    f->backend.free = BackendFake_free;
    f->free_mib = 4096;
    f->fs_free = 100000;
    f->dom0_available_mib = 512;
    f->dom0_target_mib = 768;
    f->dom0_max_mib = 768;
    f->salt = "fake-host-salt";
    snprintf(f->host.xen_version, sizeof f->host.xen_version, "4.17.0-fake");
    f->host.uptime_s = 3725;
    DomainList_add(&f->domains, 0, "Domain-0", 768, 2, "r-----");
    f->next_id = 1;
}

void BackendFake_addDomain(BackendFake *f, const char *name, unsigned memory_mib)
{
    DomainList_add(&f->domains, f->next_id++, name, memory_mib, 1, "-b----");
}

bool BackendFake_removeDomain(BackendFake *f, const char *name)
{
    return BackendFake_remove(f, name);
}

void BackendFake_done(BackendFake *f)
{
    DomainList_free(&f->domains);
}
