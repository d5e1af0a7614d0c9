#!/bin/sh
# lint.sh: shellcheck over every shell script of the project.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"
files=$(git ls-files -co --exclude-standard | while IFS= read -r f; do
    case $f in
        *.sh|.ci/run) echo "$f" ;;
        overlays/*|guest-images/*/rootfs/*|guest-images/initramfs/*)
            [ -f "$f" ] && head -n 1 "$f" | grep -q '^#!/bin/sh' && echo "$f" ;;
    esac
done)
# shellcheck disable=SC2086 # a list of file names without spaces
shellcheck -x $files
echo "lint: $(echo "$files" | wc -l) scripts clean"
