#!/bin/bash
# vnsearch_metadata.sh: dates, sources, topics, tags and urls: kept by vnindex (JSONL fields and a
# .txt header block), filtered, sorted, counted by facets, shown with --show, exported and
# re-indexed (issue 14). Usage: vnsearch_metadata.sh BUILD_DIR SOURCE_DIR
. "$(dirname "$0")/lib.sh" "$1" "$2"
IDX="$T/idx"

# Seven articles: every field, dates in each form, two spellings of one source, one without a
# date, wrong fields (a date that does not parse, fields of the wrong type).
cat > "$T/news.jsonl" <<'JSONL'
{"id":"a1","title":"Giá vàng hôm nay tăng mạnh","body":"Giá vàng SJC tăng 500.000 đồng mỗi lượng.","date":"2024-05-06T08:30:00+07:00","source":"tuoitre.vn","topic":"Kinh tế","tags":["vàng","giá cả"],"url":"https://tuoitre.vn/a1"}
{"id":"a2","title":"Giá vàng giảm","body":"Giá vàng thế giới giảm nhẹ.","date":"2023-12-31","source":"VnExpress.net","topic":"Kinh tế","tags":["Vàng","vàng"]}
{"id":"a3","title":"Bóng đá Việt Nam","body":"Đội tuyển bóng đá thắng đậm, giá vé tăng.","date":1714959000,"source":"vnexpress.net","topic":"Thể thao"}
{"id":"a4","title":"Giá vàng không ngày","body":"Bài không có ngày về giá vàng.","source":"tuoitre.vn","topic":"the thao"}
{"id":"a5","title":"Ngày sai","body":"Giá vàng với ngày sai.","date":"2024-13-01","tags":"x"}
{"id":"a6","title":"Kiểu sai","body":"Giá vàng kiểu sai.","date":true,"source":5,"topic":"Thời sự"}
{"id":"a7","title":"Giá vàng đêm giao thừa","body":"Giá vàng lúc 23 giờ 30 giờ Hà Nội.","date":"2023-12-31T17:30:00Z","source":"thanhnien.vn"}
JSONL
out=$("$VNINDEX" -d "$IDX" --json "$T/news.jsonl" 2> "$T/err")
check "wrong fields: exit 1" 1 $?
check "wrong fields: every article indexed" 7 "$(field "$out" documents)"
check "wrong fields: counted" 2 "$(field "$out" fields_dropped)"
check "bad date: path, line, id, field" 1 "$(grep -c 'news.jsonl:5: document a5 indexed without: "date" 2024-13-01' "$T/err")"
check "bad tags type" 1 "$(grep -c 'a5 indexed without:.*"tags" is not an array of strings' "$T/err")"
check "bad date type and source type" 1 "$(grep -c 'news.jsonl:6: .*"source" is not a string; "date" is not a string nor an integer' "$T/err")"

# What --show gives back, by field (a6 keeps its right topic; a5 and a6 lost the wrong ones).
show() { "$VNSEARCH" -d "$IDX" --show "$1" --json | jq -r "$2"; }
while IFS='~' read -r id expr want; do
    check "show $id $expr" "$want" "$(show "$id" "$expr")"
