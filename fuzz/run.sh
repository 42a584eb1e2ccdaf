#!/usr/bin/env bash
# Runs every fuzz target for SECONDS seconds, one after another, then prints for each its
# executions, exec/s, coverage (cov:), features (ft:) and corpus size from libFuzzer's last
# status line. Exits non-zero if a target crashed or broke an invariant.
#
#   fuzz/run.sh 600                 # every target, 10 minutes each
#   fuzz/run.sh 60 device_flow      # some targets only
#
# Each target reads its committed seeds (fuzz/seeds/<target>, read-only) and grows its working
# corpus in fuzz/corpus/<target> (git-ignored); crashes go to fuzz/artifacts/<target>. Works on
# the stable toolchain (RUSTC_BOOTSTRAP=1 unlocks the nightly flags cargo-fuzz needs). Logs go
# to fuzz/logs/<target>.log (git-ignored). Extra libFuzzer flags: FUZZ_ARGS="-max_len=8192".
set -uo pipefail
cd "$(dirname "$0")"

if [ $# -lt 1 ] || ! [[ $1 =~ ^[0-9]+$ ]]; then
    echo "usage: $0 SECONDS [TARGET...]" >&2
    exit 2
fi
seconds=$1
shift
command -v cargo-fuzz >/dev/null || { echo "cargo-fuzz missing: cargo install cargo-fuzz --locked" >&2; exit 2; }
export RUSTC_BOOTSTRAP=1

if [ $# -gt 0 ]; then
    targets=("$@")
else
    mapfile -t targets < <(cargo fuzz list)
fi

cargo fuzz build -O || exit 1
mkdir -p logs
failed=()
summary=()
for target in "${targets[@]}"; do
    mkdir -p "corpus/$target" "artifacts/$target"
    log="logs/$target.log"
    echo "== $target: ${seconds}s (log: fuzz/$log)"
    # shellcheck disable=SC2086 # FUZZ_ARGS is a list of flags
    cargo fuzz run -O "$target" "corpus/$target" "seeds/$target" -- \
        -max_total_time="$seconds" -print_final_stats=1 ${FUZZ_ARGS:-} >"$log" 2>&1
    status=$?
    # The last status line: "#N  DONE  cov: C ft: F corp: K/S lim: L exec/s: E rss: R".
    last=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    line="$target: execs ${execs:-?} $(grep -oE 'exec/s: [0-9]+' <<<"$last") $(grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[0-9]+[a-zA-Z]*' <<<"$last")"
    if [ $status -ne 0 ]; then
        line="$line  FAILED (exit $status): $(grep -m1 -E 'panicked at|SUMMARY|ERROR: libFuzzer' "$log")"
        failed+=("$target")
    fi
    echo "$line"
    summary+=("$line")
done

echo
echo "== summary (${seconds}s per target)"
printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
    echo "failed: ${failed[*]} (inputs in fuzz/artifacts/<target>/)" >&2
    exit 1
fi
