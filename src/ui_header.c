/* ui_header.c: the host header: Xen, CPUs, memory bar, guests, fits,
 * network and password. */
#include "ui_header.h"

#include "access.h"
#include "hostsum.h"

#include <curses.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define UI_HEADER_LINE 512

int UiHeader_draw(const View *v, int width)
{
    HostSum s;
    char line[UI_HEADER_LINE];
    char up[32] = "";
    char fits[UI_HEADER_LINE];
    int bar_width;

    HostSum_compute(&v->top, &s);
    if (v->has_host)
        HostSum_uptime(v->host.uptime_s, up, sizeof up);
    snprintf(line, sizeof line, "xenlive  Xen %s  up %s  %u CPUs %5.1f%%  %u guest%s running",
             v->has_host ? v->host.xen_version : "?", v->has_host ? up : "?", s.num_cpus,
             s.cpu_pct, s.guests, s.guests == 1 ? "" : "s");
    mvaddnstr(0, 0, line, width);

    snprintf(line, sizeof line,
             " Xen %" PRIu64 " | dom0 %" PRIu64 " | guests %" PRIu64 " | free %" PRIu64 " MiB",
             s.xen_mib, s.dom0_mib, s.guests_mib, s.free_mib);
    /* "Mem [" + bar + "]" + the numbers; the bar takes what is left, if any. */
    bar_width = width - 6 - (int)strlen(line);
    if (bar_width > 60)
        bar_width = 60;
    move(1, 0);
    if (bar_width >= 10) {
        char bar[UI_HEADER_LINE];

        HostSum_bar(&s, (size_t)bar_width, bar, sizeof bar);
        addstr("Mem [");
        addnstr(bar, bar_width);
        addstr("]");
        addnstr(line, width - bar_width - 6);
    } else {
        addnstr(line + 1, width);
    }

    {
        Room room = {.free_mib = s.free_mib, .dom0_mib = s.dom0_available_mib,
                     .dom0_grow_mib = s.dom0_grow_mib};

        HostSum_fits(v->catalog, &room, fits, sizeof fits);
    }
    /* Where S and W put saves, after the fits (cut first when narrow). */
    {
        char fits_line[UI_HEADER_LINE + sizeof v->saves_where + sizeof v->peers + 16];

        snprintf(fits_line, sizeof fits_line, "fits: %s   %s%s%s", fits, v->saves_where,
                 v->peers[0] ? "   " : "", v->peers);
        mvaddnstr(2, 0, fits_line, width);
    }

    Access_headerLine(&v->access, width > 0 ? (size_t)width : 0, line, sizeof line);
    mvaddnstr(3, 0, line, width);
    return 4;
}
