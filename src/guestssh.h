/* guestssh.h: dom0 to guest SSH.  Each guest gets dom0's public key on
 * its kernel command line (launch) and prints its own host key on its
 * console; these keep root's known_hosts in step with those consoles
 * and make the dbclient command line. */
#ifndef XENLIVE_GUESTSSH_H
#define XENLIVE_GUESTSSH_H

#include "backend.h"
#include "paths.h"
#include "sshkey.h"
#include "status.h"

#include <stdbool.h>
#include <stddef.h>

/* Dom0's own names for the guests, in bridged mode (the run folder's
 * net says MODE=bridged).  There dom0 runs no dnsmasq, and the LAN's DNS
 * does not know the guests, so `ssh NAME` and a move's SSH to the guest
 * would not find them.  PATHS->hosts, which /etc/hosts links to (hosts(5)
 * format), is rewritten whole (Util_writeFileAtomic): PATHS->hosts_base
 * (40-network's lines: localhost; none when it is missing), then one line
 * "ADDRESS NAME" per running guest whose agent reports its
 * address (attr/vif/0/ipv4/0, xe-guest-utilities' key; guestinfo.h).
 * That address is the guest's own word: only a dotted IPv4 address
 * (inet_pton) is taken, other values leave the guest out.  In NAT mode
 * it does nothing: dnsmasq resolves NAME.  Errors: xenstore unreachable,
 * the base unreadable, the file not written. */
Status GuestSsh_hosts(Backend *be, const Paths *paths, const DomainList *domains, char *err,
                      size_t errlen);

/* NAME must be a running guest (not Domain-0) that has printed its host
 * key: then its known_hosts line is made from the key.  Errors: "no
 * domain named NAME", "NAME has not printed its SSH host key yet (is it
 * still booting?)", a bad key line, a file that cannot be written. */
Status GuestSsh_refresh(Backend *be, const Paths *paths, const char *name, char *err,
                        size_t errlen);

/* What GuestSsh_refreshAll found for one guest: FOUND 1 with KEY (its
 * line is written when the call returns STATUS_OK), 0 none yet, -1 a bad
 * key line or unreadable log (WHY says which). */
typedef void (*GuestSshCallback)(const char *name, int found, const SshKey *key,
                                 const char *why, void *data);

/* GuestSsh_refresh and GuestSsh_refreshAll also call GuestSsh_hosts. */

/* GuestSsh_refresh for every running guest but Domain-0, in one rewrite
 * of known_hosts; ON_GUEST is called for each (not for names that
 * cannot be host names, which are left out).  STATUS_ERROR when a
 * guest's key line is bad (the others are still written; ERR: "1 guest
 * printed a bad host key line"), or known_hosts cannot be written. */
Status GuestSsh_refreshAll(Backend *be, const Paths *paths, GuestSshCallback on_guest,
                           void *data, char *err, size_t errlen);

/* dbclient's arguments: "dbclient" ["-i" IDENTITY, when that file exists]
 * "root@NAME" WORDS... NULL.  ARGV has room for COUNT + 5 pointers and
 * HOST for "root@NAME".  STATUS_USAGE when the first word starts with
 * '-' (dbclient would read it as an option of its own). */
Status GuestSsh_argv(const Paths *paths, const char *name, char **words, size_t count,
                     char *host, size_t hostlen, char **argv, char *err, size_t errlen);

#endif
