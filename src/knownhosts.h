/* knownhosts.h: the guests' SSH host keys, as dom0 learns them: from the
 * line "xenlive-guest hostkey: TYPE BASE64" each guest prints on its
 * console (xenconsoled logs it), into root's known_hosts as
 * "NAME TYPE BASE64", for dbclient.  Not trust on first use. */
#ifndef XENLIVE_KNOWNHOSTS_H
#define XENLIVE_KNOWNHOSTS_H

#include "sshkey.h"

#include <stdbool.h>
#include <stddef.h>

#define KNOWNHOSTS_MARK "xenlive-guest hostkey:"

/* The host key in the console log at PATH: the last line holding
 * KNOWNHOSTS_MARK counts (a reused name appends to the old log).
 * 1 with KEY, 0 when there is none (or no log), -1 with ERR when the
 * last one is not a valid key or the log cannot be read. */
int KnownHosts_fromLog(const char *path, SshKey *key, char *err, size_t errlen);

/* NAME can be a known_hosts host name and dbclient's: letters, digits,
 * '.', '_' and '-', not starting with '-'. */
bool KnownHosts_validName(const char *name);

typedef struct KnownHost {
    const char *name;
    const SshKey *key;
} KnownHost;

/* Make the known_hosts file in the folder DIR (created 0700 when needed)
 * hold exactly one line "NAME TYPE BASE64" for each of HOSTS: the first
 * old line for NAME is replaced, later ones dropped, a new one appended;
 * every other line stays as it was.  Written to a temporary file then
 * renamed, under a lock on DIR so that two xenlive do not lose each
 * other's lines. */
int KnownHosts_update(const char *dir, const char *path, const KnownHost *hosts, size_t count,
                      char *err, size_t errlen);

#endif
