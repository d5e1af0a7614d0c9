#!/bin/sh
# run.sh: the whole test suite (make test).  Expects a built out/xenlive.iso.
#
#   lint          shellcheck over every shell script
#   offline       the ISO's boot records, GRUB menu and dom0 root
#   build-errors  the build's messages and clean state on failure
#   repro         the commit rebuilt in another folder and cache (downloads
#                 reused) gives the same bytes, stage by stage
#   unit          the C unit tests (cmocka, sanitizers), cppcheck
#   fuzz          each libFuzzer target 16 s on its seed corpus (src/fuzz)
#   cmdline-fuzz  dom0's kernel command-line reader (cmdline.sh) on random lines
#   console       the QEMU tests' console driver against a fake dom0 shell:
#                 markers split by Xen's lines, slow output given once,
#                 xl dmesg's lines kept, a hang's last lines
#   bad-input     every xenlive command fed bad arguments (xenlive-fake)
#   tui-terminals the TUI in tmux: TERM fallbacks, dumb, too small (xenlive-fake)
#   centos-recipe the CentOS recipe against a local RPM repository
#   boot          four boots under QEMU/TCG (SeaBIOS and OVMF, CD and USB;
#                 512 MiB, 1, 2 and 4 GiB), each to "xenlive ready", dom0's
#                 size and the room line, xl info, a tiny guest
#   guests        xenlive launch: images in RAM, sharing, identity, OOM
#   damaged-image a corrupt image on the medium is left out, with its reason;
#                 bad xenlive.* options typed into GRUB are each named once
#   tui           the TUI on the serial console: t launches, q shell, exit
#   net           nat networking and SSH: dropbear with the boot's password
#                 (sshpass), ssh NAME from dom0, names, NAT to the host's
#                 HTTP server, guests refused at dom0's port 22, TUIs over SSH
#   agent         xenlive-agent's figures (USED vs free, IP), a/A in the TUI
#   save-migrate  suspend to a XENLIVE-DATA disk, reboot, restore; three
#                 moves to localhost of a Tiny and of a Debian guest (file,
#                 uptime and counter kept); pair and a move over dbclient; a
#                 save into a full volume refused
#   cmdline       xenlive.ui=shell, autostart=, net=bridged, password=,
#                 sshkey=, typed into GRUB
#   migrate       two machines (QEMU socket network on 127.0.0.1), bridged:
#                 pair, refusals (unpaired, full), a Tiny guest moved A->B
#                 (name taken there: renamed) and back while the other
#                 machine pings it; its state, LAN address, ping and MAC
#                 kept, nothing left behind (--net nat by hand: the same in
#                 NAT mode)
#   crash         faults survived, with 3 Tiny guests: per-guest open files and
#                 event channels; a guest kernel panic (its crashed row, the
#                 name reused); kill -9 of xenconsoled; a 90 s console flood
#                 (logs capped, memory level)
#   faults        callers at once (4 launches, 3 saves and restores, two
#                 restores of one save), kill -9 of an xl monitor, destroy
#                 0.3/2/5 s into a launch, /run full: nothing leaked
#   soak-30       make soak's short form: 30 Tiny lifecycles (launch, up,
#                 ssh, save, restore, stop/destroy), 3 at a time; no domain,
#                 config, loop device, vif, xl process, backend node or
#                 lease left (make soak: 1000)
#
# Console logs of the boots go to out/test-logs/.  The last line counts
# passed and failed suites.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
LOGS=$TOP/out/test-logs
mkdir -p "$LOGS"
passed=0 failed=0 failures=

suite() {
    name=$1; shift
    echo "==> test $name"
    start=$(date +%s)
    if "$@"; then
        passed=$((passed + 1))
        echo "    $name: passed in $(( $(date +%s) - start ))s"
    else
        failed=$((failed + 1))
        failures="$failures $name"
        echo "    $name: FAILED in $(( $(date +%s) - start ))s"
    fi
}

suite lint "$TOP/tests/lint.sh"
suite unit make -C "$TOP/src" check
suite cppcheck make -C "$TOP/src" lint
suite fuzz make -C "$TOP/src" fuzz-run FUZZ_SECONDS=16
suite cmdline-fuzz "$TOP/tests/offline/cmdline_fuzz_test.py"
suite console "$TOP/tests/offline/console_test.py"
# with_fake CMD...: CMD once src/build/test/xenlive-fake is built.
with_fake() { make -C "$TOP/src" -s fake && "$@"; }
suite bad-input with_fake "$TOP/tests/offline/bad_input_test.py"
suite tui-terminals with_fake "$TOP/tests/offline/tui_terminal_test.py"
suite offline "$TOP/tests/offline/check-iso.sh"
suite build-errors "$TOP/tests/offline/build-errors.sh"
suite repro "$TOP/tests/repro.sh"
suite centos-recipe "$TOP/tests/centos/test-recipe.sh"
# Each boot on another machine size: dom0 follows it (dom0_mem=SIZE+PCT%).
for way in "bios cd 512" "uefi cd 1024" "uefi usb 4096" "bios usb 2048"; do
    # shellcheck disable=SC2086 # "firmware media MiB"
    set -- $way
    suite "boot-$1-$2" "$TOP/tests/boot/boot_test.py" --firmware "$1" --media "$2" \
        --mem "$3" --log "$LOGS/boot-$1-$2.log"
done
suite guests "$TOP/tests/boot/guests_test.py" --log "$LOGS/guests.log"
suite damaged-image "$TOP/tests/boot/damaged_test.py" --log "$LOGS/damaged.log"
suite tui "$TOP/tests/boot/tui_test.py" --log "$LOGS/tui.log" --screen "$LOGS/tui-screen.txt"
suite agent "$TOP/tests/boot/agent_test.py" --log "$LOGS/agent.log"
suite save-migrate "$TOP/tests/boot/save_disk_test.py" --log "$LOGS/save-migrate.log"
suite net "$TOP/tests/boot/net_test.py" --log "$LOGS/net.log"
suite cmdline "$TOP/tests/boot/cmdline_test.py" --log "$LOGS/cmdline.log"
suite migrate "$TOP/tests/boot/migrate_test.py" --net bridged --log "$LOGS/migrate.log"
suite crash "$TOP/tests/boot/crash_test.py" --log "$LOGS/crash.log"
suite faults "$TOP/tests/boot/faults_test.py" --log "$LOGS/faults.log"
# make soak's short form: 30 guest lifecycles, no leak allowed.
suite soak-30 "$TOP/tests/boot/soak_test.py" --cycles 30 --every 10 --log "$LOGS/soak.log"

[ -z "$failures" ] || echo "failed:$failures (logs in $LOGS)"
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
