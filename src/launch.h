/* launch.h: start guests from catalog images.  The command line and the
 * TUI both call this; it never prints, it fills ERR with one line. */
#ifndef XENLIVE_LAUNCH_H
#define XENLIVE_LAUNCH_H

#include "backend.h"
#include "catalog.h"
#include "guesttype.h"
#include "paths.h"
#include "sshkey.h"
#include "status.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Free memory a guest takes beyond its own memory.  Measured: a guest of
 * M MiB lowers Xen's free memory by M MiB, within xl info's 1 MiB
 * rounding; 1 MiB covers that rounding and Xen's per-domain structures.
 * make bench refines it. */
#define GUEST_OVERHEAD_MIB 1u

/* Dom0's available memory (MemAvailable) that no launch may take: it keeps
 * the TUI, SSH sessions, DHCP and xl create's hotplug scripts going.
 * Dom0 boots at dom0_mem's size and may grow up to its max: (Xen's
 * command line, hypervisor/cmdline.conf); only a launch grows it
 * (DOM0_GROW_MIB), and nothing shrinks it. */
#define DOM0_RESERVE_MIB 32u

/* What each running guest costs dom0, in MiB, for as long as it runs: its
 * xl monitor process, console log and xenconsoled buffers, loop device,
 * backends and xenstore nodes.  Measured: 2.7 MiB per Tiny guest with 43
 * running (the guests suite's fill prints it), 2.80 with 108 (make bench,
 * 4 GiB).  A launch needs this much above DOM0_RESERVE_MIB, and the FITS
 * count divides dom0's spare by it. */
#define DOM0_PER_GUEST_MIB 3u

/* When dom0's spare falls short of a guest's share, a launch raises dom0's
 * balloon target by what it lacks and this much more, in MiB, taken from
 * Xen's free memory (about 5 guests' share: one balloon step per 5
 * launches, not one per launch, and a margin over MemAvailable's own
 * movements), but never above dom0's max.  Then it waits up to
 * DOM0_GROW_WAIT_S seconds for dom0's MemAvailable to follow. */
#define DOM0_GROW_MIB 16u
#define DOM0_GROW_WAIT_S 10u

typedef struct LaunchRequest {
    const char *image;
    unsigned count;      /* guests to start, at least 1 */
    unsigned memory_mib; /* 0: the image's MEMORY_MIB */
    unsigned vcpus;      /* 0: the image's VCPUS */
    GuestType type;      /* GUEST_AUTO: PVH when the host runs it well */
} LaunchRequest;

/* A checked request: everything Launch_one needs. */
typedef struct LaunchPlan {
    Image image;
    unsigned count;
    unsigned memory_mib;
    unsigned vcpus;
    GuestType type;
    /* dom0's public key as "TYPE:BASE64" for xenlive.authkey=, from the
     * run folder's dom0-key.pub; "" when there is none. */
    char authkey[SSHKEY_TYPE_MAX + SSHKEY_BASE64_MAX + 1];
} LaunchPlan;

/* One guest, started or refused. */
typedef struct LaunchResult {
    char name[IMAGE_NAME_MAX + 16];
    GuestType type;
    unsigned memory_mib;
    unsigned vcpus;
    uint64_t need_mib; /* memory_mib + GUEST_OVERHEAD_MIB */
    uint64_t free_mib; /* Xen's free memory before the launch */
    bool dom0_short;   /* refused because dom0 had less than DOM0_RESERVE_MIB +
                        * DOM0_PER_GUEST_MIB and could not grow */
    uint64_t dom0_grown_mib; /* dom0's balloon target was raised by this much */
} LaunchResult;

typedef void (*LaunchCallback)(const LaunchResult *res, void *data);

/* Parse the arguments of "launch" (ARGV[0] is the command name). */
Status LaunchRequest_parse(LaunchRequest *req, int argc, char **argv, char *err,
                           size_t errlen);

/* Check REQ against the catalog and the host, read dom0's public key
 * (a file that is there but not a valid key line is an error); fill
 * PLAN. */
Status Launch_plan(Backend *be, const Paths *paths, const Catalog *catalog,
                   const LaunchRequest *req, LaunchPlan *plan, char *err, size_t errlen);

/* The name Launch_one would give a guest of IMAGE now, after Guests_reap
 * (for "launching tiny-1..."; another xenlive may take it first).
 * STATUS_ERROR (ERR) when the domains cannot be listed. */
Status Launch_nextName(Backend *be, const Paths *paths, const char *image, char *name,
                       size_t len, char *err, size_t errlen);

/* Start one guest of PLAN under the next free name (Names_next, after
 * Guests_reap has freed the names of domains that are gone), holding
 * Guests_lock from the name to the end of xl create.  When dom0's spare
 * is short of the guest's share, dom0 is grown first (DOM0_GROW_MIB;
 * RES->dom0_grown_mib), and stays grown.  Nothing else is left behind
 * when it fails: STATUS_NO_MEMORY when it does not fit in Xen's free
 * memory (RES says by how much, dom0's growth included) or dom0 is down
 * to its reserve and cannot grow (RES->dom0_short), STATUS_ERROR
 * otherwise. */
Status Launch_one(Backend *be, const Paths *paths, const LaunchPlan *plan, LaunchResult *res,
                  char *err, size_t errlen);

/* Start PLAN's count guests one by one, calling ON_LAUNCHED after each,
 * and stop at the first that fails. */
Status Launch_many(Backend *be, const Paths *paths, const LaunchPlan *plan,
                   LaunchCallback on_launched, void *data, char *err, size_t errlen);

/* "debian-1 (pv, 256 MiB, 1 vCPU)" */
void Launch_describe(const LaunchResult *res, char *buf, size_t len);

#endif
