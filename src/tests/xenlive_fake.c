/* xenlive_fake.c: the "fake platform" of build/test/xenlive-fake, the
 * whole xenlive program (main.c, commands.c, cmd_*.c, ui*.c and the
 * modules) linked with this file in place of backend_xen.c, and with
 * AddressSanitizer and UBSan.  BackendXen_new, the one place the
 * program asks for Xen (App_backend), returns the in-memory fake of
 * backend_fake.c instead, so the real command code runs without Xen:
 * the choice is made when linking, the shipped build/xenlive cannot
 * take it.  The tests (tests/offline/bad_input_test.py,
 * tests/offline/tui_terminal_test.py) point the files at a temporary
 * folder with the XENLIVE_* variables.
 *
 * The fake host: 4096 MiB free, Domain-0 (768 MiB) and tiny-1 (96 MiB)
 * running, two CPUs, Xen "4.20.0-fake".  Each process starts from it
 * afresh: what a command changes is forgotten when it exits. */
#include "../backend_fake.h"
#include "../backend_xen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static Sample XenliveFake_sample;

static void XenliveFake_free(Backend *be)
{
    BackendFake_done((BackendFake *)be);
    free(be);
}

/* Domain-0 and tiny-1 in one sample, taken "now" every time. */
static int XenliveFake_addSamples(void)
{
    DomainSample d;

    memset(&XenliveFake_sample, 0, sizeof XenliveFake_sample);
    XenliveFake_sample.wall_ns = 1000000000ull;
    XenliveFake_sample.now_s = 1700000000ull;
    XenliveFake_sample.num_cpus = 2;
    XenliveFake_sample.tot_mem_kib = 8192ull * 1024;
    XenliveFake_sample.free_mem_kib = 4096ull * 1024;
    memset(&d, 0, sizeof d);
    snprintf(d.name, sizeof d.name, "Domain-0");
    snprintf(d.state, sizeof d.state, "r-----");
    d.vcpus = 2;
    d.cpu_ns = 47000000000ull;
    d.mem_kib = d.maxmem_kib = 768ull * 1024;
    d.start_s = XenliveFake_sample.now_s - 3600;
    if (Sample_add(&XenliveFake_sample, &d) < 0)
        return -1;
    d.id = 1;
    snprintf(d.name, sizeof d.name, "tiny-1");
    snprintf(d.state, sizeof d.state, "-b----");
    d.vcpus = 1;
    d.cpu_ns = 5000000000ull;
    d.mem_kib = 96ull * 1024;
    d.maxmem_kib = 97ull * 1024;
    d.start_s = XenliveFake_sample.now_s - 29;
    return Sample_add(&XenliveFake_sample, &d);
}

/* The fake host above (PATHS unused); NULL with ERR when out of memory. */
Backend *BackendXen_new(const Paths *paths, char *err, size_t errlen)
{
    BackendFake *f = malloc(sizeof *f);

    (void)paths;
    if (!f || XenliveFake_addSamples() < 0) {
        free(f);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    BackendFake_init(f);
    BackendFake_addDomain(f, "tiny-1", 96);
    f->next_id = 2;
    f->backend.free = XenliveFake_free;
    snprintf(f->host.xen_version, sizeof f->host.xen_version, "4.20.0-fake");
    f->host.uptime_s = 3600;
    f->samples = &XenliveFake_sample;
    f->sample_count = 1;
    f->salt = "fake-salt";
    return &f->backend;
}
