/* natlease.c: a moved guest's NAT address, recorded for dnsmasq. */
#include "natlease.h"

#include "names.h"
#include "util.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

bool NatLease_validMac(const char *mac)
{
    int i;

    if (strlen(mac) != NATLEASE_MAC_LEN - 1)
        return false;
    for (i = 0; i < NATLEASE_MAC_LEN - 1; i++) {
        if (i % 3 == 2 ? mac[i] != ':' : !isxdigit((unsigned char)mac[i]))
            return false;
    }
    return true;
}

bool NatLease_validIp(const char *ip)
{
    const char *p = ip;
    int part;

    for (part = 0; part < 4; part++) {
        unsigned value = 0;
        int digits = 0;

        while (isdigit((unsigned char)*p) && digits < 4) {
            value = value * 10 + (unsigned)(*p++ - '0');
            digits++;
        }
        if (digits == 0 || digits > 3 || value > 255)
            return false;
        if (part < 3 && *p++ != '.')
            return false;
    }
    return *p == '\0';
}

bool NatLease_cfgMac(const char *cfg_text, char mac[NATLEASE_MAC_LEN])
{
    const char *p = strstr(cfg_text, "mac=");
    int i;

    if (!p)
        return false;
    snprintf(mac, NATLEASE_MAC_LEN, "%.17s", p + 4);
    if (!NatLease_validMac(mac))
        return false;
    for (i = 0; mac[i]; i++)
        mac[i] = (char)tolower((unsigned char)mac[i]);
    return true;
}

/* RUN/dnsmasq-hosts (WHICH "hosts") or RUN/dnsmasq-names ("names"), and
 * NAME's file in it when NAME is not NULL. */
