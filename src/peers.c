/* peers.c: pairing xenlive machines, and the list of paired ones. */
#include "peers.h"

#include "command.h"
#include "knownhosts.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

void Peers_list(const Paths *paths, PeerList *out)
{
    char line[PEERS_HOST_MAX + 8];
    FILE *f = fopen(paths->peers, "r");

    out->count = 0;
    if (!f)
        return;
    while (out->count < PEERS_MAX && fgets(line, sizeof line, f)) {
        line[strcspn(line, " \t\r\n")] = '\0';
        if (line[0] && strlen(line) <= PEERS_HOST_MAX && KnownHosts_validName(line))
            snprintf(out->hosts[out->count++], sizeof out->hosts[0], "%.*s", PEERS_HOST_MAX,
                     line);
    }
    fclose(f);
}

bool Peers_has(const Paths *paths, const char *host)
{
    PeerList list;
    size_t i;

    Peers_list(paths, &list);
    for (i = 0; i < list.count; i++) {
        if (strcmp(list.hosts[i], host) == 0)
            return true;
    }
    return false;
}

Status Peers_add(const Paths *paths, const char *host, char *err, size_t errlen)
{
    PeerList list;
    char text[PEERS_MAX * (PEERS_HOST_MAX + 2)];
    size_t used = 0;
    size_t i;

    Peers_list(paths, &list);
    for (i = 0; i < list.count; i++) {
        if (strcmp(list.hosts[i], host) == 0)
            return STATUS_OK;
    }
    if (list.count == PEERS_MAX) {
        snprintf(err, errlen, "cannot pair with %s: already %d machines paired", host,
                 PEERS_MAX);
        return STATUS_ERROR;
    }
    snprintf(list.hosts[list.count++], sizeof list.hosts[0], "%s", host);
    text[0] = '\0';
    for (i = 0; i < list.count; i++)
        used += (size_t)snprintf(text + used, sizeof text - used, "%s\n", list.hosts[i]);
    if (Util_mkdirs(paths->run, err, errlen) < 0 ||
        Util_writeFileAtomic(paths->peers, text, err, errlen) < 0)
        return STATUS_ERROR;
    return STATUS_OK;
}

