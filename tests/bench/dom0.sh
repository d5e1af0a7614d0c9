# shellcheck shell=sh
# dom0.sh: what the benchmark measures inside dom0.  machine.py types it into
# /tmp/bench.sh once per boot, while dom0 is idle, and checks its SHA256,
# so that every later command is one short line: Xen drops serial input
# that arrives faster than a busy dom0 reads it.
#
#   sh /tmp/bench.sh COMMAND ARGS...
#
# Each command prints one line "bench VALUE..." (times are dom0's uptime,
# sizes KiB).  Comment lines are not typed: keep no tabs, and no here-documents.
LOGS=/var/log/xen/console

now() { cut -d' ' -f1 /proc/uptime; }
seconds() { cut -d. -f1 /proc/uptime; }
used_kib() { awk '/^MemTotal/ {t=$2} /^MemAvailable/ {a=$2} END {print t-a}' /proc/meminfo; }
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }  # utime + stime

case $1 in
# used: MemTotal - MemAvailable, and BusyBox free's "used".
used)
    echo "bench $(used_kib) $(free | awk '/^Mem:/ {print $3}')" ;;
# xen-free: Xen's free memory, MiB.
xen-free)
    echo "bench $(xl info | sed -n 's/^free_memory *: //p')" ;;
# guest-memory: the guests' memory together (xentop's MEM(k)).
guest-memory)
    xentop -b -i 1 | awk 'NR == 1 {for (i = 1; i <= NF; i++) if ($i == "MEM(k)") c = i}
        NR > 1 && $1 != "Domain-0" {s += $c} END {print "bench", s + 0}' ;;
# copy IMAGE N: dom0's growth for one more copy of the image in its tmpfs.
copy)
    before=$(used_kib)
    cp "/run/xenlive/images/$2/rootfs.squashfs" "/run/bench-copy-$3"
    echo "bench $(( $(used_kib) - before ))" ;;
uncopy)
    rm -f /run/bench-copy-*; echo "bench 0" ;;
# launch IMAGE MARKER LIMIT [MIB]: dom0's clock before `xenlive launch`
# (with -m MIB when given), when it returned, and when MARKER was in the
# guest's log (polled each 0.25 s
# with bash's read -t: BusyBox's sleep takes fractions only when built with
# CONFIG_FLOAT_DURATION, which older ISOs lack).
launch)
    rm -f "$LOGS"/guest-*.log
    [ -p /tmp/bench.fifo ] || mkfifo /tmp/bench.fifo
    sleep 2
    a=$(now)
    xenlive launch "$2" ${5:+-m "$5"} >/tmp/bench.out 2>&1
    rc=$?
    b=$(now)
    name=$(sed -n 's/^launched \([^ ]*\) .*/\1/p' /tmp/bench.out)
    bash -c 'until grep -q "$1" "$2" 2>/dev/null || [ $SECONDS -ge "$3" ]; do
        read -t 0.25 <>/tmp/bench.fifo; done' - "$3" "$LOGS/guest-$name.log" "$4"
    c=$(now)
    grep -q "$3" "$LOGS/guest-$name.log" 2>/dev/null
    echo "bench $rc $? $a $b $c ${name:--}" ;;
# xl-create NAME: destroys the guest with xl, times `xl create` of a copy
# of its config (xenlive removes the config of a domain that is gone),
# then lets xenlive destroy it.
xl-create)
    cp "/run/xenlive/domains/$2.cfg" /tmp/bench.cfg
    xl destroy "$2"
    sleep 2
    a=$(now)
    xl create /tmp/bench.cfg >/tmp/bench.out 2>&1
    rc=$?
    b=$(now)
    xenlive destroy "$2" >/dev/null 2>&1
    sleep 2
    echo "bench $rc $a $b" ;;
