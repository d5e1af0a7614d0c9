#!/bin/sh
# check-iso.sh: offline checks of a built ISO, without booting it.
#
#   tests/offline/check-iso.sh [ISO]      (default out/xenlive.iso)
#
# Checks the boot records (El Torito BIOS + UEFI, MBR for USB sticks), the
# GRUB menu, and the dom0 root inside /boot/initrd.img: what must be there,
# that every program finds its libraries, and that BusyBox is static musl.
set -eu

TOP=$(cd "$(dirname "$0")/../.." && pwd)
ISO=${1:-$TOP/out/xenlive.iso}
[ -f "$ISO" ] || { echo "check-iso.sh: no ISO at $ISO" >&2; exit 1; }

# The release pin: XEN_SERIES, DEBIAN_SUITE.
. "$TOP/hypervisor/version.conf"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
passed=0 failed=0

ok() { passed=$((passed + 1)); printf '  ok    %s\n' "$1"; }
not_ok() { failed=$((failed + 1)); printf '  FAIL  %s\n' "$1"; [ -z "${2:-}" ] || printf '        %s\n' "$2"; }

# check "what" COMMAND...: one check, passed when COMMAND succeeds.
check() {
    what=$1; shift
    if out=$("$@" 2>&1); then ok "$what"; else not_ok "$what" "$(printf '%s' "$out" | head -n 5)"; fi
}

# --- boot records
xorriso -indev "$ISO" -report_el_torito plain >"$tmp/eltorito" 2>/dev/null
xorriso -indev "$ISO" -report_system_area plain >"$tmp/sysarea" 2>/dev/null
xorriso -indev "$ISO" -pvd_info >"$tmp/pvd" 2>/dev/null
check "El Torito boot entry for BIOS" grep -Eq '^El Torito boot img : +[0-9]+ +BIOS +y' "$tmp/eltorito"
check "El Torito boot entry for UEFI" grep -Eq '^El Torito boot img : +[0-9]+ +UEFI +y' "$tmp/eltorito"
check "MBR partition table for USB sticks (hybrid image)" grep -q 'MBR partition table' "$tmp/sysarea"
check "boot signature 55aa at the end of sector 0" \
    test "$(od -An -tx1 -j510 -N2 "$ISO" | tr -d ' ')" = 55aa
# LABEL: the label dom0 looks for.
. "$TOP/overlays/images/etc/xenlive/medium.conf"
check "volume label $LABEL (what 60-images looks for)" grep -Eq "^Volume Id +: $LABEL\$" "$tmp/pvd"

# --- files and GRUB menu
for f in /boot/xen.gz /boot/vmlinuz /boot/initrd.img /boot/grub/grub.cfg /xenlive/manifest; do
    xorriso -osirrox on -indev "$ISO" -extract "$f" "$tmp/iso$f" >/dev/null 2>&1 || :
    check "ISO has $f" test -s "$tmp/iso$f"
done
cfg=$tmp/iso/boot/grub/grub.cfg
check "Xen is booted with multiboot2" grep -Eq '^ +multiboot2 /boot/xen.gz ' "$cfg"
check "dom0 kernel and initramfs are module2" sh -c \
    "grep -Eq '^ +module2 /boot/vmlinuz ' '$cfg' && grep -Eq '^ +module2 /boot/initrd.img$' '$cfg'"
check "dom0 sized with the host, growing to a larger max (dom0_mem=SIZE+PCT%,max:SIZE+PCT%)" \
    grep -Eq 'multiboot2 .* dom0_mem=[0-9]+[MG]\+[0-9]+%,max:[0-9]+[MG]\+[0-9]+%( |$)' "$cfg"
check "Xen console on com1 and vga" grep -q 'multiboot2 .* console=com1,vga' "$cfg"
check "GRUB menu on the serial port too" grep -Eq '^terminal_output .*serial' "$cfg"
check "GRUB default entry and short timeout" \
    sh -c "grep -Eq '^set default=0$' '$cfg' && grep -Eq '^set timeout=[1-9]$' '$cfg'"
check "a fallback menu entry" test "$(grep -c '^menuentry ' "$cfg")" -ge 2
check "Xen is $XEN_SERIES (manifest)" \
    grep -q "^xen-hypervisor-$XEN_SERIES-amd64=$XEN_SERIES\\." "$tmp/iso/xenlive/manifest"