Status Peers_authorize(const Paths *paths, const SshKey *key, char *err, size_t errlen)
{
    char line[SSHKEY_BASE64_MAX + 64];
    char want[SSHKEY_BASE64_MAX + SSHKEY_TYPE_MAX + 2];
    Status st = STATUS_ERROR;
    FILE *f;
    int fd;
    int lock;

    if (Util_mkdirs(paths->ssh, err, errlen) < 0)
        return STATUS_ERROR;
    chmod(paths->ssh, 0700);
    lock = open(paths->ssh, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (lock < 0 || flock(lock, LOCK_EX) < 0) {
        snprintf(err, errlen, "cannot lock %s: %s", paths->ssh, strerror(errno));
        if (lock >= 0)
            close(lock);
        return STATUS_ERROR;
    }
    snprintf(want, sizeof want, "%s %s", key->type, key->base64);
    f = fopen(paths->authorized_keys, "r");
    while (f && fgets(line, sizeof line, f)) {
        SshKey have;
        char why[128];

        if (SshKey_parse(line, &have, why, sizeof why) == 0 &&
            strcmp(have.type, key->type) == 0 && strcmp(have.base64, key->base64) == 0) {
            fclose(f);
            st = STATUS_OK;
            goto out;
        }
    }
    if (f)
        fclose(f);
    /* Appending keeps the other lines (a classroom's xenlive.sshkey=). */
    fd = open(paths->authorized_keys, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0 || dprintf(fd, "%s xenlive-peer\n", want) < 0 || fsync(fd) < 0) {
        snprintf(err, errlen, "cannot write %s: %s", paths->authorized_keys, strerror(errno));
        if (fd >= 0)
            close(fd);
        goto out;
    }
    close(fd);
    st = STATUS_OK;
out:
    close(lock);
    return st;
}

void Peers_remoteError(const char *host, int status, const char *output, char *err,
                       size_t errlen)
{
    static const char *const unreachable[] = {
        "Connection refused", "No route to host", "timed out", "Network is unreachable",
        "Name or service not known", "Temporary failure in name resolution", "resolve",
        "Connection reset"};
    char line[512] = "";
    const char *p = output;
    size_t i;

    /* The last line that says something: dbclient's fatal one or the
     * remote xenlive's error, after dbclient's notes (a host key taken). */
    while (*p) {
        size_t n = strcspn(p, "\n");
        char one[512];

        snprintf(one, sizeof one, "%.*s", (int)(n < sizeof one ? n : sizeof one - 1), p);
        one[strcspn(one, "\r")] = '\0';
        if (one[strspn(one, " \t")])
            snprintf(line, sizeof line, "%s", one + strspn(one, " \t"));
        p += n + (p[n] == '\n');
    }
    if (!line[0])
        snprintf(line, sizeof line, "exit status %d", status);
    if (strstr(output, "Host key mismatch") || strstr(output, "host key mismatch")) {
        snprintf(err, errlen,
                 "%s's host key differs from the one recorded in known_hosts (did it "
                 "reboot?): xenlive pair %s again",
                 host, host);
        return;
    }
    for (i = 0; i < sizeof unreachable / sizeof unreachable[0]; i++) {
        if (strstr(output, unreachable[i])) {
            snprintf(err, errlen, "cannot reach %s: %s", host, line);
            return;
        }
    }
    if (strstr(output, "xhausted") || strstr(output, "uth fail") || strstr(output, "auth methods") ||
        strstr(output, "auth tries") || strstr(output, "Max auth") ||
        strstr(output, "ermission denied") || strstr(output, "assword")) {
        snprintf(err, errlen,
                 "%s refused the login (wrong root password? it is shown on %s's console)",
                 host, host);
        return;
    }
    if (status == 127 || strstr(output, "xenlive: not found")) {
        snprintf(err, errlen, "%s has no xenlive command (is it a xenlive machine?)", host);
        return;
    }
    /* The remote xenlive's own error line, without its "xenlive: ". */
    snprintf(err, errlen, "%s: %s", host,
             strncmp(line, "xenlive: ", 9) == 0 ? line + 9 : line);
}

/* The key after "KEY=" in OUTPUT's lines, parsed. */
static int Peers_keyLine(const char *output, const char *key, SshKey *out)
{
    char why[128];
    size_t klen = strlen(key);
    const char *p = output;

    while (*p) {
        size_t n = strcspn(p, "\n");

        if (n > klen && strncmp(p, key, klen) == 0 && p[klen] == '=') {
            char line[SSHKEY_BASE64_MAX + 64];

            snprintf(line, sizeof line, "%.*s", (int)(n - klen - 1), p + klen + 1);
            return SshKey_parse(line, out, why, sizeof why);
        }
        p += n + (p[n] == '\n');
    }
    return -1;
}

Status Peers_pair(Backend *be, const Paths *paths, const char *host, const char *password,
                  char *hostkey, size_t hostkeylen, char *err, size_t errlen)
{
    SshKey *mine = calloc(4, sizeof *mine); /* 4 KiB each: not on the stack */
    SshKey *dom0;
    SshKey *theirs;
    SshKey *their_host;
    char *command = NULL;
    char output[16384];
    Status st = STATUS_ERROR;
    KnownHost known;
    int rc;

    if (!mine) {
        snprintf(err, errlen, "out of memory");
        return STATUS_ERROR;
    }
    dom0 = mine + 1;
    theirs = mine + 2;
    their_host = mine + 3;
    if (!KnownHosts_validName(host) || strlen(host) > PEERS_HOST_MAX) {
        snprintf(err, errlen, "'%s' is not a host name or IPv4 address", host);
        st = STATUS_USAGE;
        goto out;
    }
    rc = SshKey_load(paths->dom0_key, dom0, err, errlen);
    if (rc == 1)
        rc = SshKey_load(paths->host_key, mine, err, errlen);
    if (rc != 1) {
        if (rc == 0)
            snprintf(err, errlen, "this dom0 has no SSH keys yet (%s, %s)", paths->dom0_key,
                     paths->host_key);
        goto out;
    }
    command = malloc(4 * SSHKEY_BASE64_MAX);
    if (!command) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    snprintf(command, 4 * SSHKEY_BASE64_MAX, "xenlive peer accept %s %s %s %s", dom0->type,
             dom0->base64, mine->type, mine->base64);
    /* -y: HOST's key is not known yet; it is recorded from its answer. */
    rc = be->remote(be, host, password, true, command, NULL, output, sizeof output);
    if (rc != 0 && strstr(output, "Remote closed the connection")) {
        /* dropbear closes on a client that keeps sending a wrong password
         * (DROPBEAR_PASSWORD is sent again at each try). */
        snprintf(err, errlen,
                 "%s refused the login (wrong root password? it is shown on %s's console)",
                 host, host);
        goto out;
    }
    if (rc != 0) {
        Peers_remoteError(host, rc, output, err, errlen);
        goto out;
    }
    if (Peers_keyLine(output, "DOM0_KEY", theirs) < 0 ||
        Peers_keyLine(output, "HOST_KEY", their_host) < 0) {
        snprintf(err, errlen, "%s did not answer with its keys (is it a xenlive machine?)",
                 host);
        goto out;
    }
    known.name = host;
    known.key = their_host;
    if (KnownHosts_update(paths->ssh, paths->known_hosts, &known, 1, err, errlen) < 0 ||
        Peers_authorize(paths, theirs, err, errlen) != STATUS_OK ||
        Peers_add(paths, host, err, errlen) != STATUS_OK)
        goto out;
    snprintf(hostkey, hostkeylen, "%s %.40s...", their_host->type, their_host->base64);
    st = STATUS_OK;
out:
    free(command);
    free(mine);
    return st;
}

Status Peers_accept(const Paths *paths, const char *client, const SshKey *dom0_key,
                    const SshKey *host_key, char *out, size_t outlen, char *err, size_t errlen)
{
    SshKey *mine = calloc(2, sizeof *mine);
    KnownHost known = {.name = client, .key = host_key};
    Status st = STATUS_ERROR;

    if (!mine) {
        snprintf(err, errlen, "out of memory");
        return STATUS_ERROR;
    }
    if (!KnownHosts_validName(client) || strlen(client) > PEERS_HOST_MAX) {
        snprintf(err, errlen, "cannot pair with '%s': not a host name or IPv4 address", client);
        goto out;
    }
    if (SshKey_load(paths->dom0_key, mine, err, errlen) != 1 ||
        SshKey_load(paths->host_key, mine + 1, err, errlen) != 1) {
        snprintf(err, errlen, "this dom0 has no SSH keys yet (%s, %s)", paths->dom0_key,
                 paths->host_key);
        goto out;
    }
    if (Peers_authorize(paths, dom0_key, err, errlen) != STATUS_OK ||
        KnownHosts_update(paths->ssh, paths->known_hosts, &known, 1, err, errlen) < 0 ||
        Peers_add(paths, client, err, errlen) != STATUS_OK)
        goto out;
    snprintf(out, outlen, "DOM0_KEY=%s %s\nHOST_KEY=%s %s\n", mine[0].type, mine[0].base64,
             mine[1].type, mine[1].base64);
    st = STATUS_OK;
out:
    free(mine);
    return st;
}
