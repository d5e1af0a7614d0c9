# shellcheck shell=sh
# Stage "programs": dom0's static musl programs, from the pinned suite's
# sources, built once and kept apart from the root's assembly, so that a
# change to xenlive (src/) or an overlay does not rebuild them.
#
# Makes, in the stage folder:
#   busybox           BusyBox from Debian's source, static, musl
#   dropbearmulti     Dropbear from Debian's source, static, musl
#                     (rootfs/dropbear.sh)
#   xenlive-agent     the guest agent (src/agent/), static, musl; every
#                     guest image carries it
# The rootfs stage installs both in dom0; the guests stage and the Tiny
# image take them from here too.

# programs_musl_gcc: $MUSL_GCC, a musl-gcc for the fetched suite's musl: the
# host's gcc with the suite's musl-gcc.specs, its paths moved into the
# fetched tree.  So BusyBox and Dropbear link the musl (and build against
# the kernel headers) of the release the CD pins, whatever the host runs.
programs_musl_gcc() {
    step "make a musl-gcc for $DEBIAN_SUITE's musl (fetched musl-tools and musl-dev)"
    sysroot=$FETCH/sysroot
    specs=$sysroot/usr/lib/x86_64-linux-musl/musl-gcc.specs
    [ -f "$specs" ] || die "stage programs: no musl-gcc.specs in the fetched packages (musl-tools)"
    mkdir -p "$W/musl"
    sed -e "s|/usr/include/x86_64-linux-musl|$sysroot/usr/include/x86_64-linux-musl|g" \
        -e "s|/usr/lib/x86_64-linux-musl|$sysroot/usr/lib/x86_64-linux-musl|g" \
        "$specs" >"$W/musl/musl-gcc.specs"
    # musl-gcc sees only musl's headers; BusyBox also needs the kernel's.
    inc=$W/musl/kernel-headers
    mkdir -p "$inc"
    for d in linux asm-generic mtd; do ln -s "$sysroot/usr/include/$d" "$inc/$d"; done
    ln -s "$sysroot/usr/include/$MULTIARCH/asm" "$inc/asm"
    MUSL_GCC="gcc -specs $W/musl/musl-gcc.specs"
    PREFIX_MAP="-ffile-prefix-map=$FETCH/src=/usr/src -ffile-prefix-map=$W=/build"
    MUSL_GCC_KERNEL_HEADERS="-isystem $inc"
}

programs_busybox() {
    step "build BusyBox with musl-gcc (static, config rootfs/busybox.config)"
    b=$W/busybox-build
    mkdir -p "$b"
    # BusyBox's Kconfig ignores KCONFIG_ALLCONFIG for booleans, so: all
    # off, then the fragment's lines on top, then oldconfig (defaults for
    # the sub-options that became visible), then check each line held.
    run make -C "$FETCH/src/busybox" O="$b" allnoconfig
    sed -e 's/#.*//' -e '/^$/d' "$TOP/rootfs/busybox.config" >"$b/fragment"
    awk -F= 'NR == FNR { want[$1] = $0; next }
        { name = $1; sub(/^# /, "", name); sub(/ is not set$/, "", name) }
        name in want { print want[name]; delete want[name]; next }
        { print }
        END { for (n in want) print want[n] }' "$b/fragment" "$b/.config" >"$b/.config.new"
    mv "$b/.config.new" "$b/.config"
    run sh -c "yes '' | make -C '$b' oldconfig"
    while IFS= read -r opt; do
        grep -qxF "$opt" "$b/.config" ||
            die "stage programs: rootfs/busybox.config: '$opt' did not take effect"
    done <"$b/fragment"
    # The source and build folders are inside the cache, whose path is the
    # builder's: no output may carry them.
    run make -C "$b" -j"$(nproc)" CC="$MUSL_GCC $MUSL_GCC_KERNEL_HEADERS $PREFIX_MAP" HOSTCC=gcc busybox
    cp "$b/busybox" "$W/busybox"
}

programs_agent() {
    step "build xenlive-agent with musl-gcc (static, src/agent)"
    # shellcheck disable=SC2086 # MUSL_GCC is a command and its options
    run $MUSL_GCC $PREFIX_MAP -ffile-prefix-map="$TOP/src=src" -std=c11 -D_GNU_SOURCE -Wall -Wextra \
        -Werror -Os -static -s \
        -o "$W/xenlive-agent" "$TOP/src/agent/agent.c" "$TOP/src/agent/main.c"
}

programs_run() {
    programs_musl_gcc
    programs_busybox
    programs_dropbear
    programs_agent
    rm -rf "$W/busybox-build" "$W/musl"
}

build_programs() {
    . "$TOP/hypervisor/version.conf"
    need gcc gcc
    FETCH=$(stage_dir fetch)
    # BusyBox's banner carries SOURCE_DATE_EPOCH as its build time.
    set_epoch "$TOP/rootfs/programs.sh" "$TOP/rootfs/dropbear.sh" "$TOP/rootfs/busybox.config" \
        "$TOP/src/agent"
    stage programs "$(hash_inputs "$TOP/rootfs/programs.sh" "$TOP/rootfs/dropbear.sh" \
        "$TOP/rootfs/busybox.config" "$TOP/src/agent" "fetch:${FETCH##*/}" "epoch:$SOURCE_DATE_EPOCH")" programs_run
}
