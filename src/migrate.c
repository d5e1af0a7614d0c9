/* migrate.c: moving a running guest to another xenlive machine. */
#include "migrate.h"

#include "guests.h"
#include "guestssh.h"
#include "knownhosts.h"
#include "natlease.h"
#include "names.h"
#include "peers.h"
#include "saves.h"
#include "util.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* How long a NAME.incoming mark holds a config against Guests_reap:
 * longer than any move (a 4 GiB guest at 10 MB/s is 7 minutes). */
#define MIGRATE_INCOMING_S 600

/* The largest xl config xenlive writes (xlcfg.c: about 2 KiB). */
#define MIGRATE_CFG_MAX 8192

MigrateMode Migrate_mode(const char *type, bool here_hap, bool there_hap)
{
    return type && strcmp(type, "pvh") == 0 && here_hap && there_hap ? MIGRATE_LIVE
                                                                     : MIGRATE_SUSPEND;
}

const char *Migrate_modeName(MigrateMode mode)
{
    return mode == MIGRATE_LIVE ? "live" : "suspend and move";
}

int Migrate_parseInfo(const char *text, PeerInfo *out)
{
    const char *p = text;
    bool have_free = false;

    memset(out, 0, sizeof *out);
    while (*p) {
        size_t n = strcspn(p, "\n");
        char line[SSHKEY_TYPE_MAX + SSHKEY_BASE64_MAX + 16];
        char *v;

        snprintf(line, sizeof line, "%.*s", (int)(n < sizeof line ? n : sizeof line - 1), p);
        p += n + (p[n] == '\n');
        v = strchr(line, '=');
        if (!v)
            continue;
        *v++ = '\0';
        if (strcmp(line, "SHA256") == 0)
            snprintf(out->sha256, sizeof out->sha256, "%s", v);
        else if (strcmp(line, "FREE_MIB") == 0) {
            char *end;

            out->free_mib = strtoull(v, &end, 10);
            have_free = *v && !*end;
        } else if (strcmp(line, "HAP") == 0)
            out->hap = strcmp(v, "1") == 0;
        else if (strcmp(line, "NAME_FREE") == 0)
            out->name_free = strcmp(v, "1") == 0;
        else if (strcmp(line, "RUNNING") == 0)
            out->running = strcmp(v, "1") == 0;
        else if (strcmp(line, "NEXT") == 0)
            snprintf(out->next, sizeof out->next, "%s", v);
        else if (strcmp(line, "DOM0_KEY") == 0)
            snprintf(out->dom0_key, sizeof out->dom0_key, "%s", v);
    }
    return have_free && out->next[0] ? 0 : -1;
}

/* DOMAINS/NAME.incoming */
/* The mark of an arriving guest NAME; -1 when NAME is not a guest's name
 * (IMAGE-N, names.c): take, done and drop come from another machine, and
 * act on nothing else. */
static int Migrate_markPath(const Paths *paths, const char *name, char *buf, size_t len)
{
    char cfg[PATH_MAX];
    char image[PATH_MAX];

    if (!Names_split(name, image, sizeof image) || Paths_cfg(paths, name, cfg, sizeof cfg) < 0)
        return -1;
    return snprintf(buf, len, "%s/%s.incoming", paths->domains, name) >= (int)len ? -1 : 0;
}

bool Migrate_incoming(const Paths *paths, const char *name)
{
    char mark[PATH_MAX];
    struct stat sb;

    return Migrate_markPath(paths, name, mark, sizeof mark) == 0 && stat(mark, &sb) == 0 &&
           time(NULL) - sb.st_mtime < MIGRATE_INCOMING_S;
}

/* NAME has neither a domain (in DOMAINS), a config, a save, nor a mark. */
static bool Migrate_nameFree(const Paths *paths, const DomainList *domains, const char *name)
{
    char cfg[PATH_MAX];

    return !DomainList_find(domains, name) && Paths_cfg(paths, name, cfg, sizeof cfg) == 0 &&
           access(cfg, F_OK) != 0 && !Saves_exists(paths, name) &&
           !Migrate_incoming(paths, name);
}

