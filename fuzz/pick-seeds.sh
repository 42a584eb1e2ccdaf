#!/usr/bin/env bash
# Picks a small set of a target's corpus to commit as seeds (fuzz/seeds/<target>/cmin-*), so the
# replay test in the normal suite covers what the fuzzers reached:
#
#   fuzz/pick-seeds.sh [-n 50] [-s 2048] TARGET...
#
# 1. minimises fuzz/corpus/<target> with libFuzzer's set-cover merge (fewest inputs that keep
#    every feature; smaller inputs win);
# 2. measures each remaining input of at most -s bytes alone (libFuzzer's ft: count);
# 3. greedily keeps the -n inputs with the most features, replacing the target's old cmin-* seeds;
# 4. prints the coverage (cov:, ft:) of the whole corpus, of the minimised corpus, and of the
#    committed seeds.
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

# "cov: C ft: F" of running a directory of inputs once.
coverage() {
    "$bin_dir/$1" -runs=0 "$2" 2>&1 | grep -oE 'INITED cov: [0-9]+ ft: [0-9]+' | tail -n 1 | cut -d' ' -f2-
}

for target in "$@"; do
    work=$(mktemp -d)
    mkdir -p "$work/min" "$work/one" "seeds/$target"
    "$bin_dir/$target" -set_cover_merge=1 "$work/min" "corpus/$target" >"$work/merge.log" 2>&1 \
        || "$bin_dir/$target" -merge=1 "$work/min" "corpus/$target" >"$work/merge.log" 2>&1
    : >"$work/ranked"
    for file in "$work"/min/*; do
        [ "$(stat -c %s "$file")" -le "$max_size" ] || continue
        rm -f "$work"/one/*
        cp "$file" "$work/one/"
        ft=$(coverage "$target" "$work/one" | awk '{print $4}')
        echo "${ft:-0} $(stat -c %s "$file") $file" >>"$work/ranked"
    done
    rm -f "seeds/$target"/cmin-*
    sort -k1,1nr -k2,2n "$work/ranked" | head -n "$n" | while read -r _ _ file; do
        cp "$file" "seeds/$target/cmin-$(basename "$file" | cut -c1-16)"
    done
    echo "$target: corpus $(ls "corpus/$target" | wc -l) files [$(coverage "$target" "corpus/$target")]," \
        "minimised $(ls "$work/min" | wc -l) [$(coverage "$target" "$work/min")]," \
        "seeds $(ls "seeds/$target" | wc -l) files, $(du -sb "seeds/$target" | cut -f1) bytes [$(coverage "$target" "seeds/$target")]"
    rm -rf "$work"
done
