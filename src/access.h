/* access.h: how to reach dom0, from what the boot scripts left in the
 * run folder: the network mode and uplink (the net file, KEY=value
 * lines), the uplink's IPv4 address (asked of the backend each time:
 * DHCP may finish after boot), dom0's SSH host key fingerprint, and
 * root's password for this boot, which is only ever shown on a local
 * console.  The TUI's header line and xenlive info are made from it. */
#ifndef XENLIVE_ACCESS_H
#define XENLIVE_ACCESS_H

#include "backend.h"
#include "paths.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define ACCESS_VALUE_MAX 64
#define ACCESS_LINE_MAX 256

typedef struct Access {
    bool net_started;                 /* the net file exists */
    char mode[ACCESS_VALUE_MAX];      /* MODE: "nat" or "bridged" */
    char uplink[ACCESS_VALUE_MAX];    /* UPLINK: eth0 (xenbr0 when bridged); "": no card */
    char guest_net[ACCESS_VALUE_MAX]; /* GUEST_NET, nat only: "10.99.0.0/24" */
    char gateway[ACCESS_VALUE_MAX];   /* GATEWAY, nat only: "10.99.0.1" */
    bool has_address;                 /* the uplink has an IPv4 address */
    char address[ACCESS_VALUE_MAX];   /* "10.0.2.15" */
    unsigned prefix;                  /* 24 */
    char host_key[ACCESS_LINE_MAX];   /* dom0's SSH host key fingerprint; "": unknown */
    bool password_hidden;             /* not on a local console: never read */
    char password[ACCESS_LINE_MAX];   /* "": hidden or unknown */
} Access;

/* Whether root's password may be shown: only on a local console, that
 * is TTY (ttyname of stdin, NULL when not a terminal) is /dev/console,
 * /dev/ttyN, /dev/ttySN or /dev/hvcN, and SSH_CONNECTION (the
 * environment's, NULL when unset) is unset. */
bool Access_passwordVisible(const char *tty, const char *ssh_connection);
/* The same for this process: stdin's ttyname and SSH_CONNECTION. */
bool Access_passwordVisibleHere(void);

/* Read the net file's MODE, UPLINK, GUEST_NET and GATEWAY into A (other
 * keys, comments, lines of ACCESS_LINE_MAX - 1 characters or more, and
 * values with blanks or control characters are left out; '...' or "..."
 * quotes are taken off). */
void Access_parseNet(FILE *f, Access *a);

/* Everything, from PATHS' files and BE's address of the uplink; the
 * password only when SHOW_PASSWORD.  A missing file leaves its part
 * empty (net_started false, host_key or password ""). */
void Access_load(Access *a, Backend *be, const Paths *paths, bool show_password);

/* The TUI's header line, at most WIDTH characters:
 *   net nat  eth0 10.0.2.15  ssh root@10.0.2.15  password Ab3k-x9Qe
 * When it is too wide, the ssh part goes first, then "net MODE", then
 * the uplink; only then is the line cut. */
void Access_headerLine(const Access *a, size_t width, char *buf, size_t len);

/* The texts xenlive info shows after "network:", "uplink:", "ssh:" and
 * "password:". */
void Access_network(const Access *a, char *buf, size_t len);
void Access_uplink(const Access *a, char *buf, size_t len);
void Access_ssh(const Access *a, char *buf, size_t len);
void Access_passwordText(const Access *a, char *buf, size_t len);

#endif
