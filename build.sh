#!/bin/sh
# build.sh: builds out/xenlive.iso in named, cached stages.
#
#   ./build.sh [STAGE...]     run the given stages (default: all, in order)
#   ./build.sh deps           install missing Debian build dependencies (root)
#
# Stages, in order; each lives in its own folder as stage.sh:
#   fetch       Debian binary and source packages   (rootfs/fetch.sh)
#   hypervisor  Xen and the dom0 kernel              (hypervisor/stage.sh)
#   programs    BusyBox and Dropbear, static musl    (rootfs/programs.sh)
#   rootfs      the dom0 root, as an initramfs       (rootfs/stage.sh)
#   kernel      xenlive's own guest kernel, unless   (guest-images/kernel/stage.sh)
#               GUEST_KERNEL=debian
#   guests      guest kernel and images              (guest-images/stage.sh)
#   iso         the hybrid BIOS/UEFI ISO             (iso/stage.sh)
#
# A stage's output lives in $XENLIVE_CACHE/stages/NAME/HASH, where HASH covers
# everything the stage reads. A stage whose HASH already exists is skipped.
# Outputs are built in a .work folder and renamed into place only on success.
set -eu

# XENLIVE_TOP: the source tree, for scripts that source this file.
TOP=${XENLIVE_TOP:-$(cd "$(dirname "$0")" && pwd)}
XENLIVE_CACHE=${XENLIVE_CACHE:-/var/cache/xenlive}
OUT=${OUT:-$TOP/out}
export TOP XENLIVE_CACHE OUT
# Debian's multiarch name of the one architecture the CD is for.
MULTIARCH=x86_64-linux-gnu

# The Debian packages the build and the tests run on this machine.  This is
# the one list; `./build.sh deps` installs whatever of it is missing.
# clang: libFuzzer (-fsanitize=fuzzer) for the fuzz suite, make -C src fuzz;
# tmux: the tui-terminals suite reads the TUI's screen from a tmux pane.
# What goes into the ISO, musl, Xen's and ncurses' headers included, comes
# from the pinned suite (hypervisor/version.conf), not from these.
HOST_PACKAGES="
    build-essential dpkg-dev
    flex bison bc libelf-dev
    mmdebstrap debian-archive-keyring
    cpio zstd xz-utils file binutils kmod
    squashfs-tools
    grub-common grub-pc-bin grub-efi-amd64-bin xorriso mtools faketime
    pkg-config libcmocka-dev cppcheck
    dnf rpm createrepo-c
    qemu-system-x86 qemu-utils ovmf python3 python3-pexpect python3-pyte
    shellcheck
    clang tmux
    openssh-client sshpass dnsmasq-base nftables
"

STAGES="fetch hypervisor programs rootfs kernel guests iso"
# The stages named on the command line, " a b ", for stages that are
# skipped unless needed or named (kernel).
NAMED_STAGES=' '

# ---------------------------------------------------------------- helpers

STAGE=
STEP=

msg() { printf '%s\n' "$*"; }
die() { printf 'build.sh: error: %s\n' "$*" >&2; exit 1; }

# step "what": names the step that the next commands belong to, shown on failure.
step() {
    STEP=$1
    printf '    %s\n' "$1"
}

# run CMD...: runs one command with its output in the stage log; on failure
# names the stage, the step and the command, shows the end of the log, stops.
run() {
    printf '+ %s\n' "$*" >>"$LOG"
    "$@" >>"$LOG" 2>&1 || {
        rc=$?
        printf 'build.sh: error: stage %s, step "%s": command failed (exit %s):\n    %s\n' \
            "$STAGE" "$STEP" "$rc" "$*" >&2
        printf '    last lines of %s:\n' "$LOG" >&2
        tail -n 25 "$LOG" | sed 's/^/    | /' >&2
        exit 1
    }
}

# need CMD PACKAGE: a clear message for a missing tool.
need() {
    command -v "$1" >/dev/null 2>&1 ||
        die "missing tool '$1' (Debian package '$2'): run './build.sh deps' as root"
}

# hash_inputs PATH...: one hash over the contents and names of files and
# folders; folders named "build" are outputs, not inputs, and are skipped.
# Paths are hashed relative to the tree, so that every clone shares the
# cache; a file outside the tree (the build's apt sources, in the cache) by
# its name only, so that neither the clone's nor the cache's folder is an
# input.  Anything else (a word like "fetch:HASH") is hashed as it is.
hash_inputs() {
    for p in "$@"; do
        case $p in
            "$TOP"/*) printf '%s\n' "${p#"$TOP"/}" ;;
            /*)       printf 'outside:%s\n' "${p##*/}" ;;
            *)        printf '%s\n' "$p" ;;
        esac
        if [ -d "$p" ]; then
            (cd "$p" && find . -name build -prune -o \( -type f -o -type l \) -print | LC_ALL=C sort |
                while IFS= read -r f; do
                    printf '%s\n' "$f"
                    if [ -L "$f" ]; then readlink "$f"; else cat "$f"; fi
                done)
        elif [ -e "$p" ]; then
            cat "$p"
        fi
    done | sha256sum | cut -c1-16
}

