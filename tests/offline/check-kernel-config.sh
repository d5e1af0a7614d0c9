#!/bin/sh
# check-kernel-config.sh: does a guest kernel .config hold every option of
# xenlive's fragment?
#
#   tests/offline/check-kernel-config.sh CONFIG [FRAGMENT]
#
# CONFIG: a .config, e.g. the kernel stage's "config" or the ISO's
# /usr/share/xenlive/guest/kernel.config.  FRAGMENT defaults to
# guest-images/kernel/xenlive.config.  "CONFIG_X=V" must be in CONFIG as
# is; "# CONFIG_X is not set" holds when CONFIG has no "CONFIG_X=" line.
# Prints each option that does not hold; exits 1 if any.
set -eu

TOP=$(cd "$(dirname "$0")/../.." && pwd)
config=${1:?usage: check-kernel-config.sh CONFIG [FRAGMENT]}
fragment=${2:-$TOP/guest-images/kernel/xenlive.config}
[ -f "$config" ] || { echo "check-kernel-config.sh: no file $config" >&2; exit 1; }

n=0 bad=0
while IFS= read -r opt; do
    n=$((n + 1))
    case $opt in
        '# '*)
            name=${opt#\# }
            name=${name%% *}
            if grep -q "^$name=" "$config"; then
                bad=$((bad + 1)); echo "not off: $opt (has $(grep "^$name=" "$config"))"
            fi ;;
        *)
            name=${opt%%=*}
            if ! grep -qxF "$opt" "$config"; then
                bad=$((bad + 1))
                echo "missing: $opt (has $(grep -E "^(# )?${name}[= ]" "$config" || echo nothing))"
            fi ;;
    esac
done <<EOF
$(grep -E '^(CONFIG_[A-Za-z0-9_]+=.*|# CONFIG_[A-Za-z0-9_]+ is not set)$' "$fragment")
EOF
[ "$n" -gt 0 ] || { echo "no options in $fragment" >&2; exit 1; }
[ "$bad" -eq 0 ] || exit 1
echo "$n options of ${fragment#"$TOP"/} hold"
