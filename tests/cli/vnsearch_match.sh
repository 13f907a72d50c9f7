#!/usr/bin/env bash
# vnsearch --match all|any|auto and --literal (issue 12): questions and long queries find the
# documents holding most of their words; all keeps every bare word required; operators keep
# their meaning in every mode; pasted text never fails to parse; the JSON says how the answer
# was made.
. "$(dirname "$0")/lib.sh"
IDX="$T/idx"
mkdir -p "$T/src"
{
    echo '{"id":"chair","title":"Ủy ban Quốc gia về chuyển đổi số","body":"Thủ tướng Phạm Minh Chính là Chủ tịch Ủy ban Quốc gia về chuyển đổi số."}'
    echo '{"id":"school","title":"Giáo dục","body":"Chuyển đổi số trong giáo dục đang được đẩy mạnh ở các trường."}'
    echo '{"id":"gold","title":"Giá vàng","body":"Giá vàng hôm nay tăng mạnh, chuyển sang mức mới."}'
    echo '{"id":"museum","title":"Bảo tàng","body":"Bảo tàng Điện Biên Phủ mở cửa đón khách."}'
    # The snippet test: the query's words scattered at the start, together near the end.
    printf '{"id":"long","title":"","body":"Mưa rơi suốt buổi sáng. %s Cuối cùng, kho lưu trữ quốc gia công bố bản đồ cổ."}\n' \
        "$(for i in $(seq 1 60); do printf 'Một ngày bình thường như mọi ngày. '; done)"
    # The snippet test with weights: common words together at the start, rare ones at the end.
    # (Two places of common words: a snippet of two fragments shows the best two of three.)
    fill=$(for i in $(seq 1 40); do printf 'Trời hôm nay đẹp. '; done)
    printf '{"id":"rare","title":"","body":"Hội nghị thường niên bàn về nông nghiệp. %s Hội nghị thường niên về nông nghiệp. %s Cuối cùng, ấn bản bản đồ cổ được trưng bày."}\n' \
        "$fill" "$fill"
    # Twelve documents that share two words: enough for a short query to stay as all.
    for i in $(seq 1 12); do
        echo "{\"id\":\"meet$i\",\"title\":\"\",\"body\":\"Hội nghị thường niên số $i bàn về nông nghiệp.\"}"
    done
} > "$T/src/docs.jsonl"
"$VNINDEX" -d "$IDX" "$T/src" >/dev/null

# json ARGS...: vnsearch --json on the index.
json() { "$VNSEARCH" -d "$IDX" -n 1000 --json "$@"; }
# ranked ARGS...: the ids in rank order.
ranked() { json "$@" | jq -r '[.results[].id] | join(" ")'; }

# A question holding a word no article contains (and question words) still finds the article
# that holds the rest; every bare word required finds nothing.
Q='Ai là chủ tịch Ủy ban Quốc gia về chuyển đổi số zyxwvq?'
out=$(json -- "$Q")
check "question: answered by default" "chair" "$(printf '%s' "$out" | jq -r '.results[0].id')"
check "question: match any" "any" "$(printf '%s' "$out" | jq -r .match)"
check "question: --match all finds nothing" "0" "$(json --match all -- "$Q" | jq '.results | length')"
check "question: --match all says all" "all" "$(json --match all -- "$Q" | jq -r .match)"
check "question: --match any the same first" "chair" "$(json --match any -- "$Q" | jq -r '.results[0].id')"
# Without the question mark, a short query whose all-words answer is empty is widened too.
check "typo: widened" "chair any" "$(json -- 'uy ban quoc gia zyxwvq' | jq -r '"\(.results[0].id) \(.match)"')"

# JSON: matched_words counts the distinct query words a result holds; query_words all of them.
# The question's words: ai la chu tich uy ban quoc gia ve chuyen doi so zyxwvq (13, "ai" and
# "zyxwvq" are in no document; "chair" holds the other 11).
check "query_words" "13" "$(printf '%s' "$out" | jq -r .query_words)"
check "matched_words of the answer" "11" "$(printf '%s' "$out" | jq -r '.results[0].matched_words')"
check "matched_words never above query_words" "true" \
    "$(printf '%s' "$out" | jq '[.results[] | .matched_words <= 13 and .matched_words >= 1] | all')"
check "matched_words ranks: more words first" "true" \
    "$(printf '%s' "$out" | jq '.results[0].matched_words >= ([.results[].matched_words] | max)')"
check "total counts the any answer" "true" \
    "$(printf '%s' "$out" | jq '.total >= 3')"
check "human: words shown under any" "1" \
    "$("$VNSEARCH" -d "$IDX" -n 1 --color=never -- "$Q" | grep -c '(score [0-9.]*, 11 of 13 words)')"

