#!/bin/sh
# run.sh SECONDS BINDIR TARGET...: runs each libFuzzer target BINDIR/TARGET
# for SECONDS on a copy of its seed corpus fuzz/corpus/TARGET (without the
# fuzz_ prefix), one process at a time, so that a run never writes into
# the source tree.  A crash's input is kept in BINDIR/crashes/.  Exit 1
# when any target crashed (or failed to start), naming them.
set -eu
seconds=$1 bindir=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$bindir/crashes"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=
for target; do
    name=${target#fuzz_}
    mkdir -p "$work/$name" "$work/$name.artifacts"
    if [ -d "$here/corpus/$name" ]; then
        cp "$here/corpus/$name"/* "$work/$name/"
    fi
    printf '== %s: %ss, %s seeds\n' "$target" "$seconds" "$(find "$work/$name" -type f | wc -l)"
    if "$bindir/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=1024 \
        -print_final_stats=0 -artifact_prefix="$work/$name.artifacts/" \
        "$work/$name" >"$work/$name.log" 2>&1; then
        grep -E '^(#[0-9]+[[:space:]]+DONE|Done [0-9]+ runs)' "$work/$name.log" | tail -n 1 || true
    else
        echo "$target: CRASHED; its log:"
        grep -v '^#' "$work/$name.log" | tail -n 40
        for a in "$work/$name.artifacts"/*; do
            [ -f "$a" ] || continue
            cp "$a" "$bindir/crashes/$name-${a##*/}"
            echo "input kept: $bindir/crashes/$name-${a##*/}"
        done
        failed="$failed $target"
    fi
done
if [ -n "$failed" ]; then
    echo "fuzz: crashed:$failed"
    exit 1
fi
echo "fuzz: $# targets ran ${seconds}s each, no crash"
