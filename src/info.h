/* info.h: xenlive info: Xen's version, how to reach dom0 (network,
 * uplink, SSH, password) and how many guests run, as plain lines or
 * JSON. */
#ifndef XENLIVE_INFO_H
#define XENLIVE_INFO_H

#include "access.h"
#include "backend.h"
#include "catalog.h"
#include "paths.h"
#include "peers.h"
#include "saves.h"
#include "status.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct Info {
    HostInfo host;
    unsigned guests; /* running domains other than Domain-0 */
    Access access;
    DataVolume data;                 /* the data volume, when mounted */
    char saves_where[PATH_MAX + 128]; /* Saves_describe: where new saves go */
    unsigned saves;                  /* saved guests (Saves_list) */
    PeerList peers;                  /* paired machines (Peers_list) */
    char room[512];                  /* Images_room, or why the catalog cannot be read */
} Info;

/* Ask BE and read PATHS' files; the password only when SHOW_PASSWORD
 * (Access_passwordVisible). */
Status Info_gather(Info *info, Backend *be, const Paths *paths, bool show_password, char *err,
                   size_t errlen);

/*   xen:        4.20.5-pre
 *   network:    nat (guests on xenbr0, 10.99.0.0/24, gateway 10.99.0.1)
 *   uplink:     eth0 10.0.2.15/24
 *   ssh:        root@10.0.2.15 (host key SHA256:...)
 *   password:   Ab3k-x9Qe          or (shown on the local console)
 *   guests:     3 running
 *   memory:     room for 103 tiny, 26 debian (3412 MiB free)
 *   saves:      2, new ones to disk /dev/sdb1 (ext4) at /mnt/xenlive-data, 1234 MiB free
 *   paired:     pc2, pc3          or none (xenlive pair HOST) */
void Info_writeText(FILE *f, const Info *info);

/* One JSON object: xen, network (mode; null: not started), bridge,
 * guest_net, gateway, uplink, address, prefix, ssh ("root@ADDRESS"),
 * host_key, password (null: hidden or unknown), password_hidden, guests,
 * data_device, data_mount (null without a data volume), saves (a count),
 * saves_to ("disk" or "ram"), peers (an array of host names); null for
 * what is unknown. */
void Info_writeJson(FILE *f, const Info *info);

#endif
