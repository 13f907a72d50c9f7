#!/usr/bin/env bash
# vnsearch's output as attacked from outside: terminal escapes from articles, HTML snippets, color,
# write errors, queries that are not UTF-8, an index given twice, and the time budget.
. "$(dirname "$0")/lib.sh"
IDX="$T/idx"
mkdir -p "$T/src"
printf '%s\n' \
    '{"id":"\u001b[31mRED\u001b[0m","title":"\u001b]0;pwned\u0007Tiêu đề","body":"zqesc \u001b[2J xoá <script>alert(1)</script> & \u009b1m \"x\" '"'"'y'"'"'"}' \
    '{"id":"nl\nid","title":"dòng\nmới","body":"zqnl một\rhai\tba"}' > "$T/src/e.jsonl"
"$VNINDEX" -d "$IDX" "$T/src" >/dev/null
ESC=$'\x1b'

# Human output: no control character from the index reaches the terminal; each is shown.
out=$("$VNSEARCH" -d "$IDX" zqesc)
check "escapes: no ESC in human output" 0 "$(printf '%s' "$out" | grep -c "$ESC")"
check "escapes: no BEL in human output" 0 "$(printf '%s' "$out" | grep -c $'\x07')"
check "escapes: no C1 CSI in human output" 0 "$(printf '%s' "$out" | grep -c $'\xc2\x9b')"
check "escapes: heading shown" 1 "$(printf '%s' "$out" | grep -cF '1. \x1b]0;pwned\x07Tiêu đề')"
check "escapes: id shown" 1 "$(printf '%s' "$out" | grep -cF '\x1b[31mRED\x1b[0m  (score')"
check "escapes: snippet shown" 1 "$(printf '%s' "$out" | grep -cF '[zqesc] \x1b[2J xoá')"
check "escapes: C1 shown" 1 "$(printf '%s' "$out" | grep -cF '\u009b1m')"
out=$("$VNSEARCH" -d "$IDX" zqnl)
check "escapes: newlines keep one result to 3 lines" 5 "$(printf '%s\n' "$out" | wc -l)"
check "escapes: newline in a title shown" 1 "$(printf '%s' "$out" | grep -cF '1. dòng\x0amới')"
# JSON gives every byte exactly.
json=$("$VNSEARCH" -d "$IDX" --json zqesc)
check "escapes: JSON id exact" "${ESC}[31mRED${ESC}[0m" "$(printf '%s' "$json" | jq -r '.results[0].id')"
check "escapes: JSON title exact" "${ESC}]0;pwned"$'\x07'"Tiêu đề" \
    "$(printf '%s' "$json" | jq -r '.results[0].title')"