Status Migrate_info(Backend *be, const Paths *paths, const char *image, const char *name,
                    char *out, size_t outlen, char *err, size_t errlen)
{
    DomainList domains = {0};
    char sha[65] = "";
    char next[STATS_NAME_MAX + 1];
    char cfg[PATH_MAX];
    char key_line[SSHKEY_TYPE_MAX + SSHKEY_BASE64_MAX + 256];
    SshKey key;
    uint64_t free_mib;
    Status st = STATUS_ERROR;

    if (!Image_validName(image) || Paths_cfg(paths, name, cfg, sizeof cfg) < 0) {
        snprintf(err, errlen, "bad image or guest name");
        return STATUS_USAGE;
    }
    if (be->free_memory_mib(be, &free_mib, err, errlen) < 0 ||
        be->list_domains(be, &domains, err, errlen) < 0)
        goto out;
    if (Saves_imageSha(paths, image, sha, sizeof sha) < 0)
        sha[0] = '\0';
    if (Names_next(image, &domains, paths, next, sizeof next) < 0) {
        snprintf(err, errlen, "no free name for %s", image);
        goto out;
    }
    /* This dom0's key, for the guest to let in before it comes here. */
    if (Util_readLine(paths->dom0_key, key_line, sizeof key_line) < 0 ||
        SshKey_parse(key_line, &key, err, errlen) < 0)
        key.type[0] = '\0';
    snprintf(out, outlen,
             "SHA256=%s\nFREE_MIB=%" PRIu64 "\nHAP=%d\nNAME_FREE=%d\nRUNNING=%d\nNEXT=%s\n"
             "DOM0_KEY=%s%s%s\n",
             sha, free_mib, be->has_hap(be) ? 1 : 0,
             Migrate_nameFree(paths, &domains, name) ? 1 : 0,
             DomainList_find(&domains, name) ? 1 : 0, next, key.type, key.type[0] ? " " : "",
             key.type[0] ? key.base64 : "");
    st = STATUS_OK;
out:
    DomainList_free(&domains);
    return st;
}

/* CFG_TEXT's name = "..." line says NAME. */
static bool Migrate_cfgNamed(const char *cfg_text, const char *name)
{
    const char *p = cfg_text;

    while (*p) {
        char value[STATS_NAME_MAX + 1];

        if (sscanf(p, "name = \"%64[^\"]\"", value) == 1)
            return strcmp(value, name) == 0;
        p += strcspn(p, "\n");
        p += *p == '\n';
    }
    return false;
}

Status Migrate_take(Backend *be, const Paths *paths, const char *name, const char *cfg_text,
                    char *err, size_t errlen)
{
    DomainList domains = {0};
    char cfg[PATH_MAX];
    char mark[PATH_MAX];
    Status st = STATUS_ERROR;
    int lock;

    if (Paths_cfg(paths, name, cfg, sizeof cfg) < 0 ||
        Migrate_markPath(paths, name, mark, sizeof mark) < 0 ||
        !Migrate_cfgNamed(cfg_text, name) || strlen(cfg_text) >= MIGRATE_CFG_MAX) {
        snprintf(err, errlen, "not an xl config for %s", name);
        return STATUS_USAGE;
    }
    /* Under the launch lock: no launch takes the name meanwhile. */
    lock = Guests_lock(paths, err, errlen);
    if (lock < 0)
        return STATUS_ERROR;
    if (be->list_domains(be, &domains, err, errlen) < 0)
        goto out;
    if (!Migrate_nameFree(paths, &domains, name)) {
        snprintf(err, errlen, "%s is taken on this machine", name);
        goto out;
    }
    if (Util_writeFileAtomic(mark, "", err, errlen) < 0)
        goto out;
    if (Util_writeFileAtomic(cfg, cfg_text, err, errlen) < 0) {
        unlink(mark);
        goto out;
    }
    st = STATUS_OK;
out:
    DomainList_free(&domains);
    close(lock);
    return st;
}

