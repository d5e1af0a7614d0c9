/* info.c: xenlive info. */
#include "info.h"

#include "images.h"
#include "json.h"
#include "xlcfg.h"

#include <stdlib.h>
#include <string.h>

Status Info_gather(Info *info, Backend *be, const Paths *paths, bool show_password, char *err,
                   size_t errlen)
{
    DomainList domains = {0};
    Status st = STATUS_ERROR;
    size_t i;

    memset(info, 0, sizeof *info);
    if (be->host_info(be, &info->host, err, errlen) < 0 ||
        be->list_domains(be, &domains, err, errlen) < 0)
        goto out;
    for (i = 0; i < domains.count; i++) {
        if (domains.items[i].id != 0)
            info->guests++;
    }
    {
        Catalog catalog = {0};
        Room room;
        char why[256];

        if (Catalog_load(&catalog, paths->images, why, sizeof why) < 0 ||
            Room_read(be, &room, why, sizeof why) != STATUS_OK)
            snprintf(info->room, sizeof info->room, "unknown: %s", why);
        else
            Images_room(&catalog, &room, info->room, sizeof info->room);
        Catalog_free(&catalog);
    }
    Access_load(&info->access, be, paths, show_password);
    Saves_volume(paths, &info->data);
    Peers_list(paths, &info->peers);
    Saves_describe(be, paths, info->saves_where, sizeof info->saves_where);
    {
        SaveList *saves = malloc(sizeof *saves);
        char why[256];

        if (saves && Saves_list(paths, saves, why, sizeof why) == STATUS_OK)
            info->saves = (unsigned)saves->count;
        free(saves);
    }
    st = STATUS_OK;
out:
    DomainList_free(&domains);
    return st;
}

void Info_writeText(FILE *f, const Info *info)
{
    char text[ACCESS_LINE_MAX * 2];

    fprintf(f, "%-11s %s\n", "xen:", info->host.xen_version);
    Access_network(&info->access, text, sizeof text);
    fprintf(f, "%-11s %s\n", "network:", text);
    Access_uplink(&info->access, text, sizeof text);
    fprintf(f, "%-11s %s\n", "uplink:", text);
    Access_ssh(&info->access, text, sizeof text);
    fprintf(f, "%-11s %s\n", "ssh:", text);
    Access_passwordText(&info->access, text, sizeof text);
    fprintf(f, "%-11s %s\n", "password:", text);
    fprintf(f, "%-11s %u running\n", "guests:", info->guests);
    fprintf(f, "%-11s %s\n", "memory:", info->room);
    fprintf(f, "%-11s %u, new ones to %s\n", "saves:", info->saves, info->saves_where);
    fprintf(f, "%-11s ", "paired:");
    if (!info->peers.count)
        fputs("none (xenlive pair HOST)", f);
    for (size_t i = 0; i < info->peers.count; i++)
        fprintf(f, "%s%s", i ? ", " : "", info->peers.hosts[i]);
    fputc('\n', f);
}

/* "KEY": VALUE as a JSON string, or null when VALUE is NULL or "". */
static void Info_jsonField(FILE *f, const char *key, const char *value)
{
    fprintf(f, "  \"%s\": ", key);
    Json_writeStringOrNull(f, value);
    fputs(",\n", f);
}

void Info_writeJson(FILE *f, const Info *info)
{
    const Access *a = &info->access;
    char ssh[ACCESS_VALUE_MAX + 8] = "";

    if (a->has_address)
        snprintf(ssh, sizeof ssh, "root@%s", a->address);
    fputs("{\n", f);
    Info_jsonField(f, "xen", info->host.xen_version);
    Info_jsonField(f, "network", a->net_started ? (a->mode[0] ? a->mode : "unknown") : NULL);
    Info_jsonField(f, "bridge", a->net_started ? XLCFG_BRIDGE : NULL);
    Info_jsonField(f, "guest_net", a->guest_net);
    Info_jsonField(f, "gateway", a->gateway);
    Info_jsonField(f, "uplink", a->uplink);
    Info_jsonField(f, "address", a->has_address ? a->address : NULL);
    if (a->has_address)
        fprintf(f, "  \"prefix\": %u,\n", a->prefix);
    else
        fputs("  \"prefix\": null,\n", f);
    Info_jsonField(f, "ssh", ssh);
    Info_jsonField(f, "host_key", a->host_key);
    Info_jsonField(f, "password", a->password);
    fprintf(f, "  \"password_hidden\": %s,\n", a->password_hidden ? "true" : "false");
    fprintf(f, "  \"guests\": %u,\n", info->guests);
    Info_jsonField(f, "room", info->room);
    Info_jsonField(f, "data_device", info->data.mounted ? info->data.device : NULL);
    Info_jsonField(f, "data_mount", info->data.mounted ? info->data.mount : NULL);
    Info_jsonField(f, "saves_to", info->data.mounted ? "disk" : "ram");
    fprintf(f, "  \"saves\": %u,\n  \"peers\": [", info->saves);
    for (size_t i = 0; i < info->peers.count; i++) {
        if (i)
            fputs(", ", f);
        Json_writeString(f, info->peers.hosts[i]);
    }
    fputs("]\n}\n", f);
}
