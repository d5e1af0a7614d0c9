/* guestssh.c: dom0 to guest SSH: known_hosts and dbclient's arguments. */
#include "guestssh.h"

#include "guestinfo.h"
#include "guests.h"
#include "knownhosts.h"
#include "util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* NAME's host key from its console log: as KnownHosts_fromLog. */
static int GuestSsh_key(const Paths *paths, const char *name, SshKey *key, char *err,
                        size_t errlen)
{
    char log[PATH_MAX];

    if (Paths_consoleLog(paths, name, log, sizeof log) < 0) {
        snprintf(err, errlen, "%s has no console log path (name or folder)", name);
        return -1;
    }
    return KnownHosts_fromLog(log, key, err, errlen);
}

/* True when PATH holds exactly TEXT (a missing or unreadable file does
 * not): GuestSsh_hosts then leaves it alone, as most calls find it. */
static bool GuestSsh_sameText(const char *path, const char *text)
{
    size_t n = strlen(text);
    char *buf = malloc(n + 2);
    FILE *f = fopen(path, "re");
    bool same = false;

    if (buf && f)
        same = fread(buf, 1, n + 1, f) == n && memcmp(buf, text, n) == 0;
    if (f)
        fclose(f);
    free(buf);
    return same;
}

/* The most of hosts.base that is kept: 40-network writes two lines. */
#define GUESTSSH_HOSTS_BASE_MAX 4096

/* PATH's text, at most GUESTSSH_HOSTS_BASE_MAX - 1 bytes, into BASE; ""
 * when there is no such file.  -1 with ERR when it cannot be read. */
static int GuestSsh_hostsBase(const char *path, char *base, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    size_t n;

    base[0] = '\0';
    if (!f) {
        if (errno == ENOENT)
            return 0;
        snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
        return -1;
    }
    n = fread(base, 1, GUESTSSH_HOSTS_BASE_MAX - 1, f);
    base[n] = '\0';
    fclose(f);
    return 0;
}

Status GuestSsh_hosts(Backend *be, const Paths *paths, const DomainList *domains, char *err,
                      size_t errlen)
{
    uint32_t *ids = NULL;
    GuestKeys *keys = NULL;
    char *text = NULL;
    char mode[32];
    char base[GUESTSSH_HOSTS_BASE_MAX];
    size_t size, used, i;
    Status st = STATUS_ERROR;

    if (Util_confValue(paths->net, "MODE", mode, sizeof mode) != 0 ||
        strcmp(mode, "bridged") != 0)
        return STATUS_OK;
    if (GuestSsh_hostsBase(paths->hosts_base, base, err, errlen) < 0)
        goto out;
    size = strlen(base) + 2;
    /* A line each at most: an address, a tab, the name, a newline. */
    for (i = 0; i < domains->count; i++)
        size += INET_ADDRSTRLEN + strlen(domains->items[i].name) + 2;
    ids = calloc(domains->count ? domains->count : 1, sizeof *ids);
    keys = calloc(domains->count ? domains->count : 1, sizeof *keys);
    text = malloc(size);
    if (!ids || !keys || !text) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    for (i = 0; i < domains->count; i++)
        ids[i] = domains->items[i].id;
    if (be->guest_keys(be, ids, domains->count, keys, err, errlen) < 0)
        goto out;
    used = (size_t)sprintf(text, "%s", base);
    if (used && text[used - 1] != '\n')
        used += (size_t)sprintf(text + used, "\n");
    for (i = 0; i < domains->count; i++) {
        const char *ip = keys[i].value[GK_IPV4];
        struct in_addr addr;

        if (domains->items[i].id == 0 || !keys[i].present[GK_IPV4] ||
            !KnownHosts_validName(domains->items[i].name) || inet_pton(AF_INET, ip, &addr) != 1)
            continue;
        used += (size_t)sprintf(text + used, "%s\t%s\n", ip, domains->items[i].name);
    }
    /* Every `xenlive ssh` comes here: write (with its fsync) only when
     * the guests' addresses changed. */
    if (!GuestSsh_sameText(paths->hosts, text) &&
        Util_writeFileAtomic(paths->hosts, text, err, errlen) < 0)
        goto out;
    st = STATUS_OK;
out:
    free(text);
    free(keys);
    free(ids);
    return st;
}

