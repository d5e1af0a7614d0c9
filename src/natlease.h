/* natlease.h: a guest's NAT address when it moves between machines.
 * In NAT mode each machine's dnsmasq hands out 10.99.0.0/24 on its own,
 * and a guest keeps its address when it moves.  So the machine it comes
 * to records it for dnsmasq before the transfer: a dhcp-host line
 * "MAC,IP,NAME" in the run folder's dnsmasq-hosts/NAME (dnsmasq's
 * dhcp-hostsdir: that address is kept for that MAC, never given to
 * another guest, and renewed when the guest asks) and "IP NAME" in
 * dnsmasq-names/NAME (its hostsdir: NAME resolves at once, before any
 * DHCP request).  dnsmasq reads new files there by itself (inotify); the
 * files are written under a dot name and renamed, as dnsmasq skips dot
 * files.  An address that this machine's dnsmasq already leased, or
 * reserved, for another MAC refuses the move. */
#ifndef XENLIVE_NATLEASE_H
#define XENLIVE_NATLEASE_H

#include "backend.h"
#include "paths.h"
#include "status.h"

#include <stdbool.h>
#include <stddef.h>

#define NATLEASE_MAC_LEN 18 /* "00:16:3e:01:02:03" and its '\0' */
#define NATLEASE_IP_LEN 16  /* "255.255.255.255" and its '\0' */

/* The MAC of the first vif in CFG_TEXT (an xl config xenlive wrote,
 * "mac=xx:xx:xx:xx:xx:xx"), lower case, into MAC; false without one. */
bool NatLease_cfgMac(const char *cfg_text, char mac[NATLEASE_MAC_LEN]);

/* A dotted IPv4 address (four numbers 0-255, nothing else). */
bool NatLease_validIp(const char *ip);

/* A MAC as "xx:xx:xx:xx:xx:xx", hex digits of either case. */
bool NatLease_validMac(const char *mac);

/* The address this machine knows for guest NAME with MAC: its
 * dnsmasq-hosts/NAME record (a guest that moved here), else the lease of
 * MAC in the run folder's dnsmasq.leases.  False when there is neither
 * (bridged mode, or no DHCP request yet). */
bool NatLease_address(const Paths *paths, const char *name, const char *mac, char *ip,
                      size_t iplen);

/* Record IP for NAME and MAC (see above).  STATUS_USAGE for a bad name,
 * MAC or address; STATUS_ERROR when this machine's dnsmasq leased IP, or
 * a record holds it, for another MAC ("10.99.0.57 is already the address
 * of tiny-3 here"), or a file cannot be written. */
Status NatLease_reserve(const Paths *paths, const char *name, const char *mac, const char *ip,
                        char *err, size_t errlen);

/* Remove NAME's two records, if any, and then tell dnsmasq (SIGHUP to
 * the pid in the run folder's dnsmasq.pid), which keeps what it read. */
void NatLease_unreserve(const Paths *paths, const char *name);

/* The lease of MAC in the run folder's dnsmasq.leases (dnsmasq's lease
 * file: "EXPIRY MAC IP HOSTNAME CLIENT-ID" a line, "*" for none): its IP
 * and client id ("" for "*").  False when MAC has none (bridged mode, no
 * DHCP request yet). */
bool NatLease_lease(const Paths *paths, const char *mac, char *ip, size_t iplen, char *clid,
                    size_t clidlen);

/* Guest NAME is leaving this machine (destroyed, stopped, crashed, moved
 * away): NatLease_unreserve, and its DHCP lease, found by the MAC in its
 * xl config (read here, so call this before removing the config), goes
 * back to dnsmasq through BE's release_lease, so that churn never uses up
 * the range.  Best effort and silent: a lease left expires after dnsmasq's
 * 12 hours. */
void NatLease_release(Backend *be, const Paths *paths, const char *name);

#endif
