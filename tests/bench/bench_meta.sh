#!/usr/bin/env bash
# bench_meta.sh: the metadata benchmark of issue 14 on VNTC: synthetic dates, the cost of the
# metadata in build time and index size, filtered, sorted and faceted queries against FTS5, and
# the --export round trip. Figures on stdout (Markdown); work files stay in WORK_DIR.
#   tests/bench/bench_meta.sh [BUILD_DIR] WORK_DIR [RUNS]
# RUNS: builds of each index for the build cost, alternating (default 3; medians quoted).
set -euo pipefail
BUILD=$(cd "${1:-build}" && pwd)
W=$2
RUNS=${3:-3}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
CORPUS="$SRC/../shared/corpus/vntc.jsonl.gz"
B="$BUILD/bench"
mkdir -p "$W"
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", (b > 0 ? a / b : 0) }'; }

echo "the dated copy and the copy without metadata ..." >&2
[ -s "$W/dated.jsonl" ] || "$B/bench_meta" date "$CORPUS" "$W/dated.jsonl"
[ -s "$W/plain.jsonl" ] || "$B/bench_meta" strip "$CORPUS" "$W/plain.jsonl"

echo "build cost: $RUNS builds of each, alternating ..." >&2
: > "$W/build_dated"; : > "$W/build_plain"
for i in $(seq "$RUNS"); do
    for kind in plain dated; do
        echo "  $kind, load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
        rm -rf "$W/$kind.db"
        /usr/bin/time -f "%e" -o "$W/time" "$BUILD/vnindex" -d "$W/$kind.db" --jobs 2 --json \
            "$W/$kind.jsonl" > "$W/$kind.build.json"
        echo "$(cat "$W/time") $(du -sm "$W/$kind.db" | cut -f1)" >> "$W/build_$kind"
    done
done
DS=$(cut -d' ' -f1 "$W/build_dated" | median); PS=$(cut -d' ' -f1 "$W/build_plain" | median)
DM=$(cut -d' ' -f2 "$W/build_dated" | median); PM=$(cut -d' ' -f2 "$W/build_plain" | median)

echo "the FTS5 peer with its side table ..." >&2
[ -s "$W/fts5.db" ] || "$B/bench_meta" fts5 "$W/fts5.db" "$W/dated.jsonl" > "$W/fts5.json"
"$B/bench_query" gen "$CORPUS" > "$W/queries.tsv"

echo "queries (load: $(cut -d' ' -f1-3 /proc/loadavg)) ..." >&2
"$B/bench_meta" run "$W/dated.db" "$W/fts5.db" "$W/queries.tsv" > "$W/table.md" 2> "$W/run.log"
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

echo "round trip ..." >&2
RT=$("$SRC/tests/bench/roundtrip.sh" "$BUILD" "$W/dated.db" "$W/queries.tsv" "$W/rt" \
    "$W/dated.jsonl" 2> "$W/rt.log") || true

echo "### $(date -u +%Y-%m-%d): VNTC, 84,132 articles, synthetic dates"
echo
echo "Build cost (\`vnindex --jobs 2\`, wall clock; median of $RUNS builds each, alternating):"
echo
echo "| index | build s (each run) | median s | size MB |"
echo "|---|---|---|---|"
echo "| without metadata | $(cut -d' ' -f1 "$W/build_plain" | paste -sd' ') | $PS | $PM |"
echo "| with date, source, topic | $(cut -d' ' -f1 "$W/build_dated" | paste -sd' ') | $DS | $DM |"
echo "| cost | | $(ratio "$DS" "$PS") | $(ratio "$DM" "$PM") |"
echo
echo "FTS5 peer: $(cat "$W/fts5.json")"
echo
echo "Queries (load after: $LOAD_AFTER):"
echo
cat "$W/table.md"
echo
echo "Round trip:"
echo
echo '```'
echo "$RT"
echo '```'
