/* access.c: how to reach dom0: network, address, SSH, password. */
#include "access.h"

#include "util.h"
#include "xlcfg.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* PREFIX followed by one or more digits, and nothing else. */
static bool Access_isNumbered(const char *tty, const char *prefix)
{
    size_t n = strlen(prefix);

    if (strncmp(tty, prefix, n) != 0 || tty[n] == '\0')
        return false;
    return strspn(tty + n, "0123456789") == strlen(tty + n);
}

bool Access_passwordVisible(const char *tty, const char *ssh_connection)
{
    if (ssh_connection || !tty)
        return false;
    return strcmp(tty, "/dev/console") == 0 || Access_isNumbered(tty, "/dev/tty") ||
           Access_isNumbered(tty, "/dev/ttyS") || Access_isNumbered(tty, "/dev/hvc");
}

bool Access_passwordVisibleHere(void)
{
    return Access_passwordVisible(ttyname(STDIN_FILENO), getenv("SSH_CONNECTION"));
}

/* VALUE without its quotes into BUF; false when it is empty or holds a
 * blank or a control character. */
static bool Access_value(const char *value, char *buf, size_t len)
{
    size_t n = strlen(value);
    size_t i;

    if (n >= 2 && (value[0] == '"' || value[0] == '\'') && value[n - 1] == value[0]) {
        value++;
        n -= 2;
    }
    if (n == 0 || n >= len)
        return false;
    for (i = 0; i < n; i++) {
        if ((unsigned char)value[i] <= ' ' || (unsigned char)value[i] >= 0x7f)
            return false;
    }
    memcpy(buf, value, n);
    buf[n] = '\0';
    return true;
}

void Access_parseNet(FILE *f, Access *a)
{
    char line[ACCESS_LINE_MAX];

    a->net_started = true;
    while (fgets(line, sizeof line, f)) {
        char *value;

        if (!strchr(line, '\n') && !feof(f)) {
            int c;

            /* Longer than any line of ours: skip it whole, so that its end
             * is not read as a line of its own (a "MODE=..." in it). */
            do
                c = fgetc(f);
            while (c != EOF && c != '\n');
            continue;
        }
        /* The line ends at a '\r' too; only then look for the '='. */
        line[strcspn(line, "\r\n")] = '\0';
        value = strchr(line, '=');
        if (!value)
            continue;
        *value++ = '\0';
        if (strcmp(line, "MODE") == 0)
            Access_value(value, a->mode, sizeof a->mode);
        else if (strcmp(line, "UPLINK") == 0)
            Access_value(value, a->uplink, sizeof a->uplink);
        else if (strcmp(line, "GUEST_NET") == 0)
            Access_value(value, a->guest_net, sizeof a->guest_net);
        else if (strcmp(line, "GATEWAY") == 0)
            Access_value(value, a->gateway, sizeof a->gateway);
    }
}

/* The first line of PATH into BUF, control characters as '?' so that
 * the file cannot drive the terminal; "" when it cannot be read. */
static void Access_readLine(const char *path, char *buf, size_t len)
{
    char *p;

    if (Util_readLine(path, buf, len) < 0) {
        buf[0] = '\0';
        return;
    }
    buf[strcspn(buf, "\r")] = '\0';
    for (p = buf; *p; p++) {
        if ((unsigned char)*p < ' ' || (unsigned char)*p == 0x7f)
            *p = '?';
    }
}

void Access_load(Access *a, Backend *be, const Paths *paths, bool show_password)
{
    FILE *net;

    memset(a, 0, sizeof *a);
    net = fopen(paths->net, "r");
    if (net) {
        Access_parseNet(net, a);
        fclose(net);
    }
    if (a->uplink[0])
        a->has_address = be->ipv4_address(be, a->uplink, a->address, sizeof a->address,
                                          &a->prefix);
    Access_readLine(paths->ssh_fingerprint, a->host_key, sizeof a->host_key);
    a->password_hidden = !show_password;
    if (show_password)
        Access_readLine(paths->password, a->password, sizeof a->password);
}