# set_epoch PATH...: exports SOURCE_DATE_EPOCH for the stage about to run:
# the time of the last commit that changed PATH... (the stage's own
# sources), so that it is a function of the commit and a stage's output
# stays the same whether it is built cold or found in the cache.  Every
# time a stage writes into its output (archive mtimes, BusyBox's banner,
# the squashfs and ISO dates) is this one.  Outside a git checkout, the
# caller's SOURCE_DATE_EPOCH is used; without either the build stops.
# The stages put "epoch:$SOURCE_DATE_EPOCH" in their hash.
set_epoch() {
    t=$(git -C "$TOP" log -1 --format=%ct -- "$@" 2>/dev/null) || t=
    [ -n "$t" ] || t=${XENLIVE_EPOCH_FALLBACK:=${SOURCE_DATE_EPOCH:-}}
    [ -n "$t" ] ||
        die "cannot date the build: $TOP is not a git checkout and SOURCE_DATE_EPOCH is not set"
    SOURCE_DATE_EPOCH=$t
    export SOURCE_DATE_EPOCH
}

# normalize_tree DIR: every file's time (links too) becomes SOURCE_DATE_EPOCH,
# before DIR is archived.
normalize_tree() {
    find "$1" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
}

# stage_dir NAME: the output folder of a stage that has completed: the one
# this run made or found for its own inputs (stage sets STAGE_DIR_NAME), or
# else the cache's "current" one, the last that any build made or found.
# Another build from another tree may change "current" at any time, so a
# run never reads it for a stage it has run itself.
stage_dir() {
    eval "d=\${STAGE_DIR_$(echo "$1" | tr -c 'a-zA-Z0-9\n' _):-}"
    [ -z "$d" ] || { echo "$d"; return 0; }
    cat "$XENLIVE_CACHE/stages/$1/current" 2>/dev/null ||
        die "stage '$1' has not been built; run ./build.sh $1"
}

# stage NAME HASH FUNCTION: runs FUNCTION with $W set to an empty work
# folder, unless the output for HASH exists already.
stage() {
    STAGE=$1 hash=$2 fn=$3
    base=$XENLIVE_CACHE/stages/$STAGE
    dest=$base/$hash
    LOG=$XENLIVE_CACHE/logs/$STAGE.log
    mkdir -p "$base" "$XENLIVE_CACHE/logs"
    start=$(date +%s)
    eval "STAGE_DIR_$(echo "$STAGE" | tr -c 'a-zA-Z0-9\n' _)=\$dest"
    if [ -f "$dest/.done" ]; then
        printf '%s\n' "$dest" >"$base/current"
        msg "==> $STAGE: cached ($hash), 0s"
        return 0
    fi
    msg "==> $STAGE ($hash, log: $LOG)"
    : >"$LOG"
    W=$dest.work
    rm -rf "$W"
    mkdir -p "$W"
    "$fn"
    touch "$W/.done"
    rm -rf "$dest"
    mv "$W" "$dest"
    printf '%s\n' "$dest" >"$base/current"
    # Keep the two newest outputs of each stage; older ones are only disk.
    # shellcheck disable=SC2012 # our own hex-named folders
    ls -dt "$base"/*/ 2>/dev/null | tail -n +3 | while IFS= read -r old; do rm -rf "$old"; done
    msg "    $STAGE: done in $(( $(date +%s) - start ))s"
}

# ---------------------------------------------------------------- deps

deps() {
    missing=
    for p in $HOST_PACKAGES; do
        dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'ok installed' ||
            missing="$missing $p"
    done
    [ -z "$missing" ] && return 0
    [ "$(id -u)" = 0 ] || die "missing Debian packages:$missing (run as root to install them)"
    msg "==> deps: installing$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null || die "apt-get update failed"
    # shellcheck disable=SC2086 # a list of package names
    apt-get install -y -qq --no-install-recommends $missing >/dev/null ||
        die "apt-get install failed for:$missing"
}

# ---------------------------------------------------------------- main

. "$TOP/rootfs/fetch.sh"
. "$TOP/hypervisor/stage.sh"
. "$TOP/rootfs/programs.sh"
. "$TOP/rootfs/stage.sh"
. "$TOP/rootfs/dropbear.sh"
. "$TOP/guest-images/kernel/stage.sh"
. "$TOP/guest-images/stage.sh"
. "$TOP/iso/stage.sh"

main() {
    NAMED_STAGES=" $* "
    # shellcheck disable=SC2086 # a list of stage names
    [ $# -gt 0 ] || set -- deps $STAGES
    for s in "$@"; do
        case " deps $STAGES " in
            *" $s "*) ;;
            *) die "unknown stage '$s' (stages: deps $STAGES)" ;;
        esac
    done
    for s in "$@"; do
        if [ "$s" = deps ]; then deps; else "build_$s"; fi
    done
}

# XENLIVE_SOURCE_ONLY=1: only define the stages and helpers (for tests).
[ "${XENLIVE_SOURCE_ONLY:-}" = 1 ] || main "$@"
