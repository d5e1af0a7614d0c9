# shellcheck shell=sh
# The kernel command line for dom0's start-up scripts.  Source it, then:
#   cmdline_get KEY   print the value of KEY=VALUE and succeed, or fail when
#                     KEY is absent.  The last KEY wins, as with the kernel's
#                     own options.  A value in double quotes may hold spaces
#                     (xenlive.sshkey="ssh-ed25519 AAAA... me@laptop"); the
#                     quotes are removed.  A bare KEY gives an empty value.
#   cmdline_unknown KEY...   print, one per line, each xenlive.* key given on
#                     the command line that is none of KEY... (a typo such as
#                     xenlive.autostrat); keys only, never their values.
# XENLIVE_CMDLINE names another file to read, for tests.
cmdline_get() {
    awk -v key="$1" '
    {
        s = $0
        while (1) {
            sub(/^[[:space:]]+/, "", s)
            if (s == "") break
            # A word is a run of non-blanks, with "..." counting as one.
            if (!match(s, /^[^[:space:]"]*"[^"]*"[^[:space:]]*/))
                match(s, /^[^[:space:]]+/)
            w = substr(s, 1, RLENGTH)
            s = substr(s, RLENGTH + 1)
            gsub(/"/, "", w)
            if (w == key) { v = ""; found = 1 }
            else if (index(w, key "=") == 1) { v = substr(w, length(key) + 2); found = 1 }
        }
    }
    END { if (found) print v; exit !found }' "${XENLIVE_CMDLINE:-/proc/cmdline}"
}

cmdline_unknown() {
    awk -v known=" $* " '
    {
        s = $0
        while (1) {
            sub(/^[[:space:]]+/, "", s)
            if (s == "") break
            if (!match(s, /^[^[:space:]"]*"[^"]*"[^[:space:]]*/))
                match(s, /^[^[:space:]]+/)
            w = substr(s, 1, RLENGTH)
            s = substr(s, RLENGTH + 1)
            gsub(/"/, "", w)
            k = w
            sub(/=.*/, "", k)
            if (index(k, "xenlive.") == 1 && index(known, " " k " ") == 0 && !(k in seen)) {
                seen[k] = 1
                print k
            }
        }
    }' "${XENLIVE_CMDLINE:-/proc/cmdline}"
}
