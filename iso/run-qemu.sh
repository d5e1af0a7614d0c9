#!/bin/sh
# run-qemu.sh: boots out/xenlive.iso in QEMU, serial console on this terminal.
#
#   iso/run-qemu.sh [--firmware bios|uefi] [--media cd|usb] [--mem MIB]
#                   [--iso FILE] [--gui] [--ssh-port PORT] [--netdev NETDEV]
#                   [--mac MAC] [-- QEMU-ARGS...]
#
# --firmware bios   SeaBIOS (default)       --media cd   a CD-ROM (default)
# --firmware uefi   OVMF, on a q35 machine  --media usb  a USB stick (the
#                                                        image written raw)
# --ssh-port PORT   dom0's SSH server on this host's 127.0.0.1:PORT (QEMU
#                   user networking, which the machine sees as a LAN with a
#                   DHCP server; the host's loopback is 10.0.2.2 there)
# --netdev NETDEV   the network card's QEMU -netdev instead of user
#                   networking, e.g. socket,listen=127.0.0.1:5555 on one
#                   machine and socket,connect=127.0.0.1:5555 on another:
#                   a LAN of their own, with no DHCP server on it
# --mac MAC         the network card's MAC (QEMU's default, 52:54:00:12:34:56,
#                   is the same for every machine: on a LAN of several, give
#                   each its own, or their bridges answer for each other)
# Quit with Ctrl-a x.  XENLIVE_ACCEL=kvm|tcg|auto (default auto: KVM only when
# a quick probe shows it runs a guest; it hangs on some hosts).
set -eu

TOP=$(cd "$(dirname "$0")/.." && pwd)
firmware=bios media=cd mem=2048 iso=$TOP/out/xenlive.iso gui='' ssh_port='' netdev='' mac=''
while [ $# -gt 0 ]; do
    case $1 in
        --firmware) firmware=$2; shift 2 ;;
        --media) media=$2; shift 2 ;;
        --mem) mem=$2; shift 2 ;;
        --iso) iso=$2; shift 2 ;;
        --gui) gui=1; shift ;;
        --ssh-port) ssh_port=$2; shift 2 ;;
        --netdev) netdev=$2; shift 2 ;;
        --mac) mac=$2; shift 2 ;;
        --) shift; break ;;
        *) echo "run-qemu.sh: unknown option '$1' (see the top of $0)" >&2; exit 2 ;;
    esac
done
[ -f "$iso" ] || { echo "run-qemu.sh: no ISO at $iso (run 'make' first)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# kvm_works: boots a one-sector disk under KVM that writes to QEMU's debug
# exit port; KVM works when QEMU exits with that code within a few seconds.
kvm_works() {
    [ -w /dev/kvm ] || return 1
    {
        printf '\260\001\346\364\364'              # mov al,1; out 0xf4,al; hlt
        head -c 505 /dev/zero
        printf '\125\252'                          # boot signature
    } >"$tmp/probe.img"
    rc=0
    timeout 10 qemu-system-x86_64 -accel kvm -m 64 -display none -nodefaults \
        -device isa-debug-exit -drive file="$tmp/probe.img",format=raw,if=ide \
        >/dev/null 2>&1 || rc=$?
    [ "$rc" -eq 3 ]
}

case ${XENLIVE_ACCEL:-auto} in
    kvm) accel=kvm ;;
    tcg) accel=tcg ;;
    auto) if kvm_works; then accel=kvm; else accel=tcg; fi ;;
    *) echo "run-qemu.sh: XENLIVE_ACCEL must be kvm, tcg or auto" >&2; exit 2 ;;
esac
if [ "$accel" = kvm ]; then
    cpu="-accel kvm -cpu host"
else
    # qemu64, as in Xen's own CI: TCG emulates this baseline CPU soundly.
    # With "max", Xen's PV dom0 dies at once unless SMAP/SMEP are removed,
    # and guests then crash in glibc and OpenSSL code that uses the newer
    # instructions (seen: ADX in OpenSSL's bignum code).  qemu64 has no
    # VMX/SVM either, so guests are PV, as they should be under TCG.
    # +rdrand: every x86-64 CPU since 2012 (Intel) and 2015 (AMD) has it,
    # and Linux seeds its random pool from it at boot.  Without it, each
    # guest's dropbearkey waited about 2 s under TCG for the kernel's
    # jitter entropy ("random: crng init done" at 4.1 s, with it at 0.8).
    tcg_cpu=qemu64,+rdrand
    cpu="-accel tcg -cpu $tcg_cpu"
fi
echo "run-qemu.sh: $accel, $firmware firmware, $media, $mem MiB" >&2

case $firmware in
    bios) fw= ;;
    uefi)
        code=/usr/share/OVMF/OVMF_CODE_4M.fd
        [ -f "$code" ] || { echo "run-qemu.sh: no $code (Debian package 'ovmf')" >&2; exit 1; }
        cp /usr/share/OVMF/OVMF_VARS_4M.fd "$tmp/vars.fd"
        fw="-drive if=pflash,format=raw,unit=0,readonly=on,file=$code
            -drive if=pflash,format=raw,unit=1,file=$tmp/vars.fd" ;;
    *) echo "run-qemu.sh: --firmware must be bios or uefi" >&2; exit 2 ;;
esac

# snapshot=on: the guest may write to the stick; the image stays as built.
case $media in
    cd) disk="-drive if=none,id=boot,media=cdrom,format=raw,readonly=on,file=$iso
              -device ide-cd,drive=boot,bootindex=0" ;;
    usb) disk="-drive if=none,id=boot,format=raw,snapshot=on,file=$iso
               -device qemu-xhci -device usb-storage,drive=boot,bootindex=0" ;;
    *) echo "run-qemu.sh: --media must be cd or usb" >&2; exit 2 ;;
esac

net=user,id=net0
[ -z "$ssh_port" ] || net="$net,hostfwd=tcp:127.0.0.1:$ssh_port-:22"
if [ -n "$netdev" ]; then
    [ -z "$ssh_port" ] || { echo "run-qemu.sh: --ssh-port needs user networking, not --netdev" >&2; exit 2; }
    net="$netdev,id=net0"
fi

if [ -n "$gui" ]; then display="-serial mon:stdio"; else display="-nographic"; fi

# shellcheck disable=SC2086 # word lists of QEMU options
qemu-system-x86_64 -machine q35 $cpu -smp 2 -m "$mem" $fw $disk \
    -netdev "$net" -device "e1000,netdev=net0${mac:+,mac=$mac}" \
    -no-reboot $display "$@"
