#!/usr/bin/env bash
# vnsearch over corpus/: each query feature with its exact set of documents, ranking, snippets, JSON.
. "$(dirname "$0")/lib.sh"
IDX="$T/idx"
"$VNINDEX" -d "$IDX" "$SRC/corpus" >/dev/null
D0=000_582f45e862c6e7f9.txt D1=001_0ddd52ec78440146.txt D2=002_488010b27481680b.txt
D3=003_8dabc641920b2bef.txt D4=004_659a034c71d34f55.txt

# ranked QUERY...: ids in rank order, every bare word required (the language's own semantics;
# vnsearch_match.sh tests the other modes).
ranked() {
    "$VNSEARCH" -d "$IDX" -n 1000 --json --match all "$@" | jq -r '[.results[].id] | join(" ")'
}
sorted() { ranked "$@" | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//'; }

#     name                         expected (sorted)          query
check "phrase dien bien"            "$D0"                      "$(sorted '"dien bien"')"
check "phrase out of order"         ""                         "$(sorted '"so doi chuyen"')"
check "phrase dong chi"             "$D0 $D1"                  "$(sorted '"dong chi"')"
check "phrase đồng chí"             "$D0 $D1"                  "$(sorted '"đồng chí"')"
check "phrase ho tien thieu"        "$D1"                      "$(sorted '"ho tien thieu"')"
check "bare words all seeds"        "$D0 $D1 $D2 $D3 $D4"      "$(sorted dong chi)"
check "exclusion of a phrase"       ""                         "$(sorted 'mobile money -"ban dan"')"
check "without the exclusion"       "$D2 $D4"                  "$(sorted 'mobile money')"
check "exclusion of a word"         "$D1"                      "$(sorted 'lang son -vneid')"
check "OR"                          "$D3 $D4"                  "$(sorted 'vneid OR 5g')"
check "OR of groups"                "$D0 $D3"                  "$(sorted '(dien bien) OR vneid')"
check "excluded group"              "$D1 $D2 $D4"              "$(sorted 'chuyen doi so -(vneid OR "dien bien")')"
check "prefix"                      "$D3 $D4"                  "$(sorted 'viett*')"
check "prefix with diacritics"      "$D3 $D4"                  "$(sorted 'Việtt*')"
check "excluded prefix"             "$D4"                      "$(sorted 'viettel -vtv*')"
check "title: word"                 "$D1 $D2 $D4"              "$(sorted 'title:chuyen')"
check "title: phrase"               "$D2"                      "$(sorted 'title:"dia phuong"')"
check "title: exclusion"            "$D0 $D3"                  "$(sorted 'chuyen doi so -title:chuyen')"
check "đ folds to d"                "$(sorted '"điện biên"')" "$(sorted '"dien bien"')"
check "decomposed query"            "$(sorted '"đồng chí"')" "$(sorted $'"\xc4\x91o\xcc\x82\xcc\x80ng chi\xcc\x81"')"

# Ranking: unquoted dong chi matches every seed but puts the two "đồng chí" articles first.
check "dong chi ranks the phrase first" "$D0 $D1" \
    "$(ranked dong chi | cut -d' ' -f1-2 | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//')"
# Exact diacritics rank higher: "bậc" is in D1 and D4, "bắc" in D2 and D3.
check "folded matches both forms"   "$D1 $D2 $D3 $D4"          "$(sorted bac)"
check "exact form first"            "$D1 $D4" \
    "$(ranked 'bậc' | cut -d' ' -f1-2 | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//')"
check "other exact form first"      "$D2 $D3" \
    "$(ranked 'bắc' | cut -d' ' -f1-2 | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//')"
check "--exact requires the form"   "$D1 $D4"                  "$(sorted --exact 'bậc')"
check "--exact, other form"         "$D2 $D3"                  "$(sorted --exact 'bắc')"
check "--exact ignores unaccented"  "$D1 $D2 $D3 $D4"          "$(sorted --exact 'bac')"
check "without --exact, folded"     "$(sorted bac)"            "$(sorted 'bậc')"

# Snippets: the original text with diacritics, the matched phrase highlighted whole.
snip=$("$VNSEARCH" -d "$IDX" lang son cloud | sed -n 3p)
check "snippet highlights Lạng Sơn Cloud" 1 "$(printf '%s' "$snip" | grep -c '\[Lạng Sơn Cloud\]')"
snip=$("$VNSEARCH" -d "$IDX" '"dien bien"' | sed -n 3p | sed 's/^ *//')
check "phrase highlighted whole" 1 "$(printf '%s' "$snip" | grep -c '\[Điện Biên\]')"
check "snippet cut with …" 1 "$(printf '%s' "$snip" | grep -c '^… .* …$')"
NO_COLOR= "$VNSEARCH" -d "$IDX" -n 1 --snippet-words 8 chuyen doi so > "$T/short"
words=$(sed -n 3p "$T/short" | tr -s ' ' '\n' | grep -vc '^…$\|^$')
check "snippet length honoured" 1 "$([ "$words" -le 12 ] && echo 1 || echo 0)"

# JSON: one object; highlight offsets slice the highlighted words.
json=$("$VNSEARCH" -d "$IDX" --json --count 'chuyen doi so')
check "json parses" "object" "$(printf '%s' "$json" | jq -r type)"
check "json keys" "query,match,query_words,total,exact_total,took_ms,results" "$(printf '%s' "$json" | jq -r 'keys_unsorted | join(",")')"
check "json result keys" "rank,id,title,score,snippet,highlights,highlights_chars,matched_words,heading" \
    "$(printf '%s' "$json" | jq -r '.results[0] | keys_unsorted | join(",")')"
check "--count is exact" "true 5" "$(printf '%s' "$json" | jq -r '"\(.exact_total) \(.total)"')"
# Slice every highlight with jq (byte offsets: jq strings are code points, so go through bytes).
sliced=$(printf '%s' "$json" | jq -r '.results[] | .snippet as $s | .highlights[] | "\(.[0]) \(.[1]) \($s|@base64)"' |
    while read -r a b s; do printf '%s' "$s" | base64 -d | head -c "$b" | tail -c "$((b - a))"; echo; done |
    LC_ALL=C sort -u | tr '\n' '|')
# CĐS too: a seed article defines it, "chuyển đổi số (CĐS)", and the index learned the pair.
check "highlights slice the matched words" "Chuyển đổi số|CĐS|chuyển đổi số|số|" "$sliced"
check "offset and limit" "$(ranked -n 3 chuyen doi so | cut -d' ' -f2-3)" "$(ranked --offset 1 -n 2 chuyen doi so)"
check "rank counts the offset" "2" "$("$VNSEARCH" -d "$IDX" --json --offset 1 -n 1 chuyen doi so | jq '.results[0].rank')"

# Zero results exit 0; syntax errors exit 2 with the position.
"$VNSEARCH" -d "$IDX" xylophon >/dev/null; check "zero results exit" 0 "$?"
check "zero results json" "0 []" "$("$VNSEARCH" -d "$IDX" --json xylophon | jq -c '"\(.total) \(.results)"' -r)"
for q in '"dien bien' '(a b' 'a OR' 'OR a' '*' 'a - b' '-a' '' '...' 'title:' 'a)'; do
    "$VNSEARCH" -d "$IDX" -- "$q" >/dev/null 2>"$T/err"; rc=$?
    check "syntax error exit for [$q]" 2 "$rc"
    check "syntax error message for [$q]" 1 "$(grep -c 'query error' "$T/err")"
done
check "error names the position" 1 "$(
    "$VNSEARCH" -d "$IDX" 'chuyen "doi so' 2>&1 | grep -c 'position 8')"
finish
