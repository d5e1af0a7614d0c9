#!/bin/sh
# test-recipe.sh: tests the CentOS recipe (guest-images/centos) without
# CentOS, against a local RPM repository of stand-in packages that
# make-fixture-repo.sh builds.  The image-centos stage runs as the build
# runs it (build.sh sourced with XENLIVE_SOURCE_ONLY=1, then build_image),
# with XENLIVE_CACHE in a scratch folder, three times:
#   1. fixture mirror, CENTOS_GPGCHECK=0: the image holds every package asked
#      for, the xenlive units, no docs, no weak dependencies, no kernel, no
#      SSH host keys, an empty machine-id; image.conf says AVAILABLE=yes with
#      the squashfs's SHA256
#   2. fixture mirror, signature checks on (the default): the unsigned
#      stand-ins are refused and the stage fails
#   3. unreachable mirror: the stage succeeds within 30 s without the image,
#      says so in one line, and image.conf says AVAILABLE=no
# Needs root (dnf --installroot), dnf, rpmbuild, createrepo_c, squashfs-tools.
# XENLIVE_BUILD_SH overrides the build.sh to source.  The last line counts
# passed and failed checks.
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
BUILD_SH=${XENLIVE_BUILD_SH:-$TOP/build.sh}
# The names in the recipe's package list, without its comments.
WANTED=$(sed -e 's/#.*//' "$TOP/guest-images/centos/packages" | tr -s '[:space:]' ' ')
# A loopback port where nothing listens: refused at once, never the network.
UNREACHABLE=http://127.0.0.1:9/
passed=0 failed=0

check() {
    what=$1; shift
    if "$@" >/dev/null 2>&1; then
        passed=$((passed + 1)); printf '  ok    %s\n' "$what"
    else
        failed=$((failed + 1)); printf '  FAIL  %s\n' "$what"
    fi
}

for tool in dnf rpm rpmbuild createrepo_c unsquashfs mksquashfs; do
    command -v "$tool" >/dev/null 2>&1 || { echo "test-recipe.sh: '$tool' is missing" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "test-recipe.sh: needs root (dnf --installroot)" >&2; exit 1; }
# Without library mode, sourcing build.sh would run the whole build.
grep -q XENLIVE_SOURCE_ONLY "$BUILD_SH" ||
    { echo "test-recipe.sh: $BUILD_SH has no library mode (XENLIVE_SOURCE_ONLY)" >&2; exit 1; }

S=$(mktemp -d "${TMPDIR:-/tmp}/xenlive-centos-test.XXXXXX")
finish() {
    if [ "$failed" -eq 0 ]; then rm -rf "$S"; else echo "scratch kept: $S"; fi
}
trap finish EXIT
trap 'exit 1' INT TERM
CACHE=$S/cache

# stage_run OUTPUT VAR=VALUE...: the image-centos stage, set up as
# build_guests sets it up (the stages before it are stand-ins: the recipe
# uses none of them), in a child shell so that a failure ends only it.
# $0 of the child is build.sh, so that build.sh finds its own folder.
stage_run() {
    o=$1; shift
    # shellcheck disable=SC2016 # expanded by the child shell
    env "$@" XENLIVE_CACHE="$CACHE" XENLIVE_SOURCE_ONLY=1 sh -c '
        . "$0"
        . "$TOP/hypervisor/version.conf"
        FETCH=/nonexistent HYPERVISOR=/nonexistent KVER=0 ROOTFS=/nonexistent
        BUSYBOX=/nonexistent
        export FETCH HYPERVISOR KVER ROOTFS BUSYBOX
        apt_setup
        build_image centos' "$BUILD_SH" >"$o" 2>&1
}

# The stage's hash does not cover CENTOS_MIRROR or CENTOS_GPGCHECK, so each
# run starts without the previous run's output (dnf's cache stays).
forget_stage() { rm -rf "$CACHE/stages/image-centos"; }