static int NatLease_path(const Paths *paths, const char *which, const char *name, char *buf,
                         size_t len)
{
    int n = name ? snprintf(buf, len, "%s/dnsmasq-%s/%s", paths->run, which, name)
                 : snprintf(buf, len, "%s/dnsmasq-%s", paths->run, which);

    return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* A dhcp-host record "MAC,IP,NAME" from LINE. */
static bool NatLease_parseHost(const char *line, char mac[NATLEASE_MAC_LEN], char *ip,
                               size_t iplen)
{
    char m[32];
    char a[32];

    if (sscanf(line, "%31[^,],%31[^,\n]", m, a) != 2 || !NatLease_validMac(m) ||
        !NatLease_validIp(a))
        return false;
    memcpy(mac, m, NATLEASE_MAC_LEN); /* valid: exactly 17 characters */
    snprintf(ip, iplen, "%s", a);
    return true;
}

bool NatLease_address(const Paths *paths, const char *name, const char *mac, char *ip,
                      size_t iplen)
{
    char path[PATH_MAX];
    char line[512];
    char m[NATLEASE_MAC_LEN];
    bool found = false;
    FILE *f;

    if (Names_split(name, line, sizeof line) &&
        NatLease_path(paths, "hosts", name, path, sizeof path) == 0 &&
        Util_readLine(path, line, sizeof line) == 0 &&
        NatLease_parseHost(line, m, ip, iplen) && strcasecmp(m, mac) == 0)
        return true;
    if (snprintf(path, sizeof path, "%s/dnsmasq.leases", paths->run) >= (int)sizeof path)
        return false;
    f = fopen(path, "r");
    if (!f)
        return false;
    /* EXPIRY MAC IP HOSTNAME CLIENT-ID, one lease a line. */
    while (!found && fgets(line, sizeof line, f)) {
        char lm[32];
        char la[32];

        found = sscanf(line, "%*s %31s %31s", lm, la) == 2 && strcasecmp(lm, mac) == 0 &&
                NatLease_validIp(la);
        if (found)
            snprintf(ip, iplen, "%s", la);
    }
    fclose(f);
    return found;
}

/* Who other than MAC holds IP here: a lease (its host name, or its MAC)
 * or another guest's record (its name), into WHO; false when nobody. */
static bool NatLease_holder(const Paths *paths, const char *mac, const char *ip, char *who,
                            size_t wholen)
{
    char path[PATH_MAX];
    char line[512];
    bool held = false;
    DIR *dir;
    FILE *f;

    if (snprintf(path, sizeof path, "%s/dnsmasq.leases", paths->run) < (int)sizeof path &&
        (f = fopen(path, "r")) != NULL) {
        while (!held && fgets(line, sizeof line, f)) {
            char lm[32];
            char la[32];
            char host[256] = "*";

            if (sscanf(line, "%*s %31s %31s %255s", lm, la, host) >= 2 &&
                strcmp(la, ip) == 0 && strcasecmp(lm, mac) != 0) {
                snprintf(who, wholen, "%s", strcmp(host, "*") == 0 ? lm : host);
                held = true;
            }
        }
        fclose(f);
    }
    if (held || NatLease_path(paths, "hosts", NULL, path, sizeof path) < 0 ||
        (dir = opendir(path)) == NULL)
        return held;
    for (struct dirent *e; !held && (e = readdir(dir)) != NULL;) {
        char file[PATH_MAX + 256];
        char m[NATLEASE_MAC_LEN];
        char a[NATLEASE_IP_LEN];

        if (e->d_name[0] == '.' ||
            snprintf(file, sizeof file, "%s/%s", path, e->d_name) >= (int)sizeof file ||
            Util_readLine(file, line, sizeof line) < 0 ||
            !NatLease_parseHost(line, m, a, sizeof a))
            continue;
        if (strcmp(a, ip) == 0 && strcasecmp(m, mac) != 0) {
            snprintf(who, wholen, "%s", e->d_name);
            held = true;
        }
    }
    closedir(dir);
    return held;
}

/* TEXT into DIR/NAME through DIR/.NAME (dnsmasq skips dot files). */
static int NatLease_write(const char *dir, const char *name, const char *text, char *err,
                          size_t errlen)
{
    char tmp[PATH_MAX];
    char path[PATH_MAX];

    if (snprintf(tmp, sizeof tmp, "%s/.%s", dir, name) >= (int)sizeof tmp ||
        snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path) {
        snprintf(err, errlen, "path too long: %s", dir);
        return -1;
    }
    if (Util_mkdirs(dir, err, errlen) < 0 || Util_writeFileAtomic(tmp, text, err, errlen) < 0)
        return -1;
    if (rename(tmp, path) < 0) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}

Status NatLease_reserve(const Paths *paths, const char *name, const char *mac, const char *ip,
                        char *err, size_t errlen)
{
    char hosts[PATH_MAX];
    char names[PATH_MAX];
    char image[PATH_MAX];
    char text[256];
    char who[256];

    if (!Names_split(name, image, sizeof image) || !NatLease_validMac(mac) ||
        !NatLease_validIp(ip)) {
        snprintf(err, errlen, "bad guest name, MAC or address: %s %s %s", name, mac, ip);
        return STATUS_USAGE;
    }
    if (NatLease_holder(paths, mac, ip, who, sizeof who)) {
        snprintf(err, errlen, "%s, the address of %s, is already the address of %s here",
                 ip, name, who);
        return STATUS_ERROR;
    }
    if (NatLease_path(paths, "hosts", NULL, hosts, sizeof hosts) < 0 ||
        NatLease_path(paths, "names", NULL, names, sizeof names) < 0) {
        snprintf(err, errlen, "path too long: %s", paths->run);
        return STATUS_ERROR;
    }
    snprintf(text, sizeof text, "%s,%s,%s\n", mac, ip, name);
    if (NatLease_write(hosts, name, text, err, errlen) < 0)
        return STATUS_ERROR;
    snprintf(text, sizeof text, "%s %s\n", ip, name);
    if (NatLease_write(names, name, text, err, errlen) < 0) {
        NatLease_unreserve(paths, name);
        return STATUS_ERROR;
    }
    return STATUS_OK;
}

void NatLease_unreserve(const Paths *paths, const char *name)
{
    char path[PATH_MAX];
    char image[PATH_MAX];
    char line[32];
    unsigned pid;
    bool removed = false;

    if (!Names_split(name, image, sizeof image))
        return;
    if (NatLease_path(paths, "hosts", name, path, sizeof path) == 0 && unlink(path) == 0)
        removed = true;
    if (NatLease_path(paths, "names", name, path, sizeof path) == 0 && unlink(path) == 0)
        removed = true;
    /* dnsmasq keeps what it read from a removed file until SIGHUP. */
    if (removed && snprintf(path, sizeof path, "%s/dnsmasq.pid", paths->run) < (int)sizeof path &&
        Util_readLine(path, line, sizeof line) == 0 && Util_parseUnsigned(line, &pid) && pid > 1)
        (void)kill((pid_t)pid, SIGHUP);
}

bool NatLease_lease(const Paths *paths, const char *mac, char *ip, size_t iplen, char *clid,
                    size_t clidlen)
{
    char path[PATH_MAX];
    char line[512];
    bool found = false;
    FILE *f;

    if (snprintf(path, sizeof path, "%s/dnsmasq.leases", paths->run) >= (int)sizeof path ||
        (f = fopen(path, "r")) == NULL)
        return false;
    while (!found && fgets(line, sizeof line, f)) {
        char lm[32];
        char la[32];
        char id[256] = "*";

        found = sscanf(line, "%*s %31s %31s %*s %255s", lm, la, id) >= 2 &&
                strcasecmp(lm, mac) == 0 && NatLease_validIp(la);
        if (found) {
            snprintf(ip, iplen, "%s", la);
            snprintf(clid, clidlen, "%s", strcmp(id, "*") == 0 ? "" : id);
        }
    }
    fclose(f);
    return found;
}

void NatLease_release(Backend *be, const Paths *paths, const char *name)
{
    char cfg[PATH_MAX];
    char text[8192];
    char mac[NATLEASE_MAC_LEN];
    char ip[NATLEASE_IP_LEN];
    char clid[256];
    size_t n = 0;
    FILE *f;

    if (!Names_split(name, cfg, sizeof cfg))
        return;
    if (Paths_cfg(paths, name, cfg, sizeof cfg) == 0 && (f = fopen(cfg, "r")) != NULL) {
        n = fread(text, 1, sizeof text - 1, f);
        fclose(f);
    }
    text[n] = '\0';
    NatLease_unreserve(paths, name);
    if (n && NatLease_cfgMac(text, mac) &&
        NatLease_lease(paths, mac, ip, sizeof ip, clid, sizeof clid)) {
        char err[256];

        (void)be->release_lease(be, ip, mac, clid, err, sizeof err);
    }
}
