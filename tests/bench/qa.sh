#!/usr/bin/env bash
# qa.sh: question answering quality on the two QA sets of shared/corpus/qa (alqac, vire4mrc). For
# each set: builds a vnsearch index and the FTS5 peer in a scratch directory, runs qa_eval on the
# questions typed with diacritics (queries.tsv) and without (queries_plain.tsv), and prints one
# Markdown table (vnsearch auto, all, any; FTS5 OR bm25; the README's published BM25 row for
# reference). The tables also go to BUILD_DIR/bench/qa.md.
#   tests/bench/qa.sh [BUILD_DIR] [QA_EVAL_ARGS...]     e.g. qa.sh build --weights exact=3
set -euo pipefail
BUILD=build
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then BUILD=$1; shift; fi
BUILD=$(cd "$BUILD" && pwd)
SRC=$(cd "$(dirname "$0")/../.." && pwd)
QA="$SRC/../shared/corpus/qa"
SETS="alqac vire4mrc"
B="$BUILD/bench"
W=$(mktemp -d "${TMPDIR:-/tmp}/vns-qa.XXXXXX")
trap 'rm -rf "$W"' EXIT

# published SET: the README's published BM25 figures of SET as four table cells, or n/a.
published() {
    local cells
    cells=$(awk -F'|' -v set="\`$1/\`" '$2 ~ set { gsub(/ /, "", $6); gsub("/", " | ", $6); print $6 }' "$QA/README.md")
    echo "${cells:-n/a | n/a | n/a | n/a}"
}

# rows JSON TYPED: the Markdown rows of qa_eval's JSON lines (one per mode), figures with two
# decimals; the unanswered questions include the failed ones, whose number follows.
rows() {
    jq -r --arg typed "$2" '[(if .engine == "fts5" then "FTS5 OR bm25" else "vnsearch \(.mode)" end),
        $typed, .ndcg10, .mrr10, .r10, .p1, .unanswered, .errors, .mean_results, .median_ms] | @tsv' "$1" |
        awk -F'\t' '{ failed = $8 > 0 ? sprintf(" (%d failed)", $8) : ""
            printf "| %s | %s | %.2f | %.2f | %.2f | %.2f | %d%s | %.2f | %.2f |\n", $1, $2, $3, $4, $5, $6, $7, failed, $9, $10 }'
}

{
    echo "### $(date -u +%Y-%m-%d): question answering, the QA sets of shared/corpus/qa"
    echo
    echo "Command: \`tests/bench/qa.sh${*:+ $*}\` (qa_eval: vnsearch literal, top 10 with snippets; FTS5 the question's words ORed, bm25). Figures in %, scored as the README says."
} | tee "$B/qa.md"
for set in $SETS; do
    echo "building $set ..." >&2
    "$BUILD/vnindex" -d "$W/$set.vns" "$QA/$set/corpus.jsonl.gz" > /dev/null
    "$B/bench_fts5_build" "$W/$set.fts5" "$QA/$set/corpus.jsonl.gz" > "$W/$set.build.json"
    for typed in queries queries_plain; do
        echo "qa_eval $set $typed ..." >&2
        "$B/qa_eval" "$@" "$W/$set.vns" "$W/$set.fts5" "$QA/$set/$typed.tsv" "$QA/$set/qrels.tsv" \
            > "$W/$set.$typed.out"
        grep '^{' "$W/$set.$typed.out" > "$W/$set.$typed.json"
    done
    # Rows by mode, each typed with and without diacritics.
    for mode in auto all any fts5; do
        for typed in queries queries_plain; do
            [ "$typed" = queries ] && label="with diacritics" || label="without diacritics"
            jq -c --arg m "$mode" 'select(.mode == $m)' "$W/$set.$typed.json" > "$W/row.json"
            rows "$W/row.json" "$label" >> "$W/$set.rows"
        done
    done
    {
        echo
        echo "#### $set: $(jq -rs '.[0].queries' "$W/$set.queries.json") questions, $(jq -r .docs "$W/$set.build.json") passages"
        echo
        echo "weights: \`$(jq -cs '.[0].weights' "$W/$set.queries.json")\`"
        echo
        echo "| engine / mode | query typed | nDCG@10 | MRR@10 | R@10 | P@1 | unanswered | mean results | median ms |"
        echo "|---|---|---|---|---|---|---|---|---|"
        cat "$W/$set.rows"
        echo "| published BM25 (README: words segmented, no folding) | with diacritics | $(published "$set") | | | |"
    } | tee -a "$B/qa.md"
done
