#!/usr/bin/env bash
# Instructions per call of a generated call next to raw reqwest, counted by callgrind.
#
# Each side (benches/call_loop.rs) runs twice, with N and 2N calls after the same
# warm-up; the difference over N is the cost of one call, setup cancelled out.
# Instructions do not depend on the machine's load, so small changes show; the time
# benchmark is `cargo bench --bench calls`.
#
#   bench/instructions/run.sh          # N=1000; needs valgrind
#   N=4000 bench/instructions/run.sh
set -euo pipefail

cd "$(dirname "$0")/../.."
N=${N:-1000}
if ! command -v valgrind >/dev/null; then
    echo "valgrind is not installed; install it (apt install valgrind, brew install valgrind) and run again" >&2
    exit 2
fi
out=target/instructions
mkdir -p "$out"

echo "building benches/call_loop.rs (release)..." >&2
binary=$(cargo bench --bench call_loop --no-run 2>&1 | sed -n 's/.*Executable .*(\(.*\)).*/\1/p' | tail -n 1)
if [ -z "$binary" ] || [ ! -x "$binary" ]; then
    echo "could not find the call_loop bench binary; run \`cargo bench --bench call_loop --no-run\` to see why" >&2
    exit 1
fi

# instructions SIDE CALLS: the total instructions of one run
instructions() {
    valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.$1.$2" "$binary" "$1" "$2" 2>&1 |
        sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}

declare -A per_call
for side in raw raw-timeout raw-key raw-key-timeout plain key oauth; do
    echo "counting $side..." >&2
    once=$(instructions "$side" "$N")
    twice=$(instructions "$side" $((2 * N)))
    per_call[$side]=$(( (twice - once) / N ))
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
{
    echo "## Instructions per call (callgrind, $(date -u +%Y-%m-%dT%H:%MZ), N=$N)"
    echo
    commit=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
    git diff --quiet HEAD 2>/dev/null || commit="$commit with uncommitted changes"
    echo "conv-api commit $commit; one thread; local keep-alive server."
    echo "\"+ timeout\": raw reqwest with \`.timeout(..)\` on each request, as the runtime bounds every attempt."
    echo "The API key and OAuth 2.0 calls are compared with raw calls carrying the same header."
    echo
    echo "| call | raw reqwest | raw + timeout | conv-api | ratio | ratio to + timeout |"
    echo "|---|---|---|---|---|---|"
    for pair in "no auth:plain:raw" "API key:key:raw-key" "OAuth 2.0:oauth:raw-key"; do
        IFS=: read -r name ours raw <<<"$pair"
        timed=$raw-timeout
        echo "| $name | ${per_call[$raw]} | ${per_call[$timed]} | ${per_call[$ours]} | $(ratio "${per_call[$ours]}" "${per_call[$raw]}") | $(ratio "${per_call[$ours]}" "${per_call[$timed]}") |"
    done
} | tee "$out/results.md"
