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
#   bad-input     every xenlive command fed bad arguments (xenlive-fake)
#   tui-terminals the TUI in tmux: TERM fallbacks, dumb, too small (xenlive-fake)
#   centos-recipe the CentOS recipe against a local RPM repository
#   boot          four boots under QEMU/TCG (SeaBIOS and OVMF, CD and USB),
#                 each to "xenlive ready", xl info, a tiny guest
#   guests        xenlive launch: images in RAM, sharing, identity, OOM
#   damaged-image a corrupt image on the medium is left out, with its reason
#   tui           the TUI on the serial console: t launches, q shell, exit
#   net           nat networking and SSH: dropbear with the boot's password
#                 (sshpass), ssh NAME from dom0, names, NAT to the host's
#                 HTTP server, guests refused at dom0's port 22, TUIs over SSH
#   agent         xenlive-agent's figures (USED vs free, IP), a/A in the TUI
#   save-migrate  suspend to a XENLIVE-DATA disk, reboot, restore; three
#                 moves to localhost; pair and a move over dbclient; a save
#                 into a full volume refused
#   faults        callers at once (4 launches, 3 saves and restores, two
#                 restores of one save), kill -9 of an xl monitor, destroy
#                 0.3/2/5 s into a launch, /run full: nothing leaked
#   soak-30       30 guest lifecycles (launch, up, ssh, save, restore,
#                 stop or destroy), 3 at a time, leak counters every 10
#                 (make soak runs 1000)
#   cmdline       xenlive.ui=shell, autostart=, net=bridged, password=,
#                 sshkey=, typed into GRUB
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
# with_fake CMD...: CMD once src/build/test/xenlive-fake is built.
with_fake() { make -C "$TOP/src" -s fake && "$@"; }
suite bad-input with_fake "$TOP/tests/offline/bad_input_test.py"
suite tui-terminals with_fake "$TOP/tests/offline/tui_terminal_test.py"
suite offline "$TOP/tests/offline/check-iso.sh"
suite build-errors "$TOP/tests/offline/build-errors.sh"
suite repro "$TOP/tests/repro.sh"
suite centos-recipe "$TOP/tests/centos/test-recipe.sh"
for way in "bios cd" "uefi cd" "uefi usb" "bios usb"; do
    # shellcheck disable=SC2086 # "firmware media"
    set -- $way
    suite "boot-$1-$2" "$TOP/tests/boot/boot_test.py" --firmware "$1" --media "$2" \
        --log "$LOGS/boot-$1-$2.log"
done
suite guests "$TOP/tests/boot/guests_test.py" --log "$LOGS/guests.log"
suite damaged-image "$TOP/tests/boot/damaged_test.py" --log "$LOGS/damaged.log"
suite tui "$TOP/tests/boot/tui_test.py" --log "$LOGS/tui.log" --screen "$LOGS/tui-screen.txt"
suite agent "$TOP/tests/boot/agent_test.py" --log "$LOGS/agent.log"
suite save-migrate "$TOP/tests/boot/save_disk_test.py" --log "$LOGS/save-migrate.log"
suite net "$TOP/tests/boot/net_test.py" --log "$LOGS/net.log"
suite cmdline "$TOP/tests/boot/cmdline_test.py" --log "$LOGS/cmdline.log"
suite faults "$TOP/tests/boot/faults_test.py" --log "$LOGS/faults.log"
suite soak-30 "$TOP/tests/boot/soak_test.py" --cycles 30 --every 10 --log "$LOGS/soak-30.log"

[ -z "$failures" ] || echo "failed:$failures (logs in $LOGS)"
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
