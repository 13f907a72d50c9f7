#!/usr/bin/env bash
# roundtrip.sh: vnindex --export of an index, re-indexed into a new one: do both hold the same
# documents (their exports, sorted, byte for byte) and give the same answers (ids and scores of
# the top 10) to a query set? Prints the figures; exits 1 when they differ.
# With CORPUS (the JSONL the index was built from), also: does the export hold the corpus's
# articles (id, title, body, date, source, topic, tags, url)?
#   tests/bench/roundtrip.sh BUILD_DIR INDEX QUERIES.tsv WORK_DIR [CORPUS.jsonl]
set -euo pipefail
BUILD=$(cd "$1" && pwd); INDEX=$2; QUERIES=$3; W=$4; CORPUS=${5:-}
mkdir -p "$W"
rm -rf "$W/copy.db"
"$BUILD/vnindex" -d "$INDEX" --export > "$W/export1.jsonl"
"$BUILD/vnindex" -d "$W/copy.db" --jobs 2 --json "$W/export1.jsonl" > "$W/copy.json"
"$BUILD/vnindex" -d "$W/copy.db" --export > "$W/export2.jsonl"
same_docs=no; same_bytes=no; same_answers=no
cmp -s "$W/export1.jsonl" "$W/export2.jsonl" && same_bytes=yes
LC_ALL=C sort "$W/export1.jsonl" > "$W/export1.sorted"
LC_ALL=C sort "$W/export2.jsonl" > "$W/export2.sorted"
cmp -s "$W/export1.sorted" "$W/export2.sorted" && same_docs=yes
"$BUILD/bench/bench_meta" answers "$INDEX" "$QUERIES" > "$W/answers1.tsv"
"$BUILD/bench/bench_meta" answers "$W/copy.db" "$QUERIES" > "$W/answers2.tsv"
cmp -s "$W/answers1.tsv" "$W/answers2.tsv" && same_answers=yes
echo "articles exported: $(wc -l < "$W/export1.jsonl"), re-exported: $(wc -l < "$W/export2.jsonl")"
echo "exports equal byte for byte: $same_bytes; equal sorted: $same_docs"
echo "answers (query, rank, id, score of the top 10 of $(wc -l < "$QUERIES") queries; $(wc -l < "$W/answers1.tsv") lines) equal: $same_answers"
same_input=unchecked
if [ -n "$CORPUS" ]; then
    fields='{id, title, body, date, source, topic, tags, url} | with_entries(select(.value != null and .value != ""))'
    jq -c "$fields" "$CORPUS" | LC_ALL=C sort > "$W/corpus.fields"
    jq -c "$fields" "$W/export1.jsonl" | LC_ALL=C sort > "$W/export1.fields"
    same_input=no
    cmp -s "$W/corpus.fields" "$W/export1.fields" && same_input=yes
    echo "export equals the corpus (its articles' id, title, body and metadata, sorted): $same_input ($(LC_ALL=C comm -23 "$W/corpus.fields" "$W/export1.fields" | wc -l) corpus lines not in the export)"
fi
[ "$same_input" != no ] && [ "$same_docs" = yes ] && [ "$same_answers" = yes ]