Status Migrate_done(const Paths *paths, const char *name, char *err, size_t errlen)
{
    char mark[PATH_MAX];

    if (Migrate_markPath(paths, name, mark, sizeof mark) < 0) {
        snprintf(err, errlen, "not a guest's name: %s", name);
        return STATUS_USAGE;
    }
    if (unlink(mark) < 0 && errno != ENOENT) {
        snprintf(err, errlen, "cannot remove %s: %s", mark, strerror(errno));
        return STATUS_ERROR;
    }
    return STATUS_OK;
}

Status Migrate_drop(Backend *be, const Paths *paths, const char *name, char *err,
                    size_t errlen)
{
    DomainList domains = {0};
    char cfg[PATH_MAX];
    char mark[PATH_MAX];
    Status st = STATUS_ERROR;
    int lock;

    if (Paths_cfg(paths, name, cfg, sizeof cfg) < 0 ||
        Migrate_markPath(paths, name, mark, sizeof mark) < 0) {
        snprintf(err, errlen, "not a guest's name: %s", name);
        return STATUS_USAGE;
    }
    lock = Guests_lock(paths, err, errlen);
    if (lock < 0)
        return STATUS_ERROR;
    if (be->list_domains(be, &domains, err, errlen) < 0)
        goto out;
    if (DomainList_find(&domains, name)) {
        snprintf(err, errlen, "%s runs here; its config is kept", name);
        goto out;
    }
    NatLease_release(be, paths, name);
    unlink(cfg);
    unlink(mark);
    st = STATUS_OK;
out:
    DomainList_free(&domains);
    close(lock);
    return st;
}

Status Migrate_reserve(const Paths *paths, const char *name, const char *mac, const char *ip,
                       char *err, size_t errlen)
{
    char mode[32];

    if (!Migrate_incoming(paths, name)) {
        snprintf(err, errlen, "%s is not arriving here", name);
        return STATUS_USAGE;
    }
    if (Util_confValue(paths->net, "MODE", mode, sizeof mode) == 0 &&
        strcmp(mode, "bridged") == 0)
        return STATUS_OK;
    return NatLease_reserve(paths, name, mac, ip, err, errlen);
}

Status Migrate_hostKey(const Paths *paths, const char *name, const char *type,
                       const char *base64, char *err, size_t errlen)
{
    char line[SSHKEY_TYPE_MAX + SSHKEY_BASE64_MAX + 2];
    char log[PATH_MAX];
    SshKey key;
    FILE *f;

    if (!Migrate_incoming(paths, name) || Paths_consoleLog(paths, name, log, sizeof log) < 0) {
        snprintf(err, errlen, "%s is not arriving here", name);
        return STATUS_USAGE;
    }
    snprintf(line, sizeof line, "%s %s", type, base64);
    if (SshKey_parse(line, &key, err, errlen) < 0)
        return STATUS_USAGE;
    if (Util_mkdirs(paths->console_logs, err, errlen) < 0)
        return STATUS_ERROR;
    f = fopen(log, "a");
    if (!f || fprintf(f, "%s %s %s\n", KNOWNHOSTS_MARK, key.type, key.base64) < 0 ||
        fclose(f) != 0) {
        snprintf(err, errlen, "cannot write %s: %s", log, strerror(errno));
        return STATUS_ERROR;
    }
    return STATUS_OK;
}

/* Ask HOST (peer info IMAGE NAME). */
static Status Migrate_ask(Backend *be, const char *host, const char *image, const char *name,
                          PeerInfo *info, char *err, size_t errlen)
{
    char command[256];
    char output[4096];
    int rc;

    snprintf(command, sizeof command, "xenlive peer info %s %s", image, name);
    rc = be->remote(be, host, NULL, false, command, NULL, output, sizeof output);
    if (rc != 0) {
        Peers_remoteError(host, rc, output, err, errlen);
        return STATUS_ERROR;
    }
    if (Migrate_parseInfo(output, info) < 0) {
        snprintf(err, errlen, "%s did not answer peer info (is it a xenlive machine?)", host);
        return STATUS_ERROR;
    }
    return STATUS_OK;
}

