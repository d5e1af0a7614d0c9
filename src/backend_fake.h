/* backend_fake.h: an in-memory backend for the unit tests.  A test sets
 * the fields, runs the code under test, then looks at the fields. */
#ifndef XENLIVE_BACKEND_FAKE_H
#define XENLIVE_BACKEND_FAKE_H

#include "backend.h"

/* What a guest costs dom0, as make bench measures it (about 3 MiB). */
#define FAKE_DOM0_PER_GUEST_MIB 3u

typedef struct BackendFake {
    Backend backend;         /* first, so a Backend * is a BackendFake * */
    uint64_t free_mib;       /* create lowers it by the guest's memory */
    uint64_t dom0_available_mib;  /* create lowers it by FAKE_DOM0_PER_GUEST_MIB */
    bool hvm;
    bool tcg;
    bool bridge;             /* xenbr0 exists */
    const char *salt;
    DomainList domains;      /* the running domains */
    /* When set, create fails and xl "prints" this; create_leaves_domain
     * makes the domain exist anyway, as a half-built one. */
    const char *create_output;
    bool create_leaves_domain;
    unsigned creates;        /* calls to create, failed ones included */
    unsigned destroys;       /* calls to destroy */
    /* The lifecycle calls (shutdown, pause, unpause, mem-set, save,
     * restore, console), one line each, as "pause tiny-1\n"; and when
     * set, the next one of them fails with lifecycle_error. */
    char ops[2048];
    const char *lifecycle_error;
    bool shutdown_lingers;   /* shutdown -w returns with the domain still there */
    bool save_stops_domain;  /* save takes the domain out of the list, as xl does */
    HostInfo host;           /* host_info returns it */
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
    unsigned sleeps;
    uint64_t slept_ns;       /* the sum of the sleeps */
} BackendFake;

/* Domain-0 only, 4096 MiB free, no HVM, no TCG, no bridge. */
void BackendFake_init(BackendFake *f);
void BackendFake_addDomain(BackendFake *f, const char *name, unsigned memory_mib);
/* The domain NAME goes without xenlive's help (its guest powered off or
 * crashed); false when there is none. */
bool BackendFake_removeDomain(BackendFake *f, const char *name);
void BackendFake_done(BackendFake *f);

#endif
