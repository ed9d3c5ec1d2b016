#!/usr/bin/env bash
# speedup-layouts.sh compares BenchmarkSpeedup (classify) of two commits over
# several random function layouts of each test binary, so that where the
# linker happens to put each function does not decide the comparison.
#
# A Go binary's layout follows its packages and files: a change anywhere
# moves the code after it, and with it which functions share a set of the
# first-level instruction cache. On a benchmark that runs a few thousand
# instructions spread over some 20 KiB of code, that alone moves the ratio by
# up to 10 % either way (docs/speed.md, "ninth round"). The linker's
# -randlayout=SEED flag shuffles the functions; with the same seeds for both
# commits and the binaries run alternately, benchstat over all runs compares
# the code, not one draw of its layout.
#
# Usage: scripts/speedup-layouts.sh [BASE [NEW [SEEDS [ROUNDS [FIRST]]]]]
#   BASE    the commit to compare against (default c2cc846, the commit before issue 17)
#   NEW     the commit to measure (default HEAD)
#   SEEDS   number of layouts per commit (default 10)
#   ROUNDS  alternating runs per layout (default 4)
#   FIRST   the first seed (default 1): runs with other seeds add other layouts
# Output: base.txt and new.txt in a temporary directory, and their benchstat.
set -euo pipefail

base=${1:-c2cc846}
new=${2:-HEAD}
seeds=${3:-10}
rounds=${4:-4}
first=${5:-1}

root=$(git rev-parse --show-toplevel)
work=$(mktemp -d)
trap 'git -C "$root" worktree remove --force "$work/base" >/dev/null 2>&1 || true; git -C "$root" worktree remove --force "$work/new" >/dev/null 2>&1 || true' EXIT
git -C "$root" worktree add -q --detach "$work/base" "$base"
git -C "$root" worktree add -q --detach "$work/new" "$new"

for s in $(seq "$first" $((first + seeds - 1))); do
	for side in base new; do
		(cd "$work/$side" && go test -c -ldflags="-randlayout=$s" -o "$work/$side.$s.test" ./classify)
	done
done
for r in $(seq "$rounds"); do
	for s in $(seq "$first" $((first + seeds - 1))); do
		for side in base new; do
			GOMAXPROCS=1 "$work/$side.$s.test" -test.run '^$' -test.bench '^BenchmarkSpeedup$' >>"$work/$side.txt"
		done
	done
done
echo "results in $work/base.txt and $work/new.txt ($base against $new, $seeds layouts from seed $first, $rounds rounds)"
cd "$work" && go run golang.org/x/perf/cmd/benchstat@latest -filter '.unit:speedup' base.txt new.txt
