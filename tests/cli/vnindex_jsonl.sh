#!/usr/bin/env bash
# vnindex over JSONL: files, gzip, stdin; ids from "id"; bad lines named with path and line.
. "$(dirname "$0")/lib.sh"
IDX="$T/idx"
cat > "$T/a.jsonl" <<'JSONL'
{"id": "a1", "title": "Chuyển đổi số ở Lạng Sơn", "body": "Lạng Sơn Cloud phục vụ người dân.", "source": "x"}
{"id": "a2", "title": "", "body": "Đồng chí Hồ Tiến Thiệu chủ trì hội nghị."}

{"id": 3, "title": "Chỉ có tiêu đề", "body": ""}
{"id": "bad-body", "title": "t", "body": 5}
{"id": "no-body", "title": "t"}
this is not json
{"title": "no id", "body": "x"}
{"id": "bad-title", "title": ["x"], "body": "y"}
JSONL
out=$("$VNINDEX" -d "$IDX" --json "$T/a.jsonl" 2>"$T/err"); rc=$?
check "exit status says something failed" 1 "$rc"
check "added" 3 "$(field "$out" added)"
check "failed" 5 "$(field "$out" failed)"
check "documents" 3 "$(field "$out" documents)"
check "non-string body named" 1 "$(grep -c "a.jsonl:5: missing or non-string \"body\"" "$T/err")"
check "missing body named" 1 "$(grep -c "a.jsonl:6: missing or non-string \"body\"" "$T/err")"
check "invalid JSON named" 1 "$(grep -c "a.jsonl:7: invalid JSON" "$T/err")"
check "missing id named" 1 "$(grep -c "a.jsonl:8: missing or invalid \"id\"" "$T/err")"
check "bad title named" 1 "$(grep -c "a.jsonl:9: \"title\" is not a string" "$T/err")"
check "ids from the id field" "a1" "$(ids lang son cloud)"
check "integer id" "3" "$(ids tieu de)"
check "title searchable" "Chuyển đổi số ở Lạng Sơn a1" \
    "$("$VNSEARCH" -d "$IDX" --json chuyen doi so | jq -r '.results[0] | "\(.title) \(.id)"')"

# The same file gzipped: all unchanged.
gzip -c "$T/a.jsonl" > "$T/a.jsonl.gz"
out=$("$VNINDEX" -d "$IDX" --json "$T/a.jsonl.gz" 2>/dev/null)
check "gzip unchanged" 3 "$(field "$out" unchanged)"

# stdin, with a changed article.
out=$(printf '{"id":"a2","body":"Đồng chí Hồ Tiến Thiệu phát biểu."}\n' | "$VNINDEX" -d "$IDX" --json -); rc=$?
check "stdin updated" 1 "$(field "$out" updated)"
check "stdin exit" 0 "$rc"
check "updated text found" "a2" "$(ids phat bieu)"
check "old text gone" "" "$(ids chu tri hoi nghi)"

# A directory of JSONL files: ids still come from the lines.
mkdir -p "$T/dir"
cp "$T/a.jsonl.gz" "$T/dir/"
out=$("$VNINDEX" -d "$T/idx2" --json "$T/dir" 2>/dev/null)
check "dir of jsonl added" 3 "$(field "$out" added)"
IDX="$T/idx2"
check "dir of jsonl ids" "a1" "$(ids lang son cloud)"
finish
