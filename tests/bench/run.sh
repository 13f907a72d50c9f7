#!/usr/bin/env bash
# run.sh: the vnsearch vs SQLite FTS5 benchmark (make bench). Prints a Markdown table of figures,
# every one measured in this run on this machine, and writes it to build/bench/results.md.
#   tests/bench/run.sh [--small] [BUILD_DIR]
# --small: the first 10,000 VNTC articles instead of all 84,132.
set -euo pipefail
SMALL=0
if [ "${1:-}" = "--small" ]; then SMALL=1; shift; fi
BUILD=$(cd "${1:-build}" && pwd)
SRC=$(cd "$(dirname "$0")/../.." && pwd)
SHARED="$SRC/../shared/corpus"
W=$(mktemp -d "${TMPDIR:-/tmp}/vns-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT
B="$BUILD/bench"

if [ "$SMALL" = 1 ]; then
    { zcat "$SHARED/vntc.jsonl.gz" || true; } | head -n 10000 > "$W/corpus.jsonl"
    CORPUS="$W/corpus.jsonl"
    NAME="VNTC, first 10,000 articles (--small)"
else
    CORPUS="$SHARED/vntc.jsonl.gz"
    NAME="VNTC, 84,132 articles"
fi
# 1,000 unseen articles for the incremental step: baomoi is another outlet and another year.
{ zcat "$SHARED/baomoi.jsonl.gz" || true; } | head -n 1000 > "$W/unseen.jsonl"

# timed CMD...: runs it under /usr/bin/time; sets SECS and RSS_MB; stdout to $W/out.
timed() {
    /usr/bin/time -f "%e %M" -o "$W/time" "$@" > "$W/out"
    read -r SECS RSS_KB < "$W/time"
    RSS_MB=$(( RSS_KB / 1024 ))
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", (b > 0 ? a / b : 0) }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

echo "building the FTS5 peer ..." >&2
timed "$B/bench_fts5_build" "$W/fts5.db" "$CORPUS"
F_SECS=$SECS; F_RSS=$RSS_MB
MB=$(jq -r .mb "$W/out")
echo "building the vnsearch index (vnindex with no options) ..." >&2
timed "$BUILD/vnindex" -d "$W/vns.db" --json "$CORPUS"
V_SECS=$SECS; V_RSS=$RSS_MB
F_SIZE=$(du -sm "$W/fts5.db" | cut -f1)
V_SIZE=$(du -sm "$W/vns.db" | cut -f1)
# The floor: what Xapian costs for the folded syllables with positions alone (and with the stored
# text a snippet needs), written the way vnindex --jobs 2 writes.
echo "the Xapian floor (positions only; positions and text) ..." >&2
"$B/bench_floor" --jobs 2 "$W/floor.db" "$CORPUS" > "$W/floor.json"
FL_SECS=$(jq -r .seconds "$W/floor.json"); FL_SIZE=$(du -sm "$W/floor.db" | cut -f1)
rm -rf "$W/floor.db"
"$B/bench_floor" --text --jobs 2 "$W/floor.db" "$CORPUS" > "$W/floor.json"
FT_SECS=$(jq -r .seconds "$W/floor.json"); FT_SIZE=$(du -sm "$W/floor.db" | cut -f1)
rm -rf "$W/floor.db"

echo "queries ..." >&2
"$B/bench_query" gen "$CORPUS" > "$W/queries.tsv"
NQ=$(wc -l < "$W/queries.tsv")
/usr/bin/time -f "%M" -o "$W/qtime" "$B/bench_query" run "$W/vns.db" "$W/fts5.db" "$W/queries.tsv" \
    > "$W/q.json" 2> "$W/kinds.txt"
Q_RSS=$(( $(tail -1 "$W/qtime") / 1024 ))
q() { jq -r "$1" "$W/q.json"; }

echo "long queries (QA questions, passages pasted from articles) ..." >&2
"$B/bench_long" "$W/vns.db" "$W/fts5.db" "$CORPUS" "$SHARED"/qa/*/queries.tsv > "$W/long.txt"
grep '^{' "$W/long.txt" > "$W/long.json"
l() { jq -r "$1" "$W/long.json"; }
# long_rows KIND LABEL: the p50 and p99 rows of one kind of long query.
long_rows() {
    echo "| long queries, $2: p50 ms ($(l ".$1.queries") queries, in-process, warm, default mode, literal, top 10 + snippets; FTS5 the words ORed; 0 results: vnsearch $(l ".$1.vnsearch_zero"), FTS5 $(l ".$1.fts5_zero"); failed: vnsearch $(l ".$1.vnsearch_errors")) | $(l ".$1.vnsearch_ms.p50") | $(l ".$1.fts5_ms.p50") | $(ratio "$(l ".$1.vnsearch_ms.p50")" "$(l ".$1.fts5_ms.p50")") | <= 0.15x |"
    echo "| long queries, $2: p99 ms | $(l ".$1.vnsearch_ms.p99") | $(l ".$1.fts5_ms.p99") | $(ratio "$(l ".$1.vnsearch_ms.p99")" "$(l ".$1.fts5_ms.p99")") | <= 0.3x |"
}

echo "one process per query (cold start) ..." >&2
: > "$W/cold_v"; : > "$W/cold_f"
grep -E '^(common|phrase|words)-' "$W/queries.tsv" | awk 'NR % 5 == 1' | head -n 30 > "$W/cold.tsv"
while IFS=$'\t' read -r kind vq fq; do
    t0=$(date +%s%N); "$BUILD/vnsearch" -d "$W/vns.db" -- "$vq" > /dev/null; t1=$(date +%s%N)
    esc=${fq//\'/\'\'}
    sqlite3 "$W/fts5.db" "SELECT id, snippet(docs, 2, '[', ']', '…', 30) FROM docs WHERE docs MATCH '$esc' ORDER BY bm25(docs) LIMIT 10" > /dev/null
    t2=$(date +%s%N)
    echo $(( (t1 - t0) / 1000 )) >> "$W/cold_v"
    echo $(( (t2 - t1) / 1000 )) >> "$W/cold_f"
done < "$W/cold.tsv"
CV=$(median < "$W/cold_v"); CF=$(median < "$W/cold_f")

echo "incremental: 1,000 unseen articles ..." >&2
timed "$BUILD/vnindex" -d "$W/vns.db" --json "$W/unseen.jsonl"
I_V=$SECS
timed "$B/bench_fts5_build" --append "$W/fts5.db" "$W/unseen.jsonl"
I_F=$SECS

# A large update: the corpus's first 64,000 articles (4,000 with --small) as the existing index,
# the next 20,000 (2,000) added by vnindex with no options, and by FTS5 into its existing table.
LB=64000; LA=20000
if [ "$SMALL" = 1 ]; then LB=4000; LA=2000; fi
echo "large update: $LA articles added to $LB ..." >&2
{ zcat -f "$CORPUS" || true; } | head -n $((LB + LA)) > "$W/large.jsonl"
head -n $LB "$W/large.jsonl" > "$W/large_base.jsonl"
tail -n +$((LB + 1)) "$W/large.jsonl" > "$W/large_add.jsonl"
rm "$W/large.jsonl"
"$BUILD/vnindex" -d "$W/lvb.db" --json "$W/large_base.jsonl" > /dev/null
"$B/bench_fts5_build" "$W/lfb.db" "$W/large_base.jsonl" > /dev/null
# Three runs each, alternating, each on a fresh copy of the base: single runs of FTS5's append
# ranged from 2.9 to 4.2 s on this machine.
: > "$W/large_v"; : > "$W/large_f"
for run in 1 2 3; do
    rm -rf "$W/lv.db" "$W/lf.db"
    cp -a "$W/lvb.db" "$W/lv.db"; cp "$W/lfb.db" "$W/lf.db"; sync
    timed "$BUILD/vnindex" -d "$W/lv.db" --json "$W/large_add.jsonl"
    echo "$SECS" >> "$W/large_v"
    L_DOCS=$(jq -r .documents "$W/out")
    timed "$B/bench_fts5_build" --append "$W/lf.db" "$W/large_add.jsonl"
    echo "$SECS" >> "$W/large_f"
done
L_V=$(median < "$W/large_v"); L_F=$(median < "$W/large_f")
L_RUNS_V=$(tr '\n' ' ' < "$W/large_v" | sed 's/ $//'); L_RUNS_F=$(tr '\n' ' ' < "$W/large_f" | sed 's/ $//')
rm -rf "$W/lv.db" "$W/lf.db" "$W/lvb.db" "$W/lfb.db" "$W/large_base.jsonl" "$W/large_add.jsonl"

echo "one article updated, visible to an open searcher ..." >&2
"$B/bench_update" "$W/vns.db" "$W/fts5.db" "$CORPUS" > "$W/update.json"
U_V=$(jq -r .vnsearch_ms "$W/update.json"); U_F=$(jq -r .fts5_ms "$W/update.json")

{
    echo "### $(date -u +%Y-%m-%d): $NAME, $MB MB of text"
    echo
    echo "Command: \`make bench\` (\`tests/bench/run.sh$([ "$SMALL" = 1 ] && echo " --small")\`), on $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB."
    echo
    echo "| figure | vnsearch | FTS5 | vnsearch/FTS5 | target |"
    echo "|---|---|---|---|---|"
    echo "| index build, MB/s (wall clock, JSONL to committed index; vnindex with no options: --jobs = $(nproc) CPUs) | $(awk -v m="$MB" -v s="$V_SECS" 'BEGIN{printf "%.2f", m/s}') ($V_SECS s) | $(awk -v m="$MB" -v s="$F_SECS" 'BEGIN{printf "%.2f", m/s}') ($F_SECS s) | $(ratio "$F_SECS" "$V_SECS") | >= 0.35x |"
    echo "| index size, MB | $V_SIZE | $F_SIZE | $(ratio "$V_SIZE" "$F_SIZE") | <= 1.2x |"
    echo "| $LA articles added to an index of $LB and committed, s (vnindex with no options; FTS5 inserting into its table; median of 3 runs: vnsearch $L_RUNS_V, FTS5 $L_RUNS_F) | $L_V ($L_DOCS documents) | $L_F | $(ratio "$L_F" "$L_V") | >= 0.25x |"
    echo "| query p50, ms ($NQ queries, in-process, warm, top 10 + snippets; each the median of 3 timed passes) | $(q .vnsearch_ms.p50) | $(q .fts5_ms.p50) | $(ratio "$(q .vnsearch_ms.p50)" "$(q .fts5_ms.p50)") | <= 0.2x |"
    echo "| query p95, ms | $(q .vnsearch_ms.p95) | $(q .fts5_ms.p95) | $(ratio "$(q .vnsearch_ms.p95)" "$(q .fts5_ms.p95)") | |"
    echo "| query p99, ms | $(q .vnsearch_ms.p99) | $(q .fts5_ms.p99) | $(ratio "$(q .vnsearch_ms.p99)" "$(q .fts5_ms.p99)") | <= 0.3x |"
    long_rows questions "questions of the QA sets (bench_long)"
    long_rows passages "passages of 12 to 25 words pasted from articles"
    echo "| one process per query, median ms (open, search, snippets, print; 30 queries) | $(awk -v u="$CV" 'BEGIN{printf "%.1f", u/1000}') | $(awk -v u="$CF" 'BEGIN{printf "%.1f", u/1000}') (sqlite3) | $(ratio "$CV" "$CF") | <= 0.5x |"
    echo "| 1,000 unseen articles added and committed, s | $I_V | $I_F | $(ratio "$I_V" "$I_F") | vnsearch <= 3 s |"
    echo "| one article updated, committed and found by an open searcher, median ms (7 runs) | $U_V | $U_F | $(ratio "$U_V" "$U_F") | |"
    echo "| peak RSS while indexing, MB | $V_RSS | $F_RSS | | vnsearch <= 1024 |"
    echo "| peak RSS while searching (the whole query run, both engines in one process), MB | $Q_RSS | | | |"
    echo
    echo 'The floor under the build and size figures: Xapian writing only the folded syllables with'
    echo 'positions and the id term (`bench_floor`: same analyzer, batches, scratch parts and merge as'
    echo '`vnindex --jobs 2`), then with the stored text too; vnsearch adds the exact-form and title layers.'
    echo
    echo "| index | build s | MB/s | build vs FTS5 | size MB | size vs FTS5 |"
    echo "|---|---|---|---|---|---|"
    echo "| floor: positions only | $FL_SECS | $(awk -v m="$MB" -v s="$FL_SECS" 'BEGIN{printf "%.2f", m/s}') | $(ratio "$F_SECS" "$FL_SECS") | $FL_SIZE | $(ratio "$FL_SIZE" "$F_SIZE") |"
    echo "| floor: positions and stored text | $FT_SECS | $(awk -v m="$MB" -v s="$FT_SECS" 'BEGIN{printf "%.2f", m/s}') | $(ratio "$F_SECS" "$FT_SECS") | $FT_SIZE | $(ratio "$FT_SIZE" "$F_SIZE") |"
    echo "| vnsearch | $V_SECS | $(awk -v m="$MB" -v s="$V_SECS" 'BEGIN{printf "%.2f", m/s}') | $(ratio "$F_SECS" "$V_SECS") | $V_SIZE | $(ratio "$V_SIZE" "$F_SIZE") |"
    echo
    echo "Per query kind (ms):"
    echo
    echo '```'
    cat "$W/kinds.txt"
    echo '```'
} | tee "$B/results.md"
