#!/usr/bin/env bash
# Every number in BENCHMARKS.md, in one run: bash bench/run.sh > results.md
# Needs valgrind (callgrind) and taskset (util-linux); Linux, 2+ CPUs. Only loopback traffic.
set -euo pipefail
cd "$(dirname "$0")"
root=..
bin=target/release/sso-oidc-bench
server_pid=""
trap '[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true' EXIT

echo "## Machine"
echo
echo "- date: $(date -u +%Y-%m-%dT%H:%MZ)"
echo "- CPUs: $(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "- kernel: $(uname -sr); $(rustc -V)"
echo "- load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

cargo build --release --quiet
for p in core ureq hyper sdk; do
    # One package per build, so that features are resolved for that program alone.
    cargo build --profile footprint --quiet -p "footprint-$p"
done

echo "## In-process: build + parse of the canned response, ns and allocations per call"
echo
echo "Pinned to CPU 1; median of 15 rounds of ~20 ms each, the sides interleaved."
echo
taskset -c 1 "$bin" inproc 15
echo

echo "## In-process: instructions per call (callgrind)"
echo
echo "| operation | side | instructions/call |"
echo "|---|---|---:|"
instructions() { # SIDE OP N: total instructions of `calls SIDE OP N`
    local out
    out=$(mktemp)
    valgrind --tool=callgrind --callgrind-out-file="$out" "$bin" calls "$1" "$2" "$3" >/dev/null 2>&1
    awk '/^summary:/ {print $2}' "$out"
    rm -f "$out"
}
for op in start pending; do
    for side in ours sdk block-on; do
        n=1000
        a=$(instructions "$side" "$op" "$n")
        b=$(instructions "$side" "$op" $((2 * n)))
        echo "| $op | $side | $(((b - a) / n)) |"
    done
done
echo

echo "## Loopback latency, µs per call"
echo
echo "### Server process on CPU 0, clients on CPU 1 (every call wakes the other CPU)"
echo
# taskset execs the server, so every thread it starts stays on CPU 0.
taskset -c 0 "$bin" serve 900 >"${TMPDIR:-/tmp}/sso-oidc-bench.url" &
server_pid=$!
sleep 0.5
url=$(cat "${TMPDIR:-/tmp}/sso-oidc-bench.url")
taskset -c 1 "$bin" loopback 9 2000 "$url"
echo
echo "### Server thread and clients in one process on CPU 1 (what each client costs the CPU)"
echo
taskset -c 1 "$bin" loopback 9 2000
echo

echo "## Footprint"
echo
echo "| program | unique crates (normal deps, the program itself excluded) | stripped release binary, bytes | one call against the server prints |"
echo "|---|---:|---:|---|"
crates() { # PACKAGE, in the current directory's workspace
    cargo tree -q -p "$1" -e normal --prefix none | sed 's/ (\*)$//' | sort -u | wc -l
}
for p in core ureq hyper sdk; do
    n=$(($(crates "footprint-$p") - 1))
    size=$(stat -c %s "target/footprint/footprint-$p")
    out=$("target/footprint/footprint-$p" "$url")
    echo "| footprint-$p | $n | $size | \`$out\` |"
done
echo
echo "The crates themselves, from the main workspace (\`cargo tree -p NAME -e normal --prefix none\`,"
echo "unique lines):"
echo
for c in sso-oidc sso-oidc-ureq sso-oidc-hyper; do
    echo "- $c: $(cd "$root" && crates "$c")"
done
echo
echo "- load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