check "the manifest names the suite $DEBIAN_SUITE" grep -qx "debian-suite=$DEBIAN_SUITE" "$tmp/iso/xenlive/manifest"
check "the manifest lists the Debian image's packages (systemd, openssh-server)" sh -c \
    "sed -n '/^# image debian\$/,/^# image /p' '$tmp/iso/xenlive/manifest' | grep -q '^systemd=' &&
     sed -n '/^# image debian\$/,/^# image /p' '$tmp/iso/xenlive/manifest' | grep -q '^openssh-server='"
# Debian's packages, dom0's (up to the first image) and the Debian image's,
# each with the SHA256 of its .deb (or .dsc).
manifest_debs() {
    { sed '/^# image /q' "$tmp/iso/xenlive/manifest"; sed -n '/^# image debian$/,/^# image /p' "$tmp/iso/xenlive/manifest"; } |
        grep '^[a-z0-9][^ =]*=' | grep -v '^debian-suite='
}
# At least 100 Debian packages, every one with a SHA256.
manifest_debs_ok() {
    [ "$(manifest_debs | grep -c ' sha256:[0-9a-f]\{64\}$')" -gt 100 ] &&
        ! manifest_debs | grep -v ' sha256:[0-9a-f]\{64\}$'
}
check "every Debian package in the manifest has its SHA256" manifest_debs_ok
check "xen.gz is a gzip file" sh -c "file -b '$tmp/iso/boot/xen.gz' | grep -q '^gzip'"

# --- the dom0 root
root=$tmp/root
mkdir -p "$root"
if ! "$TOP/tests/offline/unpack_initrd.py" "$tmp/iso/boot/initrd.img" "$root" >"$tmp/archives" 2>&1; then
    not_ok "unpack /boot/initrd.img" "$(tail -n 1 "$tmp/archives")"
    echo "offline: $passed passed, $failed failed"
    exit 1
fi
check "initrd.img is two concatenated archives (dom0 root, guests)" grep -qx '2 archives' "$tmp/archives"
for f in /init /etc/inittab /etc/init.d/rcS /etc/rc.d/10-mounts /etc/rc.d/30-xen \
    /usr/sbin/xl /usr/sbin/xenstored /usr/sbin/xenconsoled /usr/sbin/xen-init-dom0 \
    /usr/lib/xen-$XEN_SERIES/bin/libxl-save-helper /usr/bin/xenstore-read \
    /etc/xen/scripts/block /etc/xen/scripts/vif-bridge /etc/xen/xl.conf \
    /usr/bin/bash /usr/bin/flock /usr/sbin/losetup \
    /usr/lib/x86_64-linux-gnu/libgcc_s.so.1 /usr/lib64/ld-linux-x86-64.so.2 \
    /usr/share/xenlive/guest/vmlinux /usr/share/xenlive/guest/initrd.img \
    /usr/bin/xenlive /etc/rc.d/60-images /etc/rc.d/15-options /usr/bin/dhcp_release; do
    check "dom0 has $f" test -e "$root$f"
done
kver=$(ls "$root/usr/lib/modules")
for m in xen-evtchn xen-privcmd xen-gntdev xenfs xen-blkback xen-netback loop \
    squashfs overlay bridge isofs sr_mod usb-storage; do
    check "dom0 has module $m" sh -c \
        "grep -Eq '(^|/)$(printf '%s' "$m" | sed 's/[-_]/[-_]/g')\\.ko:' '$root/usr/lib/modules/$kver/modules.dep'"
