#!/bin/bash
# sort_windows.sh: --sort newest and oldest answered from the months at the order's end first
# (searcher/sort_windows.c) give exactly the order of every match: pages of common words, of a
# rare phrase of common words (the windows widen), of words in fewer articles than a page, and
# of words mostly in undated articles, against the order computed here from the articles
# themselves (date, then id; undated last). Usage: sort_windows.sh BUILD_DIR SOURCE_DIR
. "$(dirname "$0")/lib.sh" "$1" "$2"
IDX="$T/idx"

# 4,000 dated articles over 2001..2024, more of them in late years (as in a news archive), with
# dates to the second (some equal), and 300 undated ones.
python3 - "$T/news.jsonl" <<'PY'
import json, random, sys
random.seed(7)
out = open(sys.argv[1], "w")
for i in range(4300):
    words = ["alpha"]
    if random.random() < 0.3: words.append("beta")
    if random.random() < 0.5: words.append("gamma")
    if random.random() < 0.5: words.append("delta")
    random.shuffle(words)
    if i % 271 == 0: words += ["gamma", "delta"]        # the phrase, about 16 times
    if i % 997 == 5: words.append("epsilon")            # fewer articles than a page
    doc = {"id": "d%04d" % i, "title": "t%d" % i, "body": " ".join(words) + " ."}
    if i < 4000:
        year = 2024 - min(23, int(random.expovariate(0.25)))
        doc["date"] = "%d-%02d-%02dT%02d:%02d:00" % (year, random.randint(1, 12), random.randint(1, 28),
                                                    random.randint(0, 23), random.choice([0, 30]))
    elif i % 3 == 0:
        doc["body"] += " zeta"                          # zeta: mostly undated articles
    if i in (17, 2024, 3999): doc["body"] += " zeta"
    out.write(json.dumps(doc) + "\n")
PY
"$VNINDEX" -d "$IDX" --jobs 1 "$T/news.jsonl" > /dev/null 2>&1
check "index built" 0 $?

# want QUERY ORDER OFFSET: the ids of the page (10 from OFFSET) computed from the articles.
want() {
    python3 - "$T/news.jsonl" "$1" "$2" "$3" <<'PY'
import json, sys
path, query, order, offset = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
phrase = query.startswith('"')
words = query.strip('"').split()
hits = []
for line in open(path):
    d = json.loads(line)
    body = d["body"].split()
    if phrase:
        ok = any(body[k:k + len(words)] == words for k in range(len(body)))
    else:
        ok = all(w in body for w in words)
    if ok: hits.append(d)
dated = [d for d in hits if "date" in d]
undated = sorted((d for d in hits if "date" not in d), key=lambda d: d["id"])
# Equal dates in id order under both orders; ISO strings of one form sort as dates.
dated.sort(key=lambda d: d["id"])
dated.sort(key=lambda d: d["date"], reverse=(order == "newest"))
print(" ".join(d["id"] for d in (dated + undated)[offset:offset + 10]))
PY
}
got() {
    "$VNSEARCH" -d "$IDX" --json --sort "$2" --offset "$3" -n 10 ${4:-} -- "$1" | jq -r '[.results[].id] | join(" ")'
}

for q in alpha beta '"gamma delta"' epsilon zeta 'beta gamma'; do
    for order in newest oldest; do
        for offset in 0 7 40; do
            w=$(want "$q" "$order" "$offset")
            check "$q --sort $order --offset $offset" "$w" "$(got "$q" "$order" "$offset")"
            check "$q --sort $order --offset $offset --count" "$w" "$(got "$q" "$order" "$offset" --count)"
        done
    done
done

# The count shown for a page found in a window stands for the whole query.
total=$("$VNSEARCH" -d "$IDX" --json --sort newest -- alpha | jq -r .total)
check "total of alpha under --sort newest is about all 4,300" 1 "$([ "$total" -ge 2000 ] && echo 1 || echo 0)"

finish