Status Migrate_plan(Backend *be, const Paths *paths, const char *name, const char *host,
                    MigratePlan *plan, char *err, size_t errlen)
{
    DomainList domains = {0};
    const Domain *d;
    PeerInfo info;
    char cfg[PATH_MAX];
    char sha[65] = "";
    bool unknown;
    bool local = strcmp(host, "localhost") == 0;
    Status st = STATUS_ERROR;

    memset(plan, 0, sizeof *plan);
    d = Guests_guest(be, name, "cannot be moved", &domains, &unknown, err, errlen);
    if (!d)
        goto out;
    if (!Names_split(name, plan->image, sizeof plan->image) ||
        Paths_cfg(paths, name, cfg, sizeof cfg) < 0 || access(cfg, R_OK) != 0) {
        snprintf(err, errlen, "%s is not a guest xenlive launched (no IMAGE-N name and config)",
                 name);
        goto out;
    }
    if (strlen(host) >= sizeof plan->host || (!local && !Peers_has(paths, host))) {
        snprintf(err, errlen, "%s is not paired: xenlive pair %s first", host, host);
        goto out;
    }
    snprintf(plan->name, sizeof plan->name, "%s", name);
    snprintf(plan->host, sizeof plan->host, "%s", host);
    plan->memory_mib = (unsigned)d->memory_mib;
    plan->type = Guests_type(paths, name);
    if (Migrate_ask(be, host, plan->image, name, &info, err, errlen) != STATUS_OK)
        goto out;
    if (Saves_imageSha(paths, plan->image, sha, sizeof sha) < 0)
        sha[0] = '\0';
    if (!info.sha256[0]) {
        snprintf(err, errlen, "%s has no image %s", host, plan->image);
        goto out;
    }
    if (strcmp(sha, info.sha256) != 0) {
        snprintf(err, errlen,
                 "%s's image %s differs from this one (SHA256 %.12s... there, %.12s... here): "
                 "boot both from the same ISO",
                 host, plan->image, info.sha256, sha[0] ? sha : "(none)");
        goto out;
    }
    if (info.free_mib < (uint64_t)plan->memory_mib + 1) {
        snprintf(err, errlen, "not enough memory on %s for %s: needs %u MiB, %" PRIu64 " MiB free",
                 host, name, plan->memory_mib + 1, info.free_mib);
        st = STATUS_NO_MEMORY;
        goto out;
    }
    snprintf(plan->new_name, sizeof plan->new_name, "%s", info.name_free ? name : info.next);
    plan->mode = Migrate_mode(plan->type, be->has_hap(be), info.hap);
    snprintf(plan->dom0_key, sizeof plan->dom0_key, "%s", info.dom0_key);
    st = STATUS_OK;
out:
    DomainList_free(&domains);
    return st;
}

/* TEXT (an xl config) with its name line saying NAME, into OUT. */
static int Migrate_renameCfg(const char *text, const char *name, char *out, size_t len)
{
    size_t used = 0;
    const char *p = text;
    bool renamed = false;

    out[0] = '\0';
    while (*p) {
        size_t n = strcspn(p, "\n");
        char value[STATS_NAME_MAX + 1];
        int w;

        if (!renamed && sscanf(p, "name = \"%64[^\"]\"", value) == 1) {
            w = snprintf(out + used, len - used, "name = \"%s\"\n", name);
            renamed = true;
        } else {
            w = snprintf(out + used, len - used, "%.*s\n", (int)n, p);
        }
        if (w < 0 || (size_t)w >= len - used)
            return -1;
        used += (size_t)w;
        p += n + (p[n] == '\n');
    }
    return renamed ? 0 : -1;
}

/* Run "xenlive peer VERB NAME" on HOST; 0 when it succeeded. */
static int Migrate_peer(Backend *be, const char *host, const char *verb, const char *name,
                        const char *input, char *output, size_t len)
{
    char command[256];

    snprintf(command, sizeof command, "xenlive peer %s %s", verb, name);
    return be->remote(be, host, NULL, false, command, input, output, len);
}

