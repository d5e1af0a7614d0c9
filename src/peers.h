/* peers.h: trust between xenlive machines.  Nothing trusts another
 * machine by default: xenlive pair HOST logs in to HOST once with its
 * root password (dbclient, DROPBEAR_PASSWORD) and runs HOST's own
 * `xenlive peer accept`, which puts this dom0's key in HOST's
 * authorized_keys, this machine's host key in HOST's known_hosts and this
 * machine in HOST's peers file, and answers with HOST's keys, which this
 * side records the same way: from then on either machine reaches the
 * other as root without a password (xenlive migrate, and moves back).
 * The run folder's peers file lists the paired machines, one host a
 * line; dom0's keys are new at each boot, so a reboot of either side
 * means pairing again. */
#ifndef XENLIVE_PEERS_H
#define XENLIVE_PEERS_H

#include "backend.h"
#include "paths.h"
#include "sshkey.h"
#include "status.h"

#include <stdbool.h>
#include <stddef.h>

#define PEERS_MAX 32
#define PEERS_HOST_MAX 255

typedef struct PeerList {
    char hosts[PEERS_MAX][PEERS_HOST_MAX + 1]; /* in the order paired */
    size_t count;
} PeerList;

/* The peers file; none is an empty list. */
void Peers_list(const Paths *paths, PeerList *out);

/* HOST is in the peers file. */
bool Peers_has(const Paths *paths, const char *host);

/* Add HOST to the peers file (temp file + rename) unless it is there. */
Status Peers_add(const Paths *paths, const char *host, char *err, size_t errlen);

/* Put KEY in root's authorized_keys (created 0600 in the SSH folder,
 * 0700) unless a line already holds it; the other lines stay. */
Status Peers_authorize(const Paths *paths, const SshKey *key, char *err, size_t errlen);

/* One line for a failed be->remote call to HOST (STATUS, OUTPUT as it
 * returned): unreachable ("cannot reach HOST: ..."), a refused password
 * ("HOST refused the password ..."), a changed host key, no xenlive
 * there, or the command's own error line ("HOST: LINE", without the
 * remote xenlive's "xenlive: "). */
void Peers_remoteError(const char *host, int status, const char *output, char *err,
                       size_t errlen);

/* xenlive pair HOST: see above.  PASSWORD is HOST's root password (NULL:
 * the keys alone, when HOST already trusts this dom0 through
 * xenlive.sshkey=).  HOST is a host name or IPv4 address (letters,
 * digits, '.', '-', '_'), else STATUS_USAGE.  On success *FINGERPRINT is
 * HOST's host key line as recorded ("TYPE BASE64", to compare with
 * HOST's xenlive info). */
Status Peers_pair(Backend *be, const Paths *paths, const char *host, const char *password,
                  char *hostkey, size_t hostkeylen, char *err, size_t errlen);

/* HOST's side of pairing (xenlive peer accept, run by the other machine
 * through SSH): CLIENT is that machine (SSH_CONNECTION's address),
 * DOM0_KEY and HOST_KEY its keys.  Records them and CLIENT as a peer,
 * then writes "DOM0_KEY=TYPE BASE64\nHOST_KEY=TYPE BASE64\n" (this
 * machine's) into OUT. */
Status Peers_accept(const Paths *paths, const char *client, const SshKey *dom0_key,
                    const SshKey *host_key, char *out, size_t outlen, char *err,
                    size_t errlen);

#endif