Status GuestSsh_refresh(Backend *be, const Paths *paths, const char *name, char *err,
                        size_t errlen)
{
    DomainList domains = {0};
    SshKey key;
    KnownHost host = {name, &key};
    bool unknown;
    int found;
    Status st = STATUS_ERROR;

    if (!Guests_guest(be, name, "runs xenlive: you are on it already", &domains, &unknown, err,
                      errlen))
        goto out;
    if (!KnownHosts_validName(name)) {
        snprintf(err, errlen, "%s cannot be an SSH host name (letters, digits, . _ -)", name);
        goto out;
    }
    found = GuestSsh_key(paths, name, &key, err, errlen);
    if (found < 0)
        goto out;
    if (found == 0) {
        snprintf(err, errlen, "%s has not printed its SSH host key yet (is it still booting?)",
                 name);
        goto out;
    }
    if (KnownHosts_update(paths->ssh, paths->known_hosts, &host, 1, err, errlen) < 0 ||
        GuestSsh_hosts(be, paths, &domains, err, errlen) != STATUS_OK)
        goto out;
    st = STATUS_OK;
out:
    DomainList_free(&domains);
    return st;
}

Status GuestSsh_refreshAll(Backend *be, const Paths *paths, GuestSshCallback on_guest,
                           void *data, char *err, size_t errlen)
{
    DomainList domains = {0};
    SshKey *keys = NULL;
    KnownHost *hosts = NULL;
    char why[512];
    size_t count = 0;
    unsigned bad = 0;
    Status st = STATUS_ERROR;
    size_t i;

    if (be->list_domains(be, &domains, err, errlen) < 0)
        goto out;
    keys = calloc(domains.count ? domains.count : 1, sizeof *keys);
    hosts = calloc(domains.count ? domains.count : 1, sizeof *hosts);
    if (!keys || !hosts) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    for (i = 0; i < domains.count; i++) {
        const char *name = domains.items[i].name;
        int found;

        if (domains.items[i].id == 0 || !KnownHosts_validName(name))
            continue;
        why[0] = '\0';
        found = GuestSsh_key(paths, name, &keys[count], why, sizeof why);
        on_guest(name, found, &keys[count], why, data);
        if (found < 0)
            bad++;
        if (found <= 0)
            continue;
        hosts[count].name = name;
        hosts[count].key = &keys[count];
        count++;
    }
    if (count && KnownHosts_update(paths->ssh, paths->known_hosts, hosts, count, err, errlen) < 0)
        goto out;
    if (GuestSsh_hosts(be, paths, &domains, err, errlen) != STATUS_OK)
        goto out;
    if (bad) {
        snprintf(err, errlen, "%u guest%s printed a bad host key line", bad, bad == 1 ? "" : "s");
        goto out;
    }
    st = STATUS_OK;
out:
    free(keys);
    free(hosts);
    DomainList_free(&domains);
    return st;
}

Status GuestSsh_argv(const Paths *paths, const char *name, char **words, size_t count,
                     char *host, size_t hostlen, char **argv, char *err, size_t errlen)
{
    size_t n = 0;
    size_t i;

    if (count && words[0][0] == '-') {
        snprintf(err, errlen, "ssh: COMMAND cannot start with '-' (dbclient would take '%s' "
                 "as its own option)", words[0]);
        return STATUS_USAGE;
    }
    snprintf(host, hostlen, "root@%s", name);
    argv[n++] = "dbclient";
    if (access(paths->identity, R_OK) == 0) {
        argv[n++] = "-i";
        argv[n++] = (char *)paths->identity;
    }
    argv[n++] = host;
    for (i = 0; i < count; i++)
        argv[n++] = words[i];
    argv[n] = NULL;
    return STATUS_OK;
}
