#!/bin/bash
# progress.sh: vnindex's progress line on a terminal (script(1) gives it one), in one process and
# under --jobs: the articles done, the share of the input read and the time left, growing to the
# end; nothing of it when stderr is not a terminal. Usage: progress.sh BUILD_DIR SOURCE_DIR
. "$(dirname "$0")/lib.sh" "$1" "$2"

# 3,000 articles of a few KB each (the line is drawn at most twice a second: a build that lasts
# over a second draws it more than once).
python3 - "$T/news.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w") as out:
    for i in range(3000):
        body = " ".join("bài %d câu %d về chuyển đổi số ở Việt Nam." % (i, k) for k in range(60))
        out.write(json.dumps({"id": "p%d" % i, "title": "Bài %d" % i, "body": body}) + "\n")
PY
gzip -k "$T/news.jsonl"

# lines FILE: the progress lines a terminal got (carriage returns as newlines).
lines() { tr '\r' '\n' < "$1" | grep -E 'documents' | grep -v ' in '; }

for jobs in 1 2; do
    for src in news.jsonl news.jsonl.gz; do
        rm -rf "$T/idx"
        script -qec "'$VNINDEX' -d '$T/idx' --jobs $jobs '$T/$src'" /dev/null > "$T/tty" 2>&1
        check "--jobs $jobs $src: built" 0 $?
        lines "$T/tty" > "$T/lines"
        check "--jobs $jobs $src: a progress line with a share and the time left" yes \
            "$(grep -qE '^[0-9]+ documents.*, [0-9]+%, [0-9]+:[0-9][0-9] left' "$T/lines" && echo yes)"
        # The shares never go down. (How many lines a build draws depends on the machine's
        # speed: one at least, checked above.)
        shares=$(grep -oE '[0-9]+%' "$T/lines" | tr -d % | tr '\n' ' ')
        check "--jobs $jobs $src: the share never goes down ($shares)" yes \
            "$(echo "$shares" | awk '{ for (i = 2; i <= NF; i++) if ($i < $(i-1)) exit 1 }' && echo yes)"
        check "--jobs $jobs $src: every article indexed" 3000 \
            "$("$VNSEARCH" -d "$T/idx" --json --count -- 'chuyển đổi số' | jq -r .total)"
    done
done

# Not a terminal: no progress line.
rm -rf "$T/idx"
"$VNINDEX" -d "$T/idx" --jobs 2 "$T/news.jsonl" > /dev/null 2> "$T/err"
check "no terminal: no progress line" 0 "$(grep -c 'left' "$T/err")"

finish
