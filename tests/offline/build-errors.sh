#!/bin/sh
# build-errors.sh: the build's behaviour on failure.
#   - an unknown stage is one clear error;
#   - a missing tool names the tool and its Debian package;
#   - a failing command names the stage, the step and the command;
#   - a failed ISO stage leaves the previous out/xenlive.iso as it was;
#   - a build pinned (XENLIVE_MANIFEST) to a version the archive no longer
#     serves stops in the fetch stage with one line naming the package.
# Runs on a scratch cache and output folder; the failing ISO case reuses the
# finished earlier stages of the real cache (run after a build).
set -eu

TOP=$(cd "$(dirname "$0")/../.." && pwd)
REAL_CACHE=${XENLIVE_CACHE:-/var/cache/xenlive}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
passed=0 failed=0
ok() { passed=$((passed + 1)); printf '  ok    %s\n' "$1"; }
not_ok() { failed=$((failed + 1)); printf '  FAIL  %s\n        %s\n' "$1" "$2"; }

# expect_failure "what" PATTERN COMMAND...: COMMAND fails, stderr matches PATTERN.
expect_failure() {
    what=$1 pattern=$2; shift 2
    if "$@" >"$tmp/out" 2>"$tmp/err"; then
        not_ok "$what" "succeeded but should have failed"
    elif grep -Eq "$pattern" "$tmp/err"; then
        ok "$what"
    else
        not_ok "$what" "stderr did not match /$pattern/: $(head -c 300 "$tmp/err")"
    fi
}

expect_failure "unknown stage is refused" "unknown stage 'nosuch'" \
    "$TOP/build.sh" nosuch

# A PATH that has everything but mmdebstrap.
mkdir -p "$tmp/bin-nommdebstrap"
for f in /usr/local/bin/* /usr/bin/* /usr/sbin/* /bin/* /sbin/*; do
    n=${f##*/}
    [ "$n" = mmdebstrap ] || [ -e "$tmp/bin-nommdebstrap/$n" ] || ln -s "$f" "$tmp/bin-nommdebstrap/$n"
done
expect_failure "a missing tool is named with its Debian package" \
    "missing tool 'mmdebstrap' \\(Debian package 'mmdebstrap'\\)" \
    env PATH="$tmp/bin-nommdebstrap" XENLIVE_CACHE="$tmp/cache1" OUT="$tmp/out1" \
    "$TOP/build.sh" fetch

# A failing command: grub-mkrescue writes half an image, then fails.
mkdir -p "$tmp/fake"
cat >"$tmp/fake/grub-mkrescue" <<'FAKE'
#!/bin/sh
while [ $# -gt 0 ]; do [ "$1" = -o ] && echo partial >"$2"; shift; done
echo "grub-mkrescue: error: simulated failure" >&2
exit 1
FAKE
chmod +x "$tmp/fake/grub-mkrescue"
for d in "$REAL_CACHE"/stages/*/; do
    s=$(basename "$d")
    [ "$s" != iso ] || continue
    mkdir -p "$tmp/cache2/stages/$s"
    cp "$d/current" "$tmp/cache2/stages/$s/current"
done
mkdir -p "$tmp/out2"
echo previous >"$tmp/out2/xenlive.iso"
expect_failure "a failing command names stage, step and command" \
    'stage iso, step "make the hybrid BIOS/UEFI image with grub-mkrescue": command failed \(exit 1\)' \
    env PATH="$tmp/fake:$PATH" XENLIVE_CACHE="$tmp/cache2" OUT="$tmp/out2" "$TOP/build.sh" iso
if grep -q grub-mkrescue "$tmp/err" && grep -q 'simulated failure' "$tmp/err"; then
    ok "the error shows the command and the end of its log"
else
    not_ok "the error shows the command and the end of its log" "$(head -c 300 "$tmp/err")"
fi
if [ "$(cat "$tmp/out2/xenlive.iso")" = previous ] && [ ! -e "$tmp/out2/.xenlive.iso.work" ]; then
    ok "a failed build leaves the previous ISO untouched"
else
    not_ok "a failed build leaves the previous ISO untouched" "$(ls -la "$tmp/out2")"
fi

# A pin the archive cannot meet: the ISO's own manifest with Xen's version
# changed to one that was never served.  (Downloads the fetch stage's
# packages into a scratch cache: a minute or two.)
if [ -f "$TOP/out/xenlive.manifest" ]; then
    sed 's/^\(xen-hypervisor-[0-9.]*-amd64\)=[^ ]* /\1=0.0.1-gone /' "$TOP/out/xenlive.manifest" \
        >"$tmp/pinned.manifest"
    expect_failure "a pinned version the archive no longer serves is one line" \
        '^build.sh: .*XENLIVE_MANIFEST pins xen-hypervisor-[0-9.]+-amd64=0\.0\.1-gone .*no longer serves that version' \
        env XENLIVE_MANIFEST="$tmp/pinned.manifest" XENLIVE_CACHE="$tmp/cache3" OUT="$tmp/out3" \
        "$TOP/build.sh" fetch
    if [ "$(grep -c . "$tmp/err")" -le 3 ] && [ ! -d "$tmp/cache3/stages/fetch/current" ] &&
        ! ls "$tmp"/cache3/stages/fetch/*/.done >/dev/null 2>&1; then
        ok "the refused pin leaves no finished fetch stage"
    else
        not_ok "the refused pin leaves no finished fetch stage" "$(cat "$tmp/err")"
    fi
else
    not_ok "a pinned version the archive no longer serves is one line" "no out/xenlive.manifest: build first"
fi

echo "build-errors: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