# in_root PATH: PATH resolved inside the image root $X, with absolute links
# taken as the guest takes them (into the image, not the host).
in_root() {
    rest=${1#/} cur='' hops=0
    while [ -n "$rest" ]; do
        part=${rest%%/*}
        case $rest in */*) rest=${rest#*/} ;; *) rest= ;; esac
        case $part in
            ''|.) continue ;;
            ..) cur=${cur%/*}; continue ;;
        esac
        if [ -L "$X$cur/$part" ]; then
            hops=$((hops + 1)); [ "$hops" -le 40 ] || return 1
            target=$(readlink "$X$cur/$part")
            case $target in /*) cur= ;; esac
            rest=${target#/}${rest:+/$rest}
        elif [ -e "$X$cur/$part" ]; then
            cur=$cur/$part
        else
            return 1
        fi
    done
    printf '%s\n' "$X$cur"
}

listed() { grep -qx "$1" "$S/list"; }
not_listed() { ! grep -q "$1" "$S/list"; }
exists_in_root() { in_root "$1" >/dev/null; }
all_links_resolve() {
    for l in "$X"/etc/systemd/system/*.wants/* "$X"/etc/systemd/system/*.service; do
        [ -L "$l" ] || continue
        t=$(readlink "$l")
        # A relative target is relative to the link's folder.
        case $t in /*) ;; *) d=${l%/*}; t=${d#"$X"}/$t ;; esac
        [ "$t" = /dev/null ] || in_root "$t" >/dev/null || return 1
    done
}
sha_matches() {
    [ "$(sed -n 's/^SHA256=//p' "$out/image.conf")" = \
      "$(sha256sum "$out/rootfs.squashfs" | cut -d' ' -f1)" ]
}
ends_with_available_yes() {
    [ "$(tail -n 2 "$out/image.conf" | head -n 1)" = AVAILABLE=yes ] &&
        tail -n 1 "$out/image.conf" | grep -qE '^SHA256=[0-9a-f]{64}$'
}
# rpm_db_ok: the image's rpm database (read from a copy: rpm may write to
# it) knows every package asked for.
rpm_db_ok() {
    rm -rf "$S/rpmdb" && cp -a "$X/var/lib/rpm" "$S/rpmdb" &&
        rpm --dbpath "$S/rpmdb" -qa --qf '%{NAME}\n' >"$S/rpm-qa" &&
        for p in $WANTED; do
            grep -qx "$p" "$S/rpm-qa" || return 1
        done
}
# not_wal DB: SQLite's header (bytes 18 and 19) says 2 in WAL mode, which a
# read-only root cannot open without its -shm file.
not_wal() { [ "$(od -An -tu1 -j18 -N2 "$1" | tr -d ' ')" = 11 ]; }
empty_file() { [ -f "$1" ] && [ ! -s "$1" ]; }
no_host_keys() { ! ls "$X"/etc/ssh/ssh_host_* >/dev/null 2>&1; }
keyfile_ok() {
    f=$X/etc/NetworkManager/system-connections/eth0.nmconnection
    [ "$(stat -c %a "$f")" = 600 ] && grep -qx 'interface-name=eth0' "$f" &&
        grep -qx 'method=auto' "$f"
}
# A file:// repository's packages are used in place, never copied to the
# cache; its metadata is.
dnf_cache_used() { find "$CACHE/dnf" -name repomd.xml | grep -q .; }
not_grep() { ! grep -q "$1" "$2"; }
status_is() { [ "$1" = "$2" ]; }
status_is_not() { [ "$1" != "$2" ]; }

echo "==> fixture: stand-in RPMs (make-fixture-repo.sh)"
"$TOP/tests/centos/make-fixture-repo.sh" "$S/repo" | sed 's/^/    /'

# ---------------------------------------------------------------- 1
echo "==> run 1: fixture mirror, CENTOS_GPGCHECK=0"
start=$(date +%s)
rc=0
stage_run "$S/run1.out" CENTOS_MIRROR="file://$S/repo" CENTOS_GPGCHECK=0 || rc=$?
echo "    (exit $rc, $(( $(date +%s) - start ))s)"
check "the stage succeeds" status_is "$rc" 0
out=$(cat "$CACHE/stages/image-centos/current" 2>/dev/null || echo "$S/none")
check "no 'not included in this build' line" not_grep 'not included in this build' "$S/run1.out"
check "rootfs.squashfs exists" test -s "$out/rootfs.squashfs"
check "image.conf ends with AVAILABLE=yes and SHA256" ends_with_available_yes
check "image.conf's SHA256 is the squashfs's" sha_matches
check "image.conf has the recipe's NAME=centos" grep -qx NAME=centos "$out/image.conf"
for p in $WANTED; do
    check "the image's manifest lists $p (NAME=EPOCH:VERSION-RELEASE)" \
        grep -Eq "^$p=[0-9]+:[^-]+-.+" "$out/manifest"
done
unsquashfs -l "$out/rootfs.squashfs" 2>/dev/null | sed -n 's|^squashfs-root||p' >"$S/list" || :
X=$S/x
unsquashfs -q -n -d "$X" "$out/rootfs.squashfs" >/dev/null 2>&1 || :
for p in $WANTED; do
    check "package $p is installed (its marker)" listed "/usr/share/xenlive-fixture/$p"
done
u=/etc/systemd/system
for f in $u/xenlive-ssh-keygen.service $u/xenlive-guest-up.service \
    $u/multi-user.target.wants/xenlive-ssh-keygen.service \
    $u/multi-user.target.wants/xenlive-guest-up.service \
    $u/getty.target.wants/console-getty.service \
    $u/console-getty.service.d/autologin.conf $u/serial-getty@hvc0.service; do
    check "image_systemd_setup: $f" listed "$f"
done
check "sshd.service is enabled" listed $u/multi-user.target.wants/sshd.service
check "NetworkManager.service is enabled" listed $u/multi-user.target.wants/NetworkManager.service
check "dbus.service is the D-Bus broker" listed $u/dbus.service
check "NetworkManager keyfile: DHCP on eth0, mode 600" keyfile_ok
check "every enabled unit's link resolves inside the image" all_links_resolve
for p in /sbin/agetty /usr/bin/ssh-keygen /bin/sh /usr/bin/hostname /etc/os-release; do
    check "the units' $p is in the image" exists_in_root "$p"
done
check "no SSH host keys" no_host_keys
check "/etc/machine-id is empty" empty_file "$X/etc/machine-id"
check "the rpm database is in /var/lib/rpm" listed /var/lib/rpm/rpmdb.sqlite
check "the rpm database lists the packages" rpm_db_ok
check "the rpm database is not in WAL mode" not_wal "$X/var/lib/rpm/rpmdb.sqlite"
check "no SQLite -wal/-shm files (a read-only root cannot fold them)" not_listed '\.sqlite-\(wal\|shm\)$'
check "no rpm database in /root/.rpmdb (Debian's default)" not_listed '^/root/\.rpmdb'
check "no /var/cache/dnf in the image" not_listed '^/var/cache/dnf'
check "no dnf logs in the image" not_listed '^/var/log/\(dnf\|hawkey\)'
check "no documentation (nodocs)" not_listed '^/usr/share/doc/.*/README'
check "no weak dependencies (xenlive-fixture-weak)" not_listed 'xenlive-fixture/xenlive-fixture-weak'
check "no kernel, no modules" not_listed '^/usr/share/xenlive-fixture/kernel\|/lib/modules'
check "dnf's cache is in \$XENLIVE_CACHE/dnf" dnf_cache_used

# ---------------------------------------------------------------- 2
echo "==> run 2: fixture mirror, signature checks on (the default)"
forget_stage
start=$(date +%s)
rc=0
stage_run "$S/run2.out" CENTOS_MIRROR="file://$S/repo" CENTOS_GPGCHECK= || rc=$?
echo "    (exit $rc, $(( $(date +%s) - start ))s)"
check "the stage fails" status_is_not "$rc" 0
check "because the stand-ins are not signed" grep -qi 'not signed' "$S/run2.out"
check "and leaves no image-centos output" test ! -e "$CACHE/stages/image-centos/current"

# ---------------------------------------------------------------- 3
echo "==> run 3: unreachable mirror ($UNREACHABLE)"
forget_stage
start=$(date +%s)
rc=0
stage_run "$S/run3.out" CENTOS_MIRROR="$UNREACHABLE" CENTOS_GPGCHECK= || rc=$?
took=$(( $(date +%s) - start ))
echo "    (exit $rc, ${took}s)"
sed -n 's/^ *\(centos: not included.*\)/    | \1/p' "$S/run3.out"
out=$(cat "$CACHE/stages/image-centos/current" 2>/dev/null || echo "$S/none")
check "the stage succeeds" status_is "$rc" 0
check "within 30 s (${took}s)" test "$took" -le 30
check "exactly one 'not included in this build' line" \
    test "$(grep -c 'not included in this build' "$S/run3.out")" -eq 1
check "image.conf says AVAILABLE=no" grep -qx AVAILABLE=no "$out/image.conf"
check "image.conf gives UNAVAILABLE_REASON with the mirror" \
    grep -q "^UNAVAILABLE_REASON=\".*127.0.0.1:9" "$out/image.conf"
check "no rootfs.squashfs" test ! -e "$out/rootfs.squashfs"

echo "centos-recipe: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