# Color: never in a pipe or with TERM=dumb (auto), always when asked, never when refused.
tty_run() { script -qec "$1" /dev/null | tr -d '\r'; }
check "color: not in a pipe" 0 "$("$VNSEARCH" -d "$IDX" zqesc | grep -c "$ESC\[1;33m")"
check "color: --color=always" 1 "$("$VNSEARCH" -d "$IDX" --color=always zqesc | grep -c "$ESC\[1;33mzqesc$ESC\[0m")"
check "color: on a terminal" 1 \
    "$(TERM=xterm NO_COLOR= tty_run "env -u NO_COLOR '$VNSEARCH' -d '$IDX' zqesc" | grep -c "$ESC\[1;33m")"
check "color: TERM=dumb gets none" 0 \
    "$(TERM=dumb tty_run "env -u NO_COLOR '$VNSEARCH' -d '$IDX' zqesc" | grep -c "$ESC\[")"
check "color: --color=never on a terminal" 0 \
    "$(TERM=xterm tty_run "env -u NO_COLOR '$VNSEARCH' -d '$IDX' --color=never zqesc" | grep -c "$ESC\[")"
check "color: still no escapes from the index on a terminal" 0 \
    "$(TERM=xterm tty_run "env -u NO_COLOR '$VNSEARCH' -d '$IDX' zqesc" | grep -c "$ESC\[2J\|$ESC\]0")"
"$VNSEARCH" -d "$IDX" --color=sometimes zqesc >/dev/null 2>&1
check "color: a bad WHEN is a usage error" 2 "$?"

# HTML: the text escaped, the markers not.
want='<mark>zqesc</mark> \x1b[2J xoá &lt;script&gt;alert(1)&lt;/script&gt; &amp; \u009b1m &quot;x&quot; &#39;y&#39;'
check "html: human snippet" "   $want" "$("$VNSEARCH" -d "$IDX" --html zqesc | sed -n 3p)"
json=$("$VNSEARCH" -d "$IDX" --html --json zqesc)
check "html: JSON snippet_html" \
    "<mark>zqesc</mark> ${ESC}[2J xoá &lt;script&gt;alert(1)&lt;/script&gt; &amp; "$'\xc2\x9b'"1m &quot;x&quot; &#39;y&#39;" \
    "$(printf '%s' "$json" | jq -r '.results[0].snippet_html')"
check "html: JSON snippet stays plain" 1 "$(printf '%s' "$json" | jq -r '.results[0].snippet' | grep -c '<script>')"
check "html: no snippet_html without --html" null "$("$VNSEARCH" -d "$IDX" --json zqesc | jq '.results[0].snippet_html')"

# Write errors: results that were not written are a failure (exit 1, said).
for mode in "" --json --html; do
    "$VNSEARCH" -d "$IDX" $mode zqesc >/dev/full 2>"$T/err"; rc=$?
    check "/dev/full $mode: exit 1" 1 "$rc"
    check "/dev/full $mode: said" 1 "$(grep -c 'cannot write the results' "$T/err")"
done
"$VNSEARCH" --help >/dev/full 2>/dev/null
check "/dev/full --help: exit 1" 1 "$?"

# A query that is not UTF-8 is a query error (exit 2) for every output, named at its position.
for mode in "" --json; do
    out=$("$VNSEARCH" -d "$IDX" $mode "zqesc $(printf '\xff')x" 2>"$T/err"); rc=$?
    check "not UTF-8 $mode: exit 2" 2 "$rc"
    check "not UTF-8 $mode: said" 1 "$(grep -c 'position 7: byte 0xFF is not UTF-8' "$T/err")"
    check "not UTF-8 $mode: nothing on stdout" "" "$out"
done

# An index given twice (same path, another spelling, a symlink) is searched once, and said.
ln -s "$IDX" "$T/link"
once=$("$VNSEARCH" -d "$IDX" --json zqesc | jq -c '[.total, [.results[].id]]')
for second in "$IDX" "$T/./idx/" "$T/link"; do
    got=$("$VNSEARCH" -d "$IDX" -d "$second" --json zqesc 2>"$T/err" | jq -c '[.total, [.results[].id]]')
    check "same index twice ($second): searched once" "$once" "$got"
    check "same index twice ($second): said" 1 "$(grep -c 'again: searched once' "$T/err")"
done

# The time budget: a query still running at its end is stopped with a query error (exit 2); the
# default budget answers it.
python3 - "$T/src/big.jsonl" <<'PY'
import json, random, sys
random.seed(7)
syl = [a + b for a in "bcdghklmnpqrstvx" for b in ["a", "e", "i", "o", "u", "an", "ong", "inh"]]
with open(sys.argv[1], "w") as f:
    for i in range(3000):
        body = " ".join(random.choice(syl) for _ in range(60))
        f.write(json.dumps({"id": "big%d" % i, "title": "zqbig", "body": body}) + "\n")
PY
"$VNINDEX" -d "$T/big" "$T/src/big.jsonl" >/dev/null
Q="zqbig ($(printf '%s* OR ' b c d g h k l m n p q r s t v) x*)"
"$VNSEARCH" -d "$T/big" --time-limit 1 --count -- "$Q" >/dev/null 2>"$T/err"; rc=$?
check "time budget: exit 2" 2 "$rc"
check "time budget: said" 1 "$(grep -c 'longer than its time budget (1 ms)' "$T/err")"
"$VNSEARCH" -d "$T/big" --count -- "$Q" >/dev/null 2>"$T/err"
check "time budget: the default answers" 0 "$?"
"$VNSEARCH" -d "$T/big" --time-limit x -- "$Q" >/dev/null 2>&1
check "time budget: a bad value is a usage error" 2 "$?"
# highlights_chars: character offsets that slice a Python (or JavaScript) string where the byte
# offsets of highlights slice its UTF-8 bytes; accented text makes the two differ.
"$VNINDEX" -d "$T/seed" "$SRC/corpus" > /dev/null
for q in 'chuyển đổi số' 'lạng sơn' '"thủ tướng"' 'hội nghị'; do
    "$VNSEARCH" -d "$T/seed" --json -n 20 -- "$q" > "$T/hl.json"
    got=$(python3 - "$T/hl.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
n = bad = 0
for r in d["results"]:
    s, b = r["snippet"], r["snippet"].encode()
    assert len(r["highlights"]) == len(r["highlights_chars"])
    for (b0, b1), (c0, c1) in zip(r["highlights"], r["highlights_chars"]):
        n += 1
        bad += b[b0:b1].decode() != s[c0:c1] or (b1 - b0 == c1 - c0 and b[b0:b1] != s[c0:c1].encode())
print("ok" if n > 0 and bad == 0 and any(h[0] != c[0] for r in d["results"] for h, c in zip(r["highlights"], r["highlights_chars"])) else "bad %d of %d" % (bad, n))
PY
)
    check "highlights_chars slice as highlights do [$q]" ok "$got"
done

finish