# auto: a short keyword query with enough all-words matches is answered as all.
out=$(json -- 'hoi nghi')
check "auto keyword: all" "all 13" "$(printf '%s' "$out" | jq -r '"\(.match) \(.results | length)"')"
# ... and one whose all-words answer is thin gets the partial matches.
out=$(json -- 'hoi nghi zyxwvq')
check "auto thin: any" "any 13" "$(printf '%s' "$out" | jq -r '"\(.match) \(.results | length)"')"
# A thin answer that any would not widen stays all (same documents, ranked as all ranks them).
check "auto thin, nothing to add: all" "all chair" "$(json -- 'pham minh chinh' | jq -r '"\(.match) \([.results[].id] | join(" "))"')"

# --match all is the language's old semantics: every bare word required.
check "all: every word" "school" "$(ranked --match all chuyen doi so giao duc)"
check "any: some words" "school chair" "$(ranked --match any chuyen doi so giao duc | cut -d' ' -f1,2)"
# any ranks the documents holding more of the words first.
check "any: more words first" "school" "$(ranked --match any 'chuyển đổi số giáo dục trường' | cut -d' ' -f1)"

# Operators keep their meaning under any: a quoted phrase is required, an exclusion excludes,
# title: is required.
check "any: phrase required" "gold" "$(ranked --match any '"giá vàng"' chuyen doi so)"
# ("so" is also in the meetings' "số", so they match too.)
check "any: exclusion excludes" "chair gold no-school" \
    "$(json --match any chuyen doi so -giao | jq -r '[.results[].id] | "\(.[0]) \(.[1]) \(if index("school") then "school" else "no-school" end)"')"
check "any: title: required" "school" "$(ranked --match any 'title:giao' chuyen doi so)"
check "any: exclusions, ranked" "chair" "$(ranked --match any 'chuyen doi so quoc gia -giao -vang' | cut -d' ' -f1)"
check "any: exclusions, gone" "0" "$(ranked --match any 'chuyen doi so quoc gia -giao -vang' | grep -cE 'school|gold')"

# --exact under any: a word typed with diacritics counts only in its exact form, and an accented
# typo does not empty the answer.
check "any --exact: accented typo" "school" "$(ranked --match any --exact 'giáo dục zyxwvê' | cut -d' ' -f1)"
check "any: other diacritics match folded" "1" "$(ranked --match any 'giào' | grep -c school)"
check "any --exact: exact forms only" "0" "$(ranked --match any --exact 'giào' | grep -c school)"

# --literal: pasted text with unbalanced quotes and brackets, colons, dashes, OR and *.
PASTE='Ủy ban" (chuyển -đổi: số OR * [quốc gia'
"$VNSEARCH" -d "$IDX" -- "$PASTE" >/dev/null 2>&1
check "without --literal: syntax error" "2" "$?"
out=$(json --literal -- "$PASTE")
check "--literal: exit 0" "0" "$?"
check "--literal: answered" "chair" "$(printf '%s' "$out" | jq -r '.results[0].id')"
check "--literal: dash is text, not exclusion" "true" \
    "$(printf '%s' "$out" | jq '[.results[].id] | index("school") != null')"
check "--literal: OR is a word" "or" "$(json --literal --match any -- 'OR' | jq -r '.query_words | if . == 1 then "or" else . end')"
check "--literal: nothing but punctuation" "2" "$("$VNSEARCH" -d "$IDX" --literal -- '"( ) -: *' >/dev/null 2>&1; echo $?)"
# Text longer than the word limit is read up to it, not refused.
long=$(for i in $(seq 1 400); do printf 'chuyển đổi số '; done)
check "--literal: 1,200 words accepted" "0" "$("$VNSEARCH" -d "$IDX" --literal -- "$long" >/dev/null 2>&1; echo $?)"
check "without --literal: 1,200 words refused" "2" "$("$VNSEARCH" -d "$IDX" -- "$long" >/dev/null 2>&1; echo $?)"

# Words no document holds: an empty answer, not an error, in every mode.
check "any: only absent words" "0 0 0" "$(json --match any zyxwvq qwertz | jq -r '"\(.total) \(.results | length)"') $?"
check "auto: only absent words" "0" "$(json zyxwvq qwertz | jq -r '.results | length')"

# Bad modes are usage errors.
check "--match bogus" "2" "$("$VNSEARCH" -d "$IDX" --match some x >/dev/null 2>&1; echo $?)"

# The snippet of a partial match shows where the most query words stand together.
snip=$(json --match any -- 'kho lưu trữ bản đồ cổ mưa' | jq -r '.results[] | select(.id == "long") | .snippet')
check "snippet: the dense place" "1" "$(printf '%s' "$snip" | grep -c 'kho lưu trữ quốc gia công bố bản đồ cổ')"

# ... and the rare words count more there than the common ones (6 words in 13 documents at the
# start and in the middle, 3 in 2 documents at the end): the end is one of the two fragments.
snip=$(json --match any -- 'hội nghị thường niên nông nghiệp bản đồ cổ' | jq -r '.results[] | select(.id == "rare") | .snippet')
check "snippet: rare words outweigh common ones" "1" "$(printf '%s' "$snip" | grep -c 'bản đồ cổ')"

finish
