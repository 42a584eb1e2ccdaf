#!/usr/bin/env bash
# Picks a small set of a target's corpus to commit as seeds (fuzz/seeds/<target>/cmin-*), so the
# replay test in the normal suite covers what the fuzzers reached:
#
#   fuzz/pick-seeds.sh [-n 50] [-s 2048] TARGET...
#
# libFuzzer set-cover merges fuzz/corpus/<target> and the committed seeds once, writing the features
# every input reaches (-merge_control_file); then, among inputs of at most -s bytes, a greedy set
# cover keeps up to -n that add the most features not yet covered (the smaller on a tie),
# replacing the target's old cmin-* seeds. It prints how many features the corpus and the seeds
# reach. Needs python3.
set -uo pipefail
cd "$(dirname "$0")"
n=50
max_size=2048
while getopts "n:s:" opt; do
    case $opt in
        n) n=$OPTARG ;;
        s) max_size=$OPTARG ;;
        *) exit 2 ;;
    esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { echo "usage: $0 [-n N] [-s BYTES] TARGET..." >&2; exit 2; }
export RUSTC_BOOTSTRAP=1
cargo fuzz build -O || exit 1
bin_dir=target/x86_64-unknown-linux-gnu/release

for target in "$@"; do
    work=$(mktemp -d)
    mkdir -p "$work/out"
    rm -f "seeds/$target"/cmin-*
    "$bin_dir/$target" -set_cover_merge=1 -merge_control_file="$work/control" "$work/out" \
        "corpus/$target" "seeds/$target" >"$work/merge.log" 2>&1 \
        || { echo "$target: merge failed, see $work/merge.log" >&2; continue; }
    python3 - "$work/control" "$n" "$max_size" "seeds/$target" "$target" <<'PY'
import os, shutil, sys
control, n, max_size, seeds, target = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
lines = open(control, errors="replace").read().splitlines()
count = int(lines[0])
files = lines[2:2 + count]
features = {}
for line in lines[2 + count:]:
    parts = line.split()
    if parts and parts[0] == "FT":
        features[int(parts[1])] = set(map(int, parts[2:]))
everything = set().union(*features.values()) if features else set()
committed = set()
for i, path in enumerate(files):
    if path.startswith(seeds + "/"):
        committed |= features.get(i, set())
candidates = [i for i in features if os.path.getsize(files[i]) <= max_size
              and not files[i].startswith(seeds + "/")]
covered, picked = set(committed), []
while len(picked) < n:
    best = max(candidates, key=lambda i: (len(features[i] - covered), -os.path.getsize(files[i])), default=None)
    if best is None or not features[best] - covered:
        break
    picked.append(best)
    covered |= features[best]
    candidates.remove(best)
size = 0
for i in picked:
    name = os.path.basename(files[i])[:16]
    shutil.copy(files[i], os.path.join(seeds, "cmin-" + name))
    size += os.path.getsize(files[i])
print(f"{target}: the corpus reaches {len(everything)} features; the seeds without cmin-* "
      f"{len(committed)}, with {len(picked)} cmin-* ({size} bytes) {len(covered)}")
PY
    rm -rf "$work"
done