done
check "modules.dep lists only modules that are present" sh -c "
    cd '$root/usr/lib/modules/$kver' && cut -d: -f1 modules.dep | while read -r k; do
        [ -f \"\$k\" ] || { echo \"missing \$k\"; exit 1; }; done"

# Every dynamic ELF file finds each NEEDED library in the root's lib folder.
check "every program's shared libraries are in the root" sh -c "
    find '$root' -type f | while read -r f; do
        [ \"\$(head -c 4 \"\$f\" | od -An -c | tr -d ' ')\" = '177ELF' ] || continue
        readelf -d \"\$f\" 2>/dev/null | sed -n 's/.*(NEEDED).*\\[\\(.*\\)\\]/\\1/p' |
        while read -r so; do
            [ -e '$root/usr/lib/x86_64-linux-gnu/'\"\$so\" ] || { echo \"\$f needs \$so\"; exit 1; }
        done || exit 1
    done"

bb=$root/usr/bin/busybox
check "BusyBox is statically linked" sh -c "file -b '$bb' | grep -q 'statically linked'"
check "BusyBox has no program interpreter" sh -c "! readelf -l '$bb' | grep -q INTERP"
# musl's strerror(0) text; glibc says "Success" and carries its banner.
check "BusyBox is linked with musl, not glibc" sh -c \
    "grep -aq 'No error information' '$bb' && ! grep -aq 'GNU C Library' '$bb'"
check "/bin/sh is BusyBox" test "$(readlink "$root/usr/bin/sh")" = busybox
check "inittab gives hvc0 and tty1 a console" sh -c \
    "grep -q '^hvc0::respawn:' '$root/etc/inittab' && grep -q '^tty1::respawn:' '$root/etc/inittab'"
check "the guest kernel is an uncompressed ELF" sh -c \
    "file -b '$root/usr/share/xenlive/guest/vmlinux' | grep -q '^ELF 64-bit'"

# --- guest images on the medium
for name in tiny debian; do
    d=$tmp/iso/xenlive/images/$name
    mkdir -p "$d"
    for f in image.conf rootfs.squashfs apps; do
        xorriso -osirrox on -indev "$ISO" -extract "/xenlive/images/$name/$f" "$d/$f" >/dev/null 2>&1 || :
    done
    check "image $name is on the ISO and marked available" grep -qx 'AVAILABLE=yes' "$d/image.conf"
    check "image $name: rootfs.squashfs matches the SHA256 in image.conf" sh -c \
        "[ \"\$(sed -n 's/^SHA256=//p' '$d/image.conf')\" = \"\$(sha256sum '$d/rootfs.squashfs' | cut -d' ' -f1)\" ]"
    unsquashfs -q -l "$d/rootfs.squashfs" >"$d/list" 2>/dev/null || :
    check "image $name has an init" grep -Eq '^squashfs-root/(sbin/init|usr/sbin/init)$' "$d/list"
    check "image $name carries no SSH host keys" sh -c "! grep -q 'etc/ssh/ssh_host_' '$d/list'"
    check "image $name carries xenlive-agent" grep -Eq '^squashfs-root/usr/(local/)?sbin/xenlive-agent$' "$d/list"
    check "image $name lists web, cpu-burn and mem-fill (apps)" sh -c \
        "grep -q '^web|' '$d/apps' && grep -q '^cpu-burn|' '$d/apps' && grep -q '^mem-fill|' '$d/apps'"
done
check "the Debian image starts the agent (xenlive-agent.service)" grep -q \
    'etc/systemd/system/multi-user.target.wants/xenlive-agent.service$' "$tmp/iso/xenlive/images/debian/list"
check "the Tiny image starts the agent (inittab)" sh -c \
    "unsquashfs -q -cat '$tmp/iso/xenlive/images/tiny/rootfs.squashfs' etc/inittab | grep -q '^::respawn:/usr/sbin/xenlive-agent'"
check "dom0 copies each image's apps (60-images)" grep -q 'apps' "$root/etc/rc.d/60-images"
check "xenlive is linked against libxenstore" sh -c "readelf -d '$root/usr/bin/xenlive' | grep -q 'libxenstore'"
xorriso -osirrox on -indev "$ISO" -extract /xenlive/images/centos/image.conf "$tmp/centos.conf" >/dev/null 2>&1 || :
check "CentOS is in the catalog, built or with the reason it is not" sh -c \
    "grep -qx 'AVAILABLE=yes' '$tmp/centos.conf' || grep -q '^UNAVAILABLE_REASON=\"..*\"' '$tmp/centos.conf'"
ginit=$tmp/guest-initrd
mkdir -p "$ginit"
(cd "$ginit" && gzip -dc "$root/usr/share/xenlive/guest/initrd.img" | cpio -id --quiet 2>/dev/null) || :
# The guests stage ships kernel.config only with xenlive's own kernel
# (GUEST_KERNEL=xenlive): then the drivers are built in, not modules.
kconfig=$root/usr/share/xenlive/guest/kernel.config
if [ -f "$kconfig" ]; then
    check "guest kernel (xenlive's): its .config holds guest-images/kernel/xenlive.config" \
        "$TOP/tests/offline/check-kernel-config.sh" "$kconfig"
    check "guest kernel (xenlive's) loads at 2 MiB (CONFIG_PHYSICAL_START)" sh -c \
        "readelf -lW '$root/usr/share/xenlive/guest/vmlinux' | grep -Eq 'LOAD +0x[0-9a-f]+ 0x[0-9a-f]+ 0x0+200000 '"
    check "guest initramfs has no modules (xenlive's kernel has no module loader)" \
        test ! -e "$ginit/usr/lib/modules"
else
    for m in xen-blkfront xen-netfront squashfs overlay; do
        check "guest initramfs has module $m" sh -c \
            "find '$ginit/usr/lib/modules' -name '$(printf '%s' "$m" | sed 's/-/[-_]/g').ko' | grep -q ."
    done
fi
check "guest initramfs has an init that switch_roots" grep -q 'switch_root' "$ginit/init"
check "xenlive is linked against libxl" sh -c "readelf -d '$root/usr/bin/xenlive' | grep -q 'libxenlight'"
# The terminals people SSH in from (rootfs/files), and no more of ncurses-term.
for t in l/linux v/vt100 x/xterm x/xterm-256color t/tmux-256color s/screen-256color \
    x/xterm-kitty a/alacritty f/foot w/wezterm g/ghostty; do
    check "dom0 has the terminfo entry $t" test -f "$root/usr/share/terminfo/$t"
done
check "dom0 has at most 100 terminfo entries" \
    test "$(find "$root/usr/share/terminfo" ! -type d | wc -l)" -le 100

# --- networking and SSH
for f in /usr/sbin/dnsmasq /usr/sbin/nft /usr/sbin/dropbear /usr/bin/dbclient \
    /usr/bin/dropbearkey /usr/bin/ssh /usr/sbin/chpasswd /usr/sbin/udhcpc /usr/sbin/brctl \
    /usr/share/udhcpc/default.script /etc/rc.d/40-network /etc/rc.d/50-ssh \
    /etc/xenlive/nat.nft /etc/xenlive/bridged.nft /etc/xenlive/dnsmasq.conf; do
    check "dom0 has $f" test -e "$root$f"
done
check "/etc/hosts links to the run folder's (40-network writes it; xenlive adds guests, bridged)" \
    test "$(readlink "$root/etc/hosts")" = /run/xenlive/hosts
for m in nf_tables nft_masq nft_chain_nat nft_reject_inet nft_reject_bridge xen-netback e1000; do
    check "dom0 has module $m" sh -c \
        "grep -Eq '(^|/)$(printf '%s' "$m" | sed 's/[-_]/[-_]/g')\\.ko:' '$root/usr/lib/modules/$kver/modules.dep'"
done
db=$(readlink -f "$root/usr/sbin/dropbear")
check "dropbear is static (no program interpreter)" sh -c "! readelf -l '$db' | grep -q INTERP"
check "root's password starts locked (no password works before boot sets one)" \
    grep -Eq '^root:[*!]' "$root/etc/shadow"
check "no SSH keys are baked into dom0" sh -c \
    "! find '$root/etc/dropbear' '$root/root/.ssh' -type f 2>/dev/null | grep -q ."
check "init keeps dropbear running" grep -q '^::respawn:/etc/init.d/sshd$' "$root/etc/inittab"
check "dropbear does not allow blank passwords (no -B)" sh -c \
    "grep '^exec .*dropbear' '$root/etc/init.d/sshd' | grep -qv -- ' -B'"
# nft checks the rules against this host's kernel without loading them.
# (bridged.nft is checked by the cmdline boot test: its bridge-family reject
# needs nft_reject_bridge, which a host kernel may lack.)
check "nftables: nat.nft is valid (nft -c)" nft -c -f "$root/etc/xenlive/nat.nft"
check "nat.nft masquerades the guests' network" grep -q 'ip saddr 10.99.0.0/24 .*masquerade' \
    "$root/etc/xenlive/nat.nft"
check "dnsmasq.conf parses (dnsmasq --test)" dnsmasq --test -C "$root/etc/xenlive/dnsmasq.conf"
check "the Tiny image has dropbear" grep -Eq 'squashfs-root/usr/s?bin/dropbear$' \
    "$tmp/iso/xenlive/images/tiny/list"
check "guest initramfs installs dom0's key (xenlive.authkey)" grep -q 'xenlive.authkey=' "$ginit/init"

echo "offline: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
