#!/bin/sh
# repro.sh: is the build reproducible?  Builds the same commit again, in
# another folder and another cache, and compares every stage's output
# byte for byte with the first build's.
#
#   tests/repro.sh          stage level (make test): the second build reuses
#                           the first one's downloads (stages fetch and
#                           hypervisor, copied) and guest kernel (stage
#                           kernel: 7.5 minutes of compiling, checked by
#                           --full), and rebuilds every other stage that
#                           compiles or packs something
#   tests/repro.sh --full   make repro: two cold builds from empty caches,
#                           in two folders, then the same comparison
#
# The first build is $XENLIVE_CACHE's (make test builds it) or, with
# --full, a cold one.  Only the commit is built: uncommitted changes are
# not (a clone is), so run it on a clean tree.  When two outputs differ it
# names the first stage and file that differ, and shows diffoscope's report
# when diffoscope is installed (Debian's package).  Exit 0: identical.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
REAL_CACHE=${XENLIVE_CACHE:-/var/cache/xenlive}
full=
[ "${1:-}" != --full ] || full=1

tmp=$(mktemp -d /tmp/xenlive-repro.XXXXXX)
# The scratch folder goes when the builds agree; when they differ it stays,
# with both outputs, for a closer look.
keep=
trap '[ -n "$keep" ] || rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

if [ -n "$(git -C "$TOP" status --porcelain --untracked-files=no)" ]; then
    echo "repro: the work tree has uncommitted changes; the commit is what is built" >&2
fi

# build_in DIR CACHE: clones the commit into DIR and builds it there.
build_in() {
    git clone -q "$TOP" "$1"
    git -C "$1" checkout -q "$(git -C "$TOP" rev-parse HEAD)"
    echo "==> repro: building in $1 (cache $2)"
    # Every stage, as make does (the kernel stage only when the guests use
    # it).
    if ! (cd "$1" && XENLIVE_CACHE=$2 OUT=$1/out ./build.sh >"$1.log" 2>&1); then
        echo "repro: the build in $1 failed:" >&2
        tail -n 20 "$1.log" >&2
        exit 1
    fi
}

if [ -n "$full" ]; then
    A=$tmp/cache-a
    build_in "$tmp/a" "$A"
else
    A=$REAL_CACHE
    [ -f "$A/stages/iso/current" ] ||
        { echo "repro: no finished build in $A; run ./build.sh first" >&2; exit 1; }
fi
B=$tmp/cache-b
if [ -z "$full" ]; then
    # The downloads, as the first build had them (hard links: nothing
    # writes into a finished stage): only what is built here is compared.
    for s in fetch hypervisor kernel; do
        [ -d "$A/stages/$s" ] || continue
        mkdir -p "$B/stages/$s"
        for d in "$A/stages/$s"/*/; do
            case $d in *.work/) continue ;; esac
            cp -al "${d%/}" "$B/stages/$s/"
        done
    done
fi
build_in "$tmp/b" "$B"

# Compare the stages in build order: the first difference is the cause,
# later ones may only follow from it.
stages="programs rootfs guests"
# (kernel: only in --full, below; GUEST_KERNEL=debian builds have none.)
for d in "$B"/stages/image-*/; do
    s=${d%/}; stages="$stages ${s##*/}"
done
stages="$stages iso"
if [ -n "$full" ]; then
    k=
    [ ! -f "$B/stages/kernel/current" ] || k=kernel
    stages="fetch hypervisor $k $stages"
fi
compared=0
for s in $stages; do
    # The second build's output, and the first's for the same inputs (the
    # same hash), whatever either cache's "current" says.
    b=$(cat "$B/stages/$s/current" 2>/dev/null) || { echo "repro: stage $s missing in $B" >&2; exit 1; }
    a=$A/stages/$s/${b##*/}
    # (An image that could not be built has no .done, so that the next
    # build tries again; its folder is still the output.)
    if [ ! -d "$a" ] || [ -d "$a.work" ]; then
        echo "repro: stage $s: $A has no output for this commit's inputs (${b##*/});" \
            "build the commit first (./build.sh)" >&2
        exit 1
    fi
    (cd "$a" && find . -type f ! -name .done | LC_ALL=C sort | xargs sha256sum) >"$tmp/a.sums"
    (cd "$b" && find . -type f ! -name .done | LC_ALL=C sort | xargs sha256sum) >"$tmp/b.sums"
    if ! cmp -s "$tmp/a.sums" "$tmp/b.sums"; then
        f=$(diff "$tmp/a.sums" "$tmp/b.sums" | sed -n 's/^[<>] [0-9a-f]*  \.\///p' | head -n 1)
        keep=1
        echo "repro: NOT reproducible: stage $s differs first, in $f" >&2
        echo "repro: the outputs: $a and $b (kept)" >&2
        diff "$tmp/a.sums" "$tmp/b.sums" | sed -n 's/^> [0-9a-f]*  \.\//repro:   differs: /p' >&2
        if command -v diffoscope >/dev/null 2>&1 && [ -f "$a/$f" ] && [ -f "$b/$f" ]; then
            timeout 300 diffoscope --text - "$a/$f" "$b/$f" 2>/dev/null | head -n 60 >&2 || :
        else
            echo "repro: (install Debian's diffoscope for a report of what differs)" >&2
        fi
        exit 1
    fi
    compared=$((compared + 1))
    echo "  same  $s (${b##*/})"
done
echo "repro: $compared stages identical; xenlive.iso sha256" \
    "$(sha256sum <"$(cat "$B/stages/iso/current")/xenlive.iso" | cut -d' ' -f1)"