void Access_network(const Access *a, char *buf, size_t len)
{
    if (!a->net_started)
        snprintf(buf, len, "not started");
    else if (strcmp(a->mode, "nat") == 0)
        snprintf(buf, len, "nat (guests on %s%s%s%s%s)", XLCFG_BRIDGE, a->guest_net[0] ? ", " : "",
                 a->guest_net, a->gateway[0] ? ", gateway " : "", a->gateway);
    else if (strcmp(a->mode, "bridged") == 0)
        snprintf(buf, len, "bridged (guests on the LAN through %s)", XLCFG_BRIDGE);
    else
        snprintf(buf, len, "%s", a->mode[0] ? a->mode : "unknown mode");
}

void Access_uplink(const Access *a, char *buf, size_t len)
{
    if (!a->net_started)
        snprintf(buf, len, "-");
    else if (!a->uplink[0])
        snprintf(buf, len, "none (no network card)");
    else if (a->has_address)
        snprintf(buf, len, "%s %s/%u", a->uplink, a->address, a->prefix);
    else
        snprintf(buf, len, "%s no address yet (DHCP)", a->uplink);
}

void Access_ssh(const Access *a, char *buf, size_t len)
{
    if (a->has_address)
        snprintf(buf, len, "root@%s%s%s%s", a->address, a->host_key[0] ? " (host key " : "",
                 a->host_key, a->host_key[0] ? ")" : "");
    else if (!a->net_started)
        snprintf(buf, len, "- (network not started)");
    else if (!a->uplink[0])
        snprintf(buf, len, "- (no network card)");
    else
        snprintf(buf, len, "- (no address yet)");
}

void Access_passwordText(const Access *a, char *buf, size_t len)
{
    if (a->password_hidden)
        snprintf(buf, len, "(shown on the local console)");
    else
        snprintf(buf, len, "%s", a->password[0] ? a->password : "unknown");
}

/* The header's parts, in order. */
enum { ACCESS_NET, ACCESS_UPLINK, ACCESS_SSH, ACCESS_PASSWORD, ACCESS_PARTS };

/* The parts that are not empty, two spaces apart. */
static void Access_join(char parts[ACCESS_PARTS][ACCESS_LINE_MAX + 32], char *buf, size_t len)
{
    size_t used = 0;
    int i;

    buf[0] = '\0';
    for (i = 0; i < ACCESS_PARTS; i++) {
        int n;

        if (!parts[i][0])
            continue;
        n = snprintf(buf + used, len - used, "%s%s", used ? "  " : "", parts[i]);
        if (n < 0 || (size_t)n >= len - used)
            return; /* cut: the caller cuts to the width anyway */
        used += (size_t)n;
    }
}

void Access_headerLine(const Access *a, size_t width, char *buf, size_t len)
{
    static const int drop[] = {ACCESS_SSH, ACCESS_NET, ACCESS_UPLINK};
    char parts[ACCESS_PARTS][ACCESS_LINE_MAX + 32] = {{0}};
    char password[ACCESS_LINE_MAX];
    size_t i;

    if (len == 0)
        return;
    if (!a->net_started)
        snprintf(parts[ACCESS_NET], sizeof parts[0], "net not started");
    else
        snprintf(parts[ACCESS_NET], sizeof parts[0], "net %s", a->mode[0] ? a->mode : "?");
    if (a->net_started && !a->uplink[0])
        snprintf(parts[ACCESS_UPLINK], sizeof parts[0], "no network card");
    else if (a->has_address)
        snprintf(parts[ACCESS_UPLINK], sizeof parts[0], "%s %s", a->uplink, a->address);
    else if (a->net_started)
        snprintf(parts[ACCESS_UPLINK], sizeof parts[0], "%s no address yet (DHCP)", a->uplink);
    if (a->has_address)
        snprintf(parts[ACCESS_SSH], sizeof parts[0], "ssh root@%s", a->address);
    Access_passwordText(a, password, sizeof password);
    snprintf(parts[ACCESS_PASSWORD], sizeof parts[0], "password %s", password);
    Access_join(parts, buf, len);
    for (i = 0; i < sizeof drop / sizeof drop[0] && strlen(buf) > width; i++) {
        parts[drop[i]][0] = '\0';
        Access_join(parts, buf, len);
    }
    if (strlen(buf) > width)
        buf[width] = '\0';
}
