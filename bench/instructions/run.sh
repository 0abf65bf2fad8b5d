#!/usr/bin/env bash
# Instructions per call of a generated call next to raw reqwest, counted by callgrind.
#
# Each side (benches/call_loop.rs) runs twice, with N and 2N calls after the same
# warm-up; the difference over N is the cost of one call, setup cancelled out.
# Instructions do not depend on the machine's load, so small changes show; the time
# benchmark is `cargo bench --bench calls`.
#
#   bench/instructions/run.sh          # N=1000, median of REPEAT=3 counts; needs valgrind
#   N=4000 bench/instructions/run.sh
set -euo pipefail

cd "$(dirname "$0")/../.."
N=${N:-1000}
if ! command -v valgrind >/dev/null; then
    echo "valgrind is not installed; install it (on Debian or Ubuntu: apt install valgrind) and run again" >&2
    exit 2
fi
REPEAT=${REPEAT:-3}
case $N in
    '' | *[!0-9]* | 0) echo "N must be a positive number of calls, not \`$N\`" >&2; exit 2 ;;
esac
case $REPEAT in
    '' | *[!0-9]* | 0) echo "REPEAT must be a positive number of runs, not \`$REPEAT\`" >&2; exit 2 ;;
esac
out=target/instructions
mkdir -p "$out"

echo "building benches/call_loop.rs (release)..." >&2
if ! cargo bench --bench call_loop --no-run >"$out/build.log" 2>&1; then
    cat "$out/build.log" >&2
    echo "building the call_loop bench failed (output above)" >&2
    exit 1
fi
binary=$(sed -n 's/.*Executable .*(\(.*\)).*/\1/p' "$out/build.log" | tail -n 1)
if [ -z "$binary" ] || [ ! -x "$binary" ]; then
    echo "could not find the call_loop bench binary in $out/build.log" >&2
    exit 1
fi

# instructions SIDE CALLS: the total instructions of one run
instructions() {
    local log="$out/valgrind.$1.$2.log" count
    if ! valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.$1.$2" "$binary" "$1" "$2" >"$log" 2>&1; then
        cat "$log" >&2
        echo "the $1 run with $2 calls failed (output above)" >&2
        exit 1
    fi
    count=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$log")
    if [ -z "$count" ]; then
        echo "callgrind reported no instruction count; see $log" >&2
        exit 1
    fi
    echo "$count"
}

sides="raw raw-timeout raw-key raw-key-timeout raw-bearer raw-bearer-timeout plain-alone plain key oauth"
# the median of REPEAT counts: timers fire at different points of a slow run, which
# moves a side with a token by up to 1,000 instructions a call
for side in $sides; do
    echo "counting $side..." >&2
    for run in $(seq "$REPEAT"); do
        once=$(instructions "$side" "$N")
        twice=$(instructions "$side" $((2 * N)))
        echo $(((twice - once) / N))
    done | sort -n | awk '{ counts[NR] = $1 } END { print counts[int((NR + 1) / 2)] }' >"$out/per-call.$side"
done

per_call() { cat "$out/per-call.$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
{
    commit=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
    git diff --quiet HEAD 2>/dev/null || commit="$commit with uncommitted changes"
    echo "## Instructions per call (callgrind, $(date -u +%Y-%m-%dT%H:%MZ), N=$N, median of $REPEAT)"
    echo
    echo "conv-api commit $commit; one thread; local keep-alive server."
    echo "\"+ timeout\": raw reqwest with \`.timeout(..)\` on each request, as the runtime bounds every attempt."
    echo "The raw calls compared with the API key and OAuth 2.0 calls send the same header."
    echo
    echo "| call | raw reqwest | raw + timeout | conv-api | ratio | ratio to + timeout |"
    echo "|---|---|---|---|---|---|"
    for pair in "no auth, no secret in the runtime:plain-alone:raw" "no auth, beside the two APIs below:plain:raw" \
        "API key:key:raw-key" "OAuth 2.0:oauth:raw-bearer"; do
        IFS=: read -r name ours raw <<<"$pair"
        mine=$(per_call "$ours") bare=$(per_call "$raw") timed=$(per_call "$raw-timeout")
        echo "| $name | $bare | $timed | $mine | $(ratio "$mine" "$bare") | $(ratio "$mine" "$timed") |"
    done
} | tee "$out/results.md"
