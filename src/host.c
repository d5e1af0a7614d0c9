/* host.c: facts about the machine dom0 runs on that are not Xen's. */
#include "host.h"

#include "util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

bool Host_isTcg(const char *cpuinfo)
{
    char line[512];
    bool tcg = false;
    FILE *f = fopen(cpuinfo, "r");

    if (!f)
        return false;
    while (fgets(line, sizeof line, f)) {
        /* QEMU's own CPU models: "QEMU TCG CPU" (-cpu max under TCG) and
         * "QEMU Virtual CPU" (qemu64, which xenlive's tests use).  A host
         * that sees one is most likely emulated, where PV is the safe bet. */
        if (strncmp(line, "model name", 10) == 0) {
            tcg = strstr(line, "QEMU TCG") != NULL || strstr(line, "QEMU Virtual CPU") != NULL;
            break;
        }
    }
    fclose(f);
    return tcg;
}

Status Host_memAvailableMib(const char *meminfo, uint64_t *mib, char *err, size_t errlen)
{
    char line[256];
    unsigned long long kib;
    bool found = false;
    FILE *f = fopen(meminfo, "r");

    if (!f) {
        snprintf(err, errlen, "cannot read %s: %s", meminfo, strerror(errno));
        return STATUS_ERROR;
    }
    while (!found && fgets(line, sizeof line, f))
        found = sscanf(line, "MemAvailable: %llu kB", &kib) == 1;
    fclose(f);
    if (!found) {
        snprintf(err, errlen, "no MemAvailable in %s", meminfo);
        return STATUS_ERROR;
    }
    *mib = kib / 1024;
    return STATUS_OK;
}

bool Host_dmiUuid(const char *dmi_path, char *buf, size_t len)
{
    size_t zeros;
    size_t ones;

    if (Util_readLine(dmi_path, buf, len) < 0 || !buf[0])
        return false;
    /* What is left after the dashes and zeros (or f's) is nothing: no
     * UUID.  A UUID of zeros is what every QEMU machine without -uuid
     * has, so it would give all of them the same MACs. */
    zeros = strspn(buf, "0-");
    ones = strspn(buf, "fF-");
    return buf[zeros] != '\0' && buf[ones] != '\0';
}

Status Host_randomBytes(void *buf, size_t len, char *err, size_t errlen)
{
    size_t done = 0;

    while (done < len) {
        ssize_t n = getrandom((char *)buf + done, len - done, 0);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            snprintf(err, errlen, "cannot get random bytes: %s", strerror(errno));
            return STATUS_ERROR;
        }
        done += (size_t)n;
    }
    return STATUS_OK;
}

Status Host_salt(const char *dmi_path, const char *run_dir, char *buf, size_t len, char *err,
                 size_t errlen)
{
    char path[PATH_MAX];
    uint8_t bytes[16];
    FILE *f;
    int i;

    if (len < 33) {
        snprintf(err, errlen, "host salt buffer too small");
        return STATUS_ERROR;
    }
    if (Host_dmiUuid(dmi_path, buf, len))
        return STATUS_OK;
    if (snprintf(path, sizeof path, "%s/host-salt", run_dir) >= (int)sizeof path) {
        snprintf(err, errlen, "path too long: %s", run_dir);
        return STATUS_ERROR;
    }
    if (Util_readLine(path, buf, len) == 0 && buf[0])
        return STATUS_OK;
    if (Host_randomBytes(bytes, sizeof bytes, err, errlen) != STATUS_OK ||
        Util_mkdirs(run_dir, err, errlen) < 0)
        return STATUS_ERROR;
    for (i = 0; i < 16; i++)
        snprintf(buf + 2 * i, 3, "%02x", bytes[i]);
    f = fopen(path, "w");
    if (!f) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        return STATUS_ERROR;
    }
    fprintf(f, "%s\n", buf);
    if (fclose(f) != 0) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        return STATUS_ERROR;
    }
    return STATUS_OK;
}

bool Host_ipv4Address(const char *ifname, char *addr, size_t len, unsigned *prefix)
{
    struct ifaddrs *all;
    const struct ifaddrs *i;
    bool found = false;

    if (getifaddrs(&all) < 0)
        return false;
    for (i = all; i && !found; i = i->ifa_next) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)i->ifa_addr;
        const struct sockaddr_in *mask = (const struct sockaddr_in *)i->ifa_netmask;

        if (!in || in->sin_family != AF_INET || strcmp(i->ifa_name, ifname) != 0)
            continue;
        if (!inet_ntop(AF_INET, &in->sin_addr, addr, (socklen_t)len))
            continue;
        *prefix = mask ? (unsigned)__builtin_popcount(mask->sin_addr.s_addr) : 32;
        found = true;
    }
    freeifaddrs(all);
    return found;
}