/* Before a transfer to another machine: HOST keeps the guest's NAT
 * address for its MAC (refused there when another guest has it: -1 with
 * WHY), learns its SSH host key, and the guest lets in HOST's dom0 key.
 * The last two are best effort: a guest without SSH moves all the same. */
static int Migrate_prepare(Backend *be, const Paths *paths, const MigratePlan *plan,
                           const char *cfg_text, char *why, size_t whylen)
{
    char mac[NATLEASE_MAC_LEN];
    char ip[NATLEASE_IP_LEN];
    char command[SSHKEY_TYPE_MAX + SSHKEY_BASE64_MAX + STATS_NAME_MAX + 64];
    char output[4096];
    char log[PATH_MAX];
    SshKey key;

    if (NatLease_cfgMac(cfg_text, mac) &&
        NatLease_address(paths, plan->name, mac, ip, sizeof ip)) {
        int rc;

        snprintf(command, sizeof command, "xenlive peer reserve %s %s %s", plan->new_name, mac,
                 ip);
        rc = be->remote(be, plan->host, NULL, false, command, NULL, output, sizeof output);
        if (rc != 0) {
            Peers_remoteError(plan->host, rc, output, why, whylen);
            return -1;
        }
    }
    if (Paths_consoleLog(paths, plan->name, log, sizeof log) == 0 &&
        KnownHosts_fromLog(log, &key, output, sizeof output) == 1) {
        snprintf(command, sizeof command, "xenlive peer hostkey %s %s %s", plan->new_name,
                 key.type, key.base64);
        (void)be->remote(be, plan->host, NULL, false, command, NULL, output, sizeof output);
    }
    if (plan->dom0_key[0] &&
        GuestSsh_refresh(be, paths, plan->name, output, sizeof output) == STATUS_OK) {
        char input[sizeof plan->dom0_key + sizeof plan->host + 16];

        snprintf(input, sizeof input, "%s dom0@%s\n", plan->dom0_key, plan->host);
        /* Once: a guest moved back and forth keeps one line per host. */
        (void)be->remote(be, plan->name, NULL, false,
                         "mkdir -p /root/.ssh && read -r k && "
                         "{ grep -qxF \"$k\" /root/.ssh/authorized_keys 2>/dev/null || "
                         "echo \"$k\" >> /root/.ssh/authorized_keys; }",
                         input, output, sizeof output);
    }
    return 0;
}

