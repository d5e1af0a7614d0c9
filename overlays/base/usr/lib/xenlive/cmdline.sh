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
# The command line's words, one a line, their double quotes removed: a
# word is a run of non-blanks, with "..." counting as one.
cmdline_words() {
    awk '
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
            print w
        }
    }' "${XENLIVE_CMDLINE:-/proc/cmdline}"
}

cmdline_get() {
    cmdline_words | awk -v key="$1" '
    $0 == key { v = ""; found = 1 }
    index($0, key "=") == 1 { v = substr($0, length(key) + 2); found = 1 }
    END { if (found) print v; exit !found }'
}

cmdline_unknown() {
    cmdline_words | awk -v known=" $* " '
    {
        k = $0
        sub(/=.*/, "", k)
        if (index(k, "xenlive.") == 1 && index(known, " " k " ") == 0 && !(k in seen)) {
            seen[k] = 1
            print k
        }
    }'
}
