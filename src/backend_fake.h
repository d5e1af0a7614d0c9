/* backend_fake.h: an in-memory backend for the unit tests.  A test sets
 * the fields, runs the code under test, then looks at the fields. */
#ifndef XENLIVE_BACKEND_FAKE_H
#define XENLIVE_BACKEND_FAKE_H

#include "backend.h"

/* What a guest costs dom0, as make bench measures it (about 3 MiB). */
#define FAKE_DOM0_PER_GUEST_MIB 3u

typedef struct BackendFake BackendFake;

struct BackendFake {
    Backend backend;         /* first, so a Backend * is a BackendFake * */
    uint64_t free_mib;       /* create lowers it by the guest's memory */
    uint64_t dom0_available_mib;  /* create lowers it by FAKE_DOM0_PER_GUEST_MIB */
    /* dom0_memory returns them; dom0_set_target moves the target, and
     * (unless dom0_balloon_stuck) dom0's available memory and Xen's free
     * memory by the same amount, as dom0's balloon driver would.  Above
     * dom0_max_mib it fails, as libxl does above static-max.  Default:
     * 768 and 768, a dom0 that cannot grow. */
    uint64_t dom0_target_mib;
    uint64_t dom0_max_mib;
    bool dom0_balloon_stuck;
    unsigned dom0_grows;     /* calls to dom0_set_target */
    bool hvm;
    bool hap;                /* has_hap: Xen has EPT/NPT */
    /* fs_free_mib: the free space of every file system, in MiB (default
     * 100000); fs_error, when set, makes it fail with that line. */
    uint64_t fs_free;
    const char *fs_error;
    /* save fails with lifecycle_error after writing a partial file, as
     * xl save does when the disk fills up (ENOSPC). */
    bool save_leaves_partial;
    bool save_failure_pauses; /* a failed save leaves the domain paused */
    /* When set, fs_free_mib is fs_capacity minus the files in the folder
     * PATH, a KiB of file counting as a MiB, and save writes MEMORY KiB:
     * the files are small and a save still fills the "disk".  save_delay_ms
     * makes save take that long, for races. */
    uint64_t fs_capacity;
    unsigned save_delay_ms;
    bool tcg;
    bool bridge;             /* xenbr0 exists */
    const char *salt;
    DomainList domains;      /* the running domains */
    /* When set, create fails and xl "prints" this; create_leaves_domain
     * makes the domain exist anyway, as a half-built one. */
    const char *create_output;
    bool create_leaves_domain;
    unsigned creates;        /* calls to create, failed ones included */
    unsigned lease_releases; /* calls to release_lease */
    char released_ip[32];    /* the IP of the last one */
    unsigned destroys;       /* calls to destroy */
    /* The lifecycle calls (shutdown, pause, unpause, mem-set, save,
     * restore, console), one line each, as "pause tiny-1\n"; and when
     * set, the next one of them fails with lifecycle_error. */
    char ops[2048];
    const char *lifecycle_error;
    bool shutdown_lingers;   /* shutdown -w returns with the domain still there */
    /* The next destroy or shutdown -w fails with this error; the domain
     * goes anyway when teardown_removes (xl's monitor tore it down at the
     * same time), else it stays. */
    const char *teardown_error;
    bool teardown_removes;
    bool save_stops_domain;  /* save takes the domain out of the list, as xl does */
    /* save writes "fake save of NAME, MIB MiB"; restore of such a file
     * adds the domain NAME again (when it is not there). */
    HostInfo host;           /* host_info returns it */
    /* remote: the test's stand-in for the other machine (NULL: every
     * command fails with 255 "fake: no remote"); it fills OUT and returns
     * the exit status.  Each call is also noted in ops as
     * "remote HOST COMMAND" (with " <input>" when there is input). */
    int (*remote_handler)(struct BackendFake *f, const char *host, const char *password,
                          bool accept_new, const char *command, const char *input, char *out,
                          size_t outlen);
    void *remote_data;       /* for the handler */
    char last_input[4096];   /* the last remote call's input */
    /* send: noted in ops as "send NAME HOST REMOTE_CFG live|suspend";
     * fails with lifecycle_error; on success the domain goes here (live)
     * or is left paused (suspend), and send_hook runs (the test makes the
     * domain appear on the other side). */
    void (*send_hook)(struct BackendFake *f, const char *name, const char *remote_cfg);
    double clock_s;          /* now_s returns it, then adds 1.5 */
    /* ipv4_address: ADDRESS/PREFIX on the interface named IFNAME; none
     * when either is NULL. */
    const char *ifname;
    const char *address;
    unsigned prefix;
    uint32_t next_id;
    uint8_t next_random;     /* random_bytes counts up from here */
    /* sample returns SAMPLES[0], SAMPLES[1], ... then the last one again;
     * an empty sample when there are none.  The test scripts each
     * domain's start_s and the sample's now_s, the uptime's clock.
     * sleep_ns only counts. */
    const Sample *samples;
    size_t sample_count;
    const char *sample_error;  /* when set, sample fails with it */
    unsigned samples_taken;
    /* guest_keys: the keys of domain GUEST_KEY_IDS[i] are GUEST_KEYS[i]
     * (other domains have none); guest_keys_error makes it fail.  Each
     * call counts once in guest_key_reads, however many domains. */
    const uint32_t *guest_key_ids;
    const GuestKeys *guest_keys;
    size_t guest_key_count;
    const char *guest_keys_error;
    unsigned guest_key_reads;
    unsigned sleeps;
    uint64_t slept_ns;       /* the sum of the sleeps */
};

/* Domain-0 only, 4096 MiB free, no HVM, no TCG, no bridge. */
void BackendFake_init(BackendFake *f);
void BackendFake_addDomain(BackendFake *f, const char *name, unsigned memory_mib);
/* The domain NAME goes without xenlive's help (its guest powered off or
 * crashed); false when there is none. */
bool BackendFake_removeDomain(BackendFake *f, const char *name);
void BackendFake_done(BackendFake *f);
/* Set KEY of K to VALUE (present). */
void BackendFake_setKey(GuestKeys *k, int key, const char *value);

#endif
