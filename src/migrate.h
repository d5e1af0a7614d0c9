/* migrate.h: xenlive migrate NAME HOST, moving a running guest to a
 * paired xenlive machine (or to this one: localhost) with Xen's own
 * toolstack: xl migrate, or xl save -p piped into xl restore there.
 *
 * The other machine answers through its own xenlive (xenlive peer ...,
 * run over dbclient; for localhost, run here):
 *   peer info IMAGE NAME  KEY=VALUE lines: SHA256 (of IMAGE's image.conf,
 *                         empty without it), FREE_MIB (Xen's free memory),
 *                         HAP (0/1), NAME_FREE (0/1: no domain, config or
 *                         save of that name), RUNNING (0/1: a domain NAME
 *                         runs), NEXT (the next free IMAGE-N there),
 *                         DOM0_KEY (this dom0's public key, TYPE BASE64,
 *                         which the guest is given before it moves there)
 *   peer take NAME        stdin: the guest's xl config; written as
 *                         domains/NAME.cfg, with a NAME.incoming mark that
 *                         keeps Guests_reap off it while the guest arrives
 *                         (10 minutes at most); refused when NAME is not free
 *   peer done NAME        the guest arrived: the mark goes
 *   peer drop NAME        it did not: the config and mark go (unless NAME
 *                         runs), and its NAT records (below)
 *   peer reserve NAME MAC IP
 *                         the arriving guest's NAT address: dnsmasq keeps IP
 *                         for MAC and resolves NAME (natlease.h); refused
 *                         when IP is another guest's here; nothing in
 *                         bridged mode
 *   peer hostkey NAME TYPE BASE64
 *                         the guest's SSH host key, as it printed it on its
 *                         console on the source, is added to its console log
 *                         here, so that `ssh NAME` checks it (knownhosts.h)
 *
 * Before the transfer the source gives the guest HOST's dom0 key (over
 * SSH, into its authorized_keys), so that `ssh NAME` works from HOST.
 *
 * Names: the guest keeps its name when it is free on HOST; otherwise it
 * takes HOST's next free name of its image (tiny-1 moving to a machine
 * that runs tiny-1 becomes tiny-2 there).  Its hostname inside, MAC and
 * kernel command line stay as they were (its config travels). */
#ifndef XENLIVE_MIGRATE_H
#define XENLIVE_MIGRATE_H

#include "backend.h"
#include "catalog.h"
#include "paths.h"
#include "sshkey.h"
#include "stats.h"
#include "status.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum MigrateMode {
    MIGRATE_LIVE,    /* xl migrate: PVH with HAP on both machines */
    MIGRATE_SUSPEND, /* xl save -p | xl restore: the guest pauses while it moves */
} MigrateMode;

/* The mode for a guest of TYPE ("pv", "pvh"; NULL when unknown):
 * live only for PVH when both machines have HAP (Debian's Xen has no
 * shadow paging, which PV guests and machines without EPT/NPT would need
 * to track dirty pages: xl migrate fails with "Failed to enable
 * logdirty"); suspend and move otherwise. */
MigrateMode Migrate_mode(const char *type, bool here_hap, bool there_hap);

/* "live" or "suspend and move". */
const char *Migrate_modeName(MigrateMode mode);

/* What peer info says. */
typedef struct PeerInfo {
    char sha256[65];
    uint64_t free_mib;
    bool hap;
    bool name_free;
    bool running;
    char next[STATS_NAME_MAX + 1];
    char dom0_key[SSHKEY_TYPE_MAX + SSHKEY_BASE64_MAX + 2]; /* "TYPE BASE64", or "" */
} PeerInfo;

/* Parse peer info's lines; -1 when FREE_MIB or NEXT is missing. */
int Migrate_parseInfo(const char *text, PeerInfo *out);

/* This machine's answer to peer info IMAGE NAME, into OUT. */
Status Migrate_info(Backend *be, const Paths *paths, const char *image, const char *name,
                    char *out, size_t outlen, char *err, size_t errlen);

/* peer take NAME with CFG_TEXT; peer done NAME; peer drop NAME. */
Status Migrate_take(Backend *be, const Paths *paths, const char *name, const char *cfg_text,
                    char *err, size_t errlen);
Status Migrate_done(const Paths *paths, const char *name, char *err, size_t errlen);

/* peer reserve NAME MAC IP: NatLease_reserve for an arriving NAME (its
 * NAME.incoming mark is there, else STATUS_USAGE); nothing in bridged
 * mode (the net file says MODE=bridged). */
Status Migrate_reserve(const Paths *paths, const char *name, const char *mac, const char *ip,
                       char *err, size_t errlen);

/* peer hostkey NAME TYPE BASE64: "xenlive-guest hostkey: TYPE BASE64"
 * appended to the console log of an arriving NAME (STATUS_USAGE without
 * its mark, or for a bad key). */
Status Migrate_hostKey(const Paths *paths, const char *name, const char *type,
                       const char *base64, char *err, size_t errlen);
Status Migrate_drop(Backend *be, const Paths *paths, const char *name, char *err,
                    size_t errlen);

/* NAME has a fresh NAME.incoming mark (Guests_reap leaves its config). */
bool Migrate_incoming(const Paths *paths, const char *name);

typedef struct MigratePlan {
    char name[STATS_NAME_MAX + 1];
    char host[256];
    char image[IMAGE_NAME_MAX + 1];
    char new_name[STATS_NAME_MAX + 1]; /* its name on HOST */
    unsigned memory_mib;
    const char *type;                  /* "pv", "pvh", or NULL */
    MigrateMode mode;
    char dom0_key[SSHKEY_TYPE_MAX + SSHKEY_BASE64_MAX + 2]; /* HOST's, from peer info */
} MigratePlan;

/* Every check before anything moves; nothing is changed.  Refusals, one
 * line each: NAME unknown or Domain-0; not a guest xenlive launched
 * (IMAGE-N with a config); HOST not paired (localhost needs no pairing:
 * "HOST is not paired: xenlive pair HOST first"); HOST unreachable or
 * refusing (Peers_remoteError); HOST lacking IMAGE or holding another
 * one (SHA256 differs); HOST short of memory (STATUS_NO_MEMORY: "not
 * enough memory on HOST for NAME: needs N MiB, M MiB free", N the
 * guest's memory + 1). */
Status Migrate_plan(Backend *be, const Paths *paths, const char *name, const char *host,
                    MigratePlan *plan, char *err, size_t errlen);

typedef struct MigrateResult {
    double seconds;       /* the transfer: xl migrate, or xl save | xl restore */
    double pause_s;       /* suspend and move: the guest's pause (= seconds); live: 0, unknown */
} MigrateResult;

/* Move the guest as PLAN says: peer take (its config, renamed), the
 * transfer (be->send), then peer info: when NEW_NAME runs on HOST, peer
 * done, and here the paused copy (suspend) is destroyed and NAME's config
 * removed; the source keeps nothing.  Otherwise peer drop, and NAME runs
 * on here (unpaused, unless it was paused before): "cannot move NAME to
 * HOST: WHY; NAME keeps running here". */
Status Migrate_run(Backend *be, const Paths *paths, const MigratePlan *plan,
                   MigrateResult *res, char *err, size_t errlen);

#endif
