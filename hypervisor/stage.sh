# shellcheck shell=sh
# Stage "hypervisor": Xen and the dom0 kernel, as GRUB loads them.
#
# Makes, in the stage folder:
#   xen.gz            Debian's Xen hypervisor (multiboot2)
#   vmlinuz           Debian's kernel, for dom0 and guests
#   kernel-version    its version, e.g. 6.1.0-27-amd64
#   cmdline.conf      the boot command lines (hypervisor/cmdline.conf)

hypervisor_run() {
    sysroot=$FETCH/sysroot
    step "take Xen $XEN_SERIES and the kernel from the fetched packages"
    run cp "$sysroot/boot/xen-$XEN_SERIES-amd64.gz" "$W/xen.gz"
    set -- "$sysroot"/boot/vmlinuz-*
    [ $# -eq 1 ] || die "stage hypervisor: expected one kernel in $sysroot/boot, found $#"
    run cp "$1" "$W/vmlinuz"
    basename "$1" | sed 's/^vmlinuz-//' >"$W/kernel-version"
    run cp "$TOP/hypervisor/cmdline.conf" "$W/cmdline.conf"
}

build_hypervisor() {
    . "$TOP/hypervisor/version.conf"
    FETCH=$(stage_dir fetch)
    stage hypervisor "$(hash_inputs "$TOP/hypervisor/stage.sh" \
        "$TOP/hypervisor/cmdline.conf" "fetch:${FETCH##*/}")" hypervisor_run
}
