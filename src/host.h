/* host.h: facts about the machine dom0 runs on that are not Xen's: the
 * CPU model (QEMU's emulator or not), dom0's available memory, the DMI
 * product UUID and the salt it gives the guests' MACs, random bytes, an
 * interface's IPv4 address.  The parsers take a file's path, so the
 * tests feed them fixtures; backend_xen.c passes the real files below. */
#ifndef XENLIVE_HOST_H
#define XENLIVE_HOST_H

#include "status.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HOST_CPUINFO "/proc/cpuinfo"
#define HOST_MEMINFO "/proc/meminfo"
#define HOST_DMI_UUID "/sys/class/dmi/id/product_uuid"

/* The CPU described by CPUINFO (/proc/cpuinfo's format: "model name\t:
 * ..." lines) is one of QEMU's own models, so the host most likely runs
 * under QEMU's TCG emulator: the first model name line has "QEMU TCG"
 * (-cpu max) or "QEMU Virtual CPU" (qemu64).  False when the file cannot
 * be read or has no model name line. */
bool Host_isTcg(const char *cpuinfo);

/* MemAvailable from MEMINFO (/proc/meminfo's format, "MemAvailable:
 * 1536000 kB"), in MiB, rounded down.  STATUS_ERROR with ERR when the
 * file cannot be read ("cannot read PATH: why") or has no such line
 * ("no MemAvailable in PATH"; kernels before 3.14). */
Status Host_memAvailableMib(const char *meminfo, uint64_t *mib, char *err, size_t errlen);

/* The first line of the DMI product UUID file DMI_PATH (sysfs's
 * product_uuid, readable by root only) in BUF.  False, BUF undefined,
 * when it cannot be read or does not identify the machine: empty, all
 * zeros (SMBIOS: set but not given, as under QEMU without -uuid) or all
 * ones (SMBIOS: not present), dashes aside. */
bool Host_dmiUuid(const char *dmi_path, char *buf, size_t len);

/* Text that differs between hosts and stays the same on one host, for
 * the guests' MACs (xlcfg.c hashes it with the name).  The DMI UUID of
 * DMI_PATH when Host_dmiUuid gives one; otherwise RUN_DIR/host-salt, 32
 * random hex digits made (and RUN_DIR created) at its first use: dom0
 * lives in RAM, so that lasts as long as any guest it names, and two
 * hosts without a UUID still differ.  LEN must be at least 33.
 * STATUS_ERROR with ERR when the salt file cannot be written. */
Status Host_salt(const char *dmi_path, const char *run_dir, char *buf, size_t len, char *err,
                 size_t errlen);

/* LEN bytes from the kernel's random source (getrandom).  STATUS_ERROR
 * with ERR when it fails. */
Status Host_randomBytes(void *buf, size_t len, char *err, size_t errlen);

/* The first IPv4 address of the network interface IFNAME as text
 * ("10.0.2.15", at most LEN bytes) and its prefix length (24), from
 * getifaddrs.  False when it has none yet (DHCP), there is no such
 * interface, or getifaddrs fails. */
bool Host_ipv4Address(const char *ifname, char *addr, size_t len, unsigned *prefix);

#endif