# guest-mem NAME: exit code of `xenlive ssh NAME`, and the guest's own
# MemTotal and MemAvailable (KiB) that it printed.
guest-mem)
    xenlive ssh "$2" cat /proc/meminfo >/tmp/bench.out 2>&1
    rc=$?
    echo "bench $rc $(awk '/^MemTotal/ {t=$2} /^MemAvailable/ {a=$2} END {print t+0, a+0}' /tmp/bench.out)" ;;
# agent-cost NAME SECONDS: the guest agent inside NAME (over xenlive ssh):
# its CPU ticks (utime + stime, USER_HZ) over SECONDS of the guest's own
# clock, the guest's ticks in all (its /proc/stat cpu line) over the same
# window, and the agent's RSS (KiB).  Exit code first.
agent-cost)
    xenlive ssh "$2" "p=\$(for d in /proc/[0-9]*; do [ \"\$(cat \$d/comm 2>/dev/null)\" = xenlive-agent ] && echo \${d#/proc/}; done | head -n 1)
        [ -n \"\$p\" ] || exit 7
        a() { awk '{print \$14 + \$15}' /proc/\$p/stat; }
        t() { awk '/^cpu / {print \$2+\$3+\$4+\$5+\$6+\$7+\$8}' /proc/stat; }
        a0=\$(a) t0=\$(t); sleep $3; a1=\$(a) t1=\$(t)
        echo \$((a1 - a0)) \$((t1 - t0)) \$(awk '/^VmRSS/ {print \$2}' /proc/\$p/status)" \
        >/tmp/bench.out 2>&1
    rc=$?
    echo "bench $rc $(tail -n 1 /tmp/bench.out)" ;;
# xl-pss: the proportional memory (KiB) of all xl processes: one stays
# beside each guest to act on its shutdown, reboot or crash.
xl-pss)
    s=0
    for d in /proc/[0-9]*; do
        [ "$(cat "$d/comm" 2>/dev/null)" = xl ] || continue
        s=$(( s + $(awk '/^Pss:/ {print $2}' "$d/smaps_rollup" 2>/dev/null || echo 0) ))
    done
    echo "bench $s" ;;
# launch-many IMAGE COUNT: exit code and how many were launched.
launch-many)
    xenlive launch "$2" -n "$3" >/tmp/bench.out 2>&1
    echo "bench $? $(grep -c '^launched ' /tmp/bench.out)" ;;
# wait-up MARKER COUNT SECONDS: how many guest logs hold MARKER, once COUNT
# do or SECONDS have passed.
wait-up)
    case $3 in *[!0-9]* | '') echo "bench.sh: wait-up: COUNT '$3' is not a whole number" >&2; exit 2 ;; esac
    end=$(( $(seconds) + $4 ))
    while :; do
        n=$(grep -l "$2" "$LOGS"/guest-*.log 2>/dev/null | wc -l)
        if [ "$n" -ge "$3" ] || [ "$(seconds)" -ge "$end" ]; then break; fi
        sleep 2
    done
    echo "bench $n" ;;
# destroy-all: no guests, no console logs, and Xen's free memory settled.
destroy-all)
    for n in $(xl list | awk 'NR > 2 {print $1}'); do xenlive destroy "$n" >/dev/null; done
    rm -f "$LOGS"/guest-*.log
    a=0
    b=$(xl info | grep free_memory)
    until [ "$a" = "$b" ]; do sleep 2; a=$b; b=$(xl info | grep free_memory); done
    echo "bench 0" ;;
# tui-cpu SECONDS: clock ticks the TUI on tty1 used over SECONDS, and the
# seconds that really passed.
tui-cpu)
    for d in /proc/[0-9]*; do
        [ "$(cat "$d/comm" 2>/dev/null)" = xenlive ] && [ "$(readlink "$d/fd/0")" = /dev/tty1 ] && pid=${d#/proc/}
    done
    s=$(now)
    a=$(ticks "$pid")
    sleep "$2"
    e=$(now)
    echo "bench $(( $(ticks "$pid") - a )) $s $e" ;;
*)
    echo "bench.sh: unknown command '$1'" >&2; exit 2 ;;
esac