done <<'TABLE'
a1~.date~2024-05-06T08:30:00+07:00
a1~.source~tuoitre.vn
a1~.topic~Kinh tế
a1~.tags|join(",")~vàng,giá cả
a1~.url~https://tuoitre.vn/a1
a1~.body~Giá vàng SJC tăng 500.000 đồng mỗi lượng.
a2~.date~2023-12-31
a3~.date~2024-05-06T08:30:00+07:00
a4~.date // "none"~none
a5~[.date, .tags] | map(. // "none") | join(",")~none,none
a6~[.source // "none", .topic] | join(",")~none,Thời sự
a7~.date~2023-12-31T17:30:00+00:00
TABLE
"$VNSEARCH" -d "$IDX" --show nope > /dev/null 2> "$T/err"
check "show unknown id: exit 1" 1 $?
check "show unknown id: says so" 1 "$(grep -c 'no document with id nope' "$T/err")"
check "show human: the id line" "id: a1" "$("$VNSEARCH" -d "$IDX" --show a1 | head -1)"
check "show human: the tags" 1 "$("$VNSEARCH" -d "$IDX" --show a1 | grep -c '^tags: vàng, giá cả$')"

# Filters: QUERY | the ids found (sorted). Dates are Vietnam time: a7 (17:30 UTC on the 31st) is
# 2024-01-01 there.
q() { "$VNSEARCH" -d "$IDX" -n 100 --json --match all -- "$1" | jq -r '[.results[].id] | sort | join(" ")'; }
while IFS='|' read -r query want; do
    check "filter [$query]" "$want" "$(q "$query")"
done <<'TABLE'
gia vang source:tuoitre.vn|a1 a4
source:VNEXPRESS.NET|a2 a3
source:"vnexpress.net"|a2 a3
topic:"the thao"|a3 a4
topic:"Thể Thao"|a3 a4
topic:thao|
tag:vang|a1 a2
tag:"gia ca"|a1
date:2024|a1 a3 a7
date:2023|a2
date:2023-12|a2
date:2023-12-31|a2
date:2024-01-01|a7
date:2024-05-06|a1 a3
date:..2023|a2
date:2024-05..|a1 a3
date:2023-12..2024-01|a2 a7
gia vang -source:tuoitre.vn|a2 a5 a6 a7
-date:2024|a2 a4 a5 a6
-source:tuoitre.vn -source:vnexpress.net|a5 a6 a7
-(source:tuoitre.vn)|a2 a3 a5 a6 a7
-(source:tuoitre.vn OR source:vnexpress.net)|a5 a6 a7
-(source:tuoitre.vn date:2024)|a2 a3 a4 a5 a6 a7
bong da OR source:tuoitre.vn|a1 a3 a4
(source:tuoitre.vn OR source:thanhnien.vn) date:2024|a1 a7
gia vang date:2024-05-06|a1
TABLE

# Filters never change scores: the same words with a filter score the same.
s1=$("$VNSEARCH" -d "$IDX" --json -- 'gia vang' | jq -r '.results[] | select(.id=="a1") | .score')
s2=$("$VNSEARCH" -d "$IDX" --json -- 'gia vang source:tuoitre.vn date:2024' | jq -r '.results[] | select(.id=="a1") | .score')
check "a filter does not change the score" "$s1" "$s2"
check "a filter alone scores 0" 0 "$("$VNSEARCH" -d "$IDX" --json -- 'source:tuoitre.vn' | jq -r '[.results[].score] | max')"

# Malformed filters: a syntax error with its position (exit 2).
while IFS='|' read -r query says; do
    "$VNSEARCH" -d "$IDX" -- "$query" > /dev/null 2> "$T/err"
    check "bad [$query]: exit 2" 2 $?
    check "bad [$query]: says" 1 "$(grep -c -- "$says" "$T/err")"
done <<'TABLE'
date:2024-13|position 6: 'date:' the month is not 01 to 12
date:2023-02-29|the day is not in that month
date:2024-5|the month is two digits (2024-05)
date:2024-05-9|the day is two digits (2024-05-09)
date:24|four-digit year
date:2024..2023|the range ends before it starts
date:..|needs a date on one side
source:|position 1: 'source:' needs a value
gia topic:"the thao|position 11: '"' is never closed
TABLE

# Sorting: newest and oldest put articles without a date last; equal dates, and the undated
# among themselves, by id.
sorted() { "$VNSEARCH" -d "$IDX" -n 100 --json --sort "$1" -- "$2" | jq -r '[.results[].id] | join(" ")'; }
check "sort newest" "a1 a3 a7 a2 a4 a5 a6" "$(sorted newest 'gia OR bong')"
check "sort oldest" "a2 a7 a1 a3 a4 a5 a6" "$(sorted oldest 'gia OR bong')"
check "sort newest, a page" "a7 a2" "$("$VNSEARCH" -d "$IDX" -n 2 --offset 2 --json --sort newest -- 'gia OR bong' | jq -r '[.results[].id] | join(" ")')"
check "sort by relevance is the default" "$(sorted relevance 'gia vang')" "$("$VNSEARCH" -d "$IDX" -n 100 --json -- 'gia vang' | jq -r '[.results[].id] | join(" ")')"
"$VNSEARCH" -d "$IDX" --sort latest gia > /dev/null 2> "$T/err"
check "sort: bad order, exit 2" 2 $?

# Ids that are prefixes of each other, on one date and undated: in id order, both ways.
printf '%s\n' '{"id":"b","body":"zqtie","date":"2024-01-01"}' '{"id":"ab","body":"zqtie","date":"2024-01-01"}' \
    '{"id":"a","body":"zqtie","date":"2024-01-01"}' '{"id":"z","body":"zqtie"}' '{"id":"y","body":"zqtie"}' \
    > "$T/tie.jsonl"
"$VNINDEX" -d "$T/tie" "$T/tie.jsonl" > /dev/null 2>&1
for order in newest oldest; do
    check "ties by id ($order)" "a ab b y z" "$("$VNSEARCH" -d "$T/tie" --json --sort $order zqtie | jq -r '[.results[].id] | join(" ")')"
done
# A tag repeated in other spellings past the 16th counts once per article.
python3 -c 'import json; print(json.dumps({"id":"many","body":"zqtags","tags":["t%d" % i for i in range(20)] + ["T19", "t19 "]}))' > "$T/tags.jsonl"
"$VNINDEX" -d "$T/tags" "$T/tags.jsonl" > /dev/null 2>&1
check "a tag counted once per article" 1 "$("$VNSEARCH" -d "$T/tags" --json --facets tag --facet-limit 50 zqtags | jq '[.facets.tag[].count] | max')"

# Two shards answer as the one index: the same order by date (ties by id) and the same facets.
"$VNINDEX" -d "$T/sh1" --shard 1/2 "$T/news.jsonl" > /dev/null 2>&1
"$VNINDEX" -d "$T/sh2" --shard 2/2 "$T/news.jsonl" > /dev/null 2>&1
for order in newest oldest; do
    one=$("$VNSEARCH" -d "$IDX" -n 100 --json --sort $order --facets source,tag,month -- 'gia OR bong' | jq -c '[.results[].id], .facets')
    two=$("$VNSEARCH" -d "$T/sh1" -d "$T/sh2" -n 100 --json --sort $order --facets source,tag,month -- 'gia OR bong' | jq -c '[.results[].id], .facets')
    check "shards sort $order and count as one index" "$one" "$two"
done

# Facets: counted over every match, not the page (-n 1); spellings that fold alike are one value
# (its commonest spelling); a document's two spellings of one tag count once.
fj=$("$VNSEARCH" -d "$IDX" -n 1 --json --facets source,topic,tag,year,month -- 'gia OR bong')
facet() { printf '%s' "$fj" | jq -r "[.facets.$1[] | \"\(.value)=\(.count)\"] | join(\" \")"; }
check "facet page is one result" 1 "$(printf '%s' "$fj" | jq '.results | length')"
check "facet source" "VnExpress.net=2 tuoitre.vn=2 thanhnien.vn=1" "$(facet source)"
check "facet topic" "Kinh tế=2 Thể thao=2 Thời sự=1" "$(facet topic)"
check "facet tag" "Vàng=2 giá cả=1" "$(facet tag)"
check "facet year" "2024=3 2023=1" "$(facet year)"
check "facet month" "2024-05=2 2023-12=1 2024-01=1" "$(facet month)"
check "facet limit" "VnExpress.net=2" "$("$VNSEARCH" -d "$IDX" --json --facets source --facet-limit 1 -- 'gia OR bong' | jq -r '[.facets.source[] | "\(.value)=\(.count)"] | join(" ")')"
check "facets with a filter" "Kinh tế=2" "$("$VNSEARCH" -d "$IDX" --json --facets topic -- 'gia vang tag:vang' | jq -r '[.facets.topic[] | "\(.value)=\(.count)"] | join(" ")')"
check "facets human block" "source: VnExpress.net (2), tuoitre.vn (2), thanhnien.vn (1)" "$("$VNSEARCH" -d "$IDX" --facets source -- 'gia OR bong' | grep '^source:')"
"$VNSEARCH" -d "$IDX" --facets sources gia > /dev/null 2> "$T/err"
check "facets: bad name, exit 2" 2 $?
check "no facets asked, no facets key" null "$("$VNSEARCH" -d "$IDX" --json gia | jq -c .facets)"

# The human id line shows the day and the source.
check "human id line" 1 "$("$VNSEARCH" -d "$IDX" --color=never -- 'source:tuoitre.vn date:2024' | grep -c '^   a1  2024-05-06  tuoitre.vn  (score')"

# A change of metadata alone is a change; the same metadata is not.
sed 's/"topic":"Kinh tế","tags":\["vàng"/"topic":"Tài chính","tags":["vàng"/' "$T/news.jsonl" > "$T/news2.jsonl"
out=$("$VNINDEX" -d "$IDX" --json "$T/news2.jsonl" 2> /dev/null)
check "metadata change: updated" 1 "$(field "$out" updated)"
check "metadata change: the rest unchanged" 6 "$(field "$out" unchanged)"
check "metadata change: seen" "Tài chính" "$(show a1 .topic)"
check "metadata change: old value gone" "" "$(q 'topic:"kinh te" source:tuoitre.vn')"

# Export, then re-index: the same articles, the same answers.
"$VNINDEX" -d "$IDX" --export > "$T/export.jsonl" 2> "$T/err"
check "export: exit 0" 0 $?
check "export: every article" 7 "$(wc -l < "$T/export.jsonl")"
check "export: says how many" 1 "$(grep -c 'exported 7 articles' "$T/err")"
"$VNINDEX" -d "$T/copy" "$T/export.jsonl" > /dev/null 2>&1
check "re-index the export: exit 0" 0 $?
"$VNINDEX" -d "$T/copy" --export > "$T/export2.jsonl" 2> /dev/null
check "export of the copy = export" "$(md5sum < "$T/export.jsonl")" "$(md5sum < "$T/export2.jsonl")"
for query in 'gia vang' 'source:vnexpress.net' 'date:2024 gia' 'tag:vang OR topic:"the thao"'; do
    a=$("$VNSEARCH" -d "$IDX" --json --sort newest --facets source,month -- "$query" | jq -c '[.results[] | [.id, .score, .date]], .facets, .total')
    b=$("$VNSEARCH" -d "$T/copy" --json --sort newest --facets source,month -- "$query" | jq -c '[.results[] | [.id, .score, .date]], .facets, .total')
    check "copy answers [$query] alike" "$a" "$b"
done
"$VNINDEX" -d "$T/none" --export > /dev/null 2> "$T/err"
check "export of no index: exit 4" 4 $?
"$VNINDEX" -d "$IDX" --export "$T/news.jsonl" > /dev/null 2> "$T/err"
check "export takes no SOURCE: exit 2" 2 $?

# A .txt file's header block; without the closing line, the file is all text.
mkdir -p "$T/txt"
printf -- '---\ndate: 2022-02-03\nsource: nhandan.vn\ntopic: Thế giới\ntags: hòa bình, ngoại giao\nurl: https://nhandan.vn/x\nauthor: ignored\n---\nHội nghị hòa bình\nCác bên ký thỏa thuận hòa bình.\n' > "$T/txt/hoa.txt"
printf -- '---\ndate: 2022-02-30\n---\nNgày không có\nBài có ngày sai.\n' > "$T/txt/sai.txt"
printf -- '---\ndate: 2022-02-03\nKhông đóng\nBài không đóng khối đầu.\n' > "$T/txt/mo.txt"
"$VNINDEX" -d "$T/tidx" "$T/txt" > /dev/null 2> "$T/err"
check "txt: a bad header date, exit 1" 1 $?
check "txt: bad date said" 1 "$(grep -c 'sai.txt: document sai.txt indexed without: "date" 2022-02-30' "$T/err")"
tshow() { "$VNSEARCH" -d "$T/tidx" --show "$1" --json | jq -c "$2"; }
check "txt header fields" '["2022-02-03","nhandan.vn","Thế giới","https://nhandan.vn/x",["hòa bình","ngoại giao"],"Hội nghị hòa bình"]' "$(tshow hoa.txt '[.date,.source,.topic,.url,.tags,.title]')"
check "txt header not in the text" 0 "$("$VNSEARCH" -d "$T/tidx" --json -- 'nhandan' | jq .total)"
check "txt header bad date: the rest kept" '[null,"Ngày không có"]' "$(tshow sai.txt '[.date,.title]')"
check "txt without a closing line: all text" '[null,"---"]' "$(tshow mo.txt '[.date,.title]')"

# Hostile metadata: a tag holding the facet's separator byte, 20,000 tags, a control character in
# a source, a date far out of range, a real number as a date.
python3 - "$T/hostile.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    rows = [
        {"id": "h1", "body": "Tin lạ một.", "tags": ["a\u001fb", "c"], "source": "x\u001b[31my"},
        {"id": "h2", "body": "Tin lạ hai.", "tags": ["t%d" % i for i in range(20000)]},
        {"id": "h3", "body": "Tin lạ ba.", "date": "9999-12-31T23:59:59-14:00"},
        {"id": "h4", "body": "Tin lạ bốn.", "date": 1e300},
    ]
    for r in rows:
        f.write(json.dumps(r) + "\n")
PY
IDX="$T/hidx"
out=$("$VNINDEX" -d "$IDX" --json "$T/hostile.jsonl" 2> "$T/err")
check "hostile: exit 1 (two dates dropped)" 1 $?
check "hostile: every article indexed" 4 "$(field "$out" documents)"
check "hostile: date out of range said" 1 "$(grep -c 'document h3 indexed without: "date"' "$T/err")"
check "hostile: a real date said" 1 "$(grep -c 'document h4 indexed without: "date" is not a string nor an integer' "$T/err")"
check "hostile: separator inside a tag" "a b=1 c=1" "$("$VNSEARCH" -d "$T/hidx" --json --facets tag -- 'tin la' -tag:t1 | jq -r '[.facets.tag[] | "\(.value)=\(.count)"] | join(" ")')"
check "hostile: 20,000 tags kept" 20000 "$("$VNSEARCH" -d "$T/hidx" --show h2 --json | jq '.tags | length')"
check "hostile: tag filter among 20,000" h2 "$(q 'tag:t19999')"
check "hostile: control character escaped" 1 "$("$VNSEARCH" -d "$T/hidx" --color=never -- 'tin la mot' | grep -c '^   h1  x\\x1b\[31my  (score')"

finish