Status Migrate_run(Backend *be, const Paths *paths, const MigratePlan *plan,
                   MigrateResult *res, char *err, size_t errlen)
{
    DomainList domains = {0};
    const Domain *d;
    PeerInfo info;
    char cfg[PATH_MAX];
    char local_cfg[PATH_MAX];
    char remote_cfg[PATH_MAX];
    char text[MIGRATE_CFG_MAX];
    char renamed[MIGRATE_CFG_MAX + 128];
    char output[4096];
    char why[1024];
    bool was_paused = false;
    bool arrived = false;
    double t0;
    FILE *f;
    size_t n;
    int rc;
    int lock = -1;
    Status st = STATUS_ERROR;

    memset(res, 0, sizeof *res);
    if (Paths_cfg(paths, plan->name, cfg, sizeof cfg) < 0 ||
        Paths_cfg(paths, plan->new_name, remote_cfg, sizeof remote_cfg) < 0 ||
        snprintf(local_cfg, sizeof local_cfg, "%s/migrate-%s.cfg", paths->run, plan->name) >=
            (int)sizeof local_cfg) {
        snprintf(err, errlen, "cannot move %s: bad name", plan->name);
        return STATUS_ERROR;
    }
    f = fopen(cfg, "r");
    n = f ? fread(text, 1, sizeof text - 1, f) : 0;
    if (f)
        fclose(f);
    text[n] = '\0';
    if (!f || Migrate_renameCfg(text, plan->new_name, renamed, sizeof renamed) < 0) {
        snprintf(err, errlen, "cannot move %s: cannot read its config %s", plan->name, cfg);
        return STATUS_ERROR;
    }
    /* HOST holds the name and the config first. */
    rc = Migrate_peer(be, plan->host, "take", plan->new_name, renamed, output, sizeof output);
    if (rc != 0) {
        Peers_remoteError(plan->host, rc, output, why, sizeof why);
        snprintf(err, errlen, "cannot move %s to %s: %s; %s keeps running here", plan->name,
                 plan->host, why, plan->name);
        return STATUS_ERROR;
    }
    if (strcmp(plan->host, "localhost") != 0 &&
        Migrate_prepare(be, paths, plan, renamed, why, sizeof why) < 0) {
        snprintf(err, errlen, "cannot move %s to %s: %s; %s keeps running here", plan->name,
                 plan->host, why, plan->name);
        goto fail_early;
    }
    if (Util_writeFileAtomic(local_cfg, renamed, err, errlen) < 0)
        goto fail_early;
    if (be->list_domains(be, &domains, why, sizeof why) == 0 &&
        (d = DomainList_find(&domains, plan->name)) != NULL)
        was_paused = d->state[2] == 'p';
    DomainList_free(&domains);
    why[0] = '\0';
    t0 = be->now_s(be);
    rc = be->send(be, plan->name, plan->host, local_cfg, remote_cfg, plan->mode == MIGRATE_LIVE,
                  why, sizeof why);
    res->seconds = be->now_s(be) - t0;
    res->pause_s = plan->mode == MIGRATE_SUSPEND ? res->seconds : 0;
    unlink(local_cfg);
    /* Whatever xl said, the guest is where it runs. */
    arrived = Migrate_ask(be, plan->host, plan->image, plan->new_name, &info, output,
                          sizeof output) == STATUS_OK &&
              info.running;
    if (arrived) {
        (void)Migrate_peer(be, plan->host, "done", plan->new_name, NULL, output, sizeof output);
        /* The paused copy here (suspend and move); xl migrate destroyed
         * its own.  On localhost NEW_NAME is never NAME: NAME runs here.
         * Under the launch lock, as Guests_destroy: no launch takes NAME
         * before its config is gone. */
        lock = Guests_lock(paths, why, sizeof why);
        if (lock < 0 ||
            (be->list_domains(be, &domains, why, sizeof why) == 0 &&
             DomainList_find(&domains, plan->name) &&
             Guests_destroyDomain(be, plan->name, why, sizeof why) < 0)) {
            snprintf(err, errlen, "%s runs on %s as %s, but its copy here was not destroyed: %s",
                     plan->name, plan->host, plan->new_name, why);
            goto out;
        }
        NatLease_release(be, paths, plan->name);
        unlink(cfg);
        st = STATUS_OK;
        goto out;
    }
    if (!why[0])
        snprintf(why, sizeof why, "%s does not run on %s after the transfer", plan->new_name,
                 plan->host);
    (void)Migrate_peer(be, plan->host, "drop", plan->new_name, NULL, output, sizeof output);
    DomainList_free(&domains);
    if (be->list_domains(be, &domains, output, sizeof output) == 0 &&
        (d = DomainList_find(&domains, plan->name)) != NULL) {
        if (d->state[2] == 'p' && !was_paused)
            (void)be->pause(be, plan->name, false, output, sizeof output);
        if (d->state[3] == 's')
            snprintf(err, errlen,
                     "cannot move %s to %s: %s; %s is left suspended here (xl did not "
                     "resume it)",
                     plan->name, plan->host, why, plan->name);
        else
            snprintf(err, errlen, "cannot move %s to %s: %s; %s keeps running here",
                     plan->name, plan->host, why, plan->name);
    } else {
        snprintf(err, errlen, "cannot move %s to %s: %s; and %s is gone here too", plan->name,
                 plan->host, why, plan->name);
    }
    goto out;
fail_early:
    (void)Migrate_peer(be, plan->host, "drop", plan->new_name, NULL, output, sizeof output);
out:
    DomainList_free(&domains);
    if (lock >= 0)
        close(lock);
    return st;
}
