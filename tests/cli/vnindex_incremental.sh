#!/usr/bin/env bash
# vnindex over corpus/: first build, unchanged re-run, edit, removal, addition, --no-prune.
. "$(dirname "$0")/lib.sh"
mkdir -p "$T/src/sub"
cp "$SRC"/corpus/*.txt "$T/src/"
mv "$T/src/004_659a034c71d34f55.txt" "$T/src/sub/"
IDX="$T/idx"
ALL="000_582f45e862c6e7f9.txt 001_0ddd52ec78440146.txt 002_488010b27481680b.txt 003_8dabc641920b2bef.txt sub/004_659a034c71d34f55.txt"

out=$("$VNINDEX" -d "$IDX" --json "$T/src"); rc=$?
check "first run exit" 0 "$rc"
check "first run added" 5 "$(field "$out" added)"
check "first run documents" 5 "$(field "$out" documents)"
check "json keys" "added,updated,deleted,unchanged,failed,documents,seconds,mb_per_s,invalid_utf8,fields_dropped" \
    "$(printf '%s' "$out" | jq -r 'keys_unsorted | join(",")')"
check "json value types" "number,number,number,number,number,number,number,number,number,number" \
    "$(printf '%s' "$out" | jq -r '[.[] | type] | join(",")')"
check "chuyen doi so finds all five" "$ALL" "$(ids chuyen doi so)"
check "diacritics optional" "$(ids chuyển đổi số)" "$(ids chuyen doi so)"

out=$("$VNINDEX" -d "$IDX" --json "$T/src")
check "re-run unchanged" 5 "$(field "$out" unchanged)"
check "re-run added" 0 "$(field "$out" added)"
check "re-run updated" 0 "$(field "$out" updated)"

# An edit: a word no seed has.
printf '\nBài viết có thêm từ xylophon.\n' >> "$T/src/002_488010b27481680b.txt"
out=$("$VNINDEX" -d "$IDX" --json "$T/src")
check "edit updated" 1 "$(field "$out" updated)"
check "edit unchanged" 4 "$(field "$out" unchanged)"
check "edited text found" "002_488010b27481680b.txt" "$(ids xylophon)"
check "still five" 5 "$(field "$out" documents)"

# A removal.
check "before removal" "000_582f45e862c6e7f9.txt" "$(ids dien bien)"
rm "$T/src/000_582f45e862c6e7f9.txt"
out=$("$VNINDEX" -d "$IDX" --json "$T/src")
check "removal deleted" 1 "$(field "$out" deleted)"
check "removal documents" 4 "$(field "$out" documents)"
check "removed not found" "" "$(ids dien bien)"
check "removed gone from all" "001_0ddd52ec78440146.txt 002_488010b27481680b.txt 003_8dabc641920b2bef.txt sub/004_659a034c71d34f55.txt" "$(ids chuyen doi so)"

# An addition, and a removal kept by --no-prune.
printf 'Tin mới\nHội nghị về kinh tế số tại Điện Biên.\n' > "$T/src/sub/new.txt"
rm "$T/src/003_8dabc641920b2bef.txt"
out=$("$VNINDEX" -d "$IDX" --json --no-prune "$T/src")
check "addition added" 1 "$(field "$out" added)"
check "no-prune deleted" 0 "$(field "$out" deleted)"
check "no-prune documents" 5 "$(field "$out" documents)"
check "headline became title" "Tin mới sub/new.txt" \
    "$("$VNSEARCH" -d "$IDX" --json kinh te so dien bien | jq -r '.results[0] | "\(.title) \(.id)"')"

# Without --no-prune the next run deletes it; the index ends consistent with the directory.
out=$("$VNINDEX" -d "$IDX" --json "$T/src")
check "later prune" 1 "$(field "$out" deleted)"
check "later documents" 4 "$(field "$out" documents)"
xapian-check "$IDX" >/dev/null 2>&1
check "xapian-check passes" 0 "$?"

# $VNSEARCH_INDEX is the default index.
out=$(cd "$T" && VNSEARCH_INDEX="$IDX" "$VNINDEX" --json "$T/src")
check "VNSEARCH_INDEX used" 4 "$(field "$out" unchanged)"
finish
