#!/usr/bin/env python3
"""Spelling evaluation of vnsearch on VNTC: i/y, abbreviations, Telex/VNI, misspellings.

python3 stdlib only. Prints markdown tables on stdout (progress on stderr).

  nice -n 10 python3 tests/bench/spelling_eval.py \
      --new build-m/vnsearch --new-db /work/data/vntc4.db \
      --old /work/old/build/vnsearch --old-db /work/data/vntc.db \
      --corpus /work/shared/corpus/vntc.jsonl.gz --queries /work/data/q600.tsv \
      --abbr data/abbreviations.tsv [--sections 1,2,3,4]

Engines are run one query at a time (no parallelism).
"""
import argparse
import gzip
import json
import random
import re
import subprocess
import sys
import unicodedata

NFC = lambda s: unicodedata.normalize("NFC", s)

# ---------------------------------------------------------------- engines

class Engine:
    def __init__(self, binary, db, name):
        self.binary, self.db, self.name = binary, db, name
        self.calls = 0

    def run(self, query, *opts):
        """Return the parsed JSON answer (or {'error': rc}) for one query."""
        cmd = ["nice", "-n", "10", self.binary, "-d", self.db, "--json", *opts, "--", query]
        self.calls += 1
        p = subprocess.run(cmd, capture_output=True)
        if p.returncode != 0:
            return {"error": p.returncode, "stderr": p.stderr.decode("utf-8", "replace").strip()}
        return json.loads(p.stdout.decode("utf-8"))

    def count(self, query, *opts):
        r = self.run(query, "--count", "-n", "1", "--snippet-words", "1", *opts)
        if "error" in r:
            log("  %s error %s: %s" % (self.name, query, r))
        return r.get("total", -1)

    def ids(self, query, n, *opts):
        r = self.run(query, "-n", str(n), "--snippet-words", "1", *opts)
        if "error" in r:
            log("  %s error %s: %s" % (self.name, query, r))
        return [x["id"] for x in r.get("results", [])], r


# ---------------------------------------------------------------- corpus

class Doc:
    __slots__ = ("id", "title", "text", "low")


def load_corpus(path):
    docs = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            o = Doc()
            o.id = d["id"]
            o.title = NFC(d.get("title") or "")
            o.text = o.title + "\n" + NFC(d.get("body") or "")
            o.low = o.text.lower()
            docs.append(o)
    return docs


# A letter is a word character that is neither a digit nor "_" (Python's \w is
# Unicode-aware, so precomposed Vietnamese letters are letters here).
NOT_LETTER_BEFORE = r"(?<![^\W\d_])"
NOT_LETTER_AFTER = r"(?![^\W\d_])"
NOT_ALNUM_BEFORE = r"(?<!\w)"
NOT_ALNUM_AFTER = r"(?!\w)"


def any_diacritics_class(word):
    """Regex for a word typed without diacritics: each letter stands for itself with any diacritics."""
    out = []
    for c in word:
        forms = sorted({x for x in ALL_LOWER_LETTERS if strip_diacritics(x) == c} | {c})
        out.append("[" + "".join(forms) + "]" if len(forms) > 1 else re.escape(c))
    return "".join(out)


def phrase_regex(words_alts, flags=0, alnum=False):
    """words_alts: list of lists of alternative spellings, one list per word.
    A spelling given as ('RAW', regex) is used as a regex."""
    parts = ["(?:" + "|".join(a[1] if isinstance(a, tuple) else re.escape(a) for a in alts) + ")"
             for alts in words_alts]
    b, a = (NOT_ALNUM_BEFORE, NOT_ALNUM_AFTER) if alnum else (NOT_LETTER_BEFORE, NOT_LETTER_AFTER)
    return re.compile(b + r"\s+".join(parts) + a, flags)


def docs_matching(docs, regex, field="low", needle=None):
    out = set()
    for d in docs:
        t = getattr(d, field)
        if needle is not None and needle not in t:
            continue
        if regex.search(t):
            out.add(d.id)
    return out


# ---------------------------------------------------------------- Vietnamese letters

TONES = {"\u0301": 1, "\u0300": 2, "\u0309": 3, "\u0303": 4, "\u0323": 5}  # sắc huyền hỏi ngã nặng
MODS = {"\u0302": "circ", "\u0306": "breve", "\u031b": "horn"}
VOWELS = set("aeiouy")


def split_char(c):
    """-> (base letter, modifier or None, tone 0..5); đ/Đ -> ('d'/'D', 'stroke', 0)."""
    if c in "đĐ":
        return ("d" if c == "đ" else "D"), "stroke", 0
    nfd = unicodedata.normalize("NFD", c)
    base, mod, tone = nfd[0], None, 0
    for m in nfd[1:]:
        if m in TONES:
            tone = TONES[m]
        elif m in MODS:
            mod = MODS[m]
    return base, mod, tone


ALL_LOWER_LETTERS = [NFC(b + m + t) for b in "aeiouy" for m in ("", "\u0302", "\u0306", "\u031b")
                     for t in ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")] + ["đ"]


def engine_word(w):
    """How the engine reads a word of a phrase: typed with diacritics = exactly; without = any diacritics."""
    return [w] if has_diacritics(w) else [("RAW", any_diacritics_class(w))]


def has_diacritics(s):
    return any(split_char(c)[1] or split_char(c)[2] for c in s if c.isalpha())


def strip_diacritics(s):
    out = []
    for c in s:
        if c.isalpha() and ord(c) > 127:
            out.append(split_char(c)[0])
        else:
            out.append(c)
    return "".join(out)


def with_tone(c, tone):
    """c: a letter possibly with modifier but no tone; add tone 0..5."""
    if tone == 0:
        return c
    inv = {v: k for k, v in TONES.items()}
    return NFC(unicodedata.normalize("NFD", c) + inv[tone])


def syllable_tone(s):
    for c in s:
        t = split_char(c)[2]
        if t:
            return t
    return 0


def set_tone(syl, tone):
    """Remove the tone of syllable syl and put `tone` on the letter that bore it."""
    pos = None
    chars = list(syl)
    for i, c in enumerate(chars):
        b, m, t = split_char(c)
        if t:
            pos = i
            nfd = unicodedata.normalize("NFD", c)
            chars[i] = NFC("".join(x for x in nfd if x not in TONES))
    if pos is None:
        return None
    chars[pos] = with_tone(chars[pos], tone)
    return "".join(chars)


# ---------------------------------------------------------------- Telex / VNI

TELEX_MOD = {"circ": None, "breve": "w", "horn": "w", "stroke": None}  # circ/stroke: double the letter
TELEX_TONE = {1: "s", 2: "f", 3: "r", 4: "x", 5: "j"}
VNI_MOD = {"circ": "6", "horn": "7", "breve": "8", "stroke": "9"}


def telex_word(w, tone_after_vowel=False):
    if len(w) > 1 and w.isupper():  # ĐTDĐ typed in capitals: DDTDDD
        return telex_word(w.lower(), tone_after_vowel).upper()
    out, tone, tone_pos = [], 0, None
    for c in w:
        b, m, t = split_char(c)
        if m in ("circ", "stroke"):
            out.append(b + b.lower() if b.isupper() else b + b)
        elif m in ("breve", "horn"):
            out.append(b + "w")
        else:
            out.append(b)
        if t:
            tone, tone_pos = t, len(out)
    if not tone:
        return "".join(out)
    key = TELEX_TONE[tone]
    if tone_after_vowel:
        out.insert(tone_pos, key)
    else:
        out.append(key)
    return "".join(out)


def vni_word(w):
    base, digits, tone = [], [], 0
    for c in w:
        b, m, t = split_char(c)
        base.append(b)
        if m:
            digits.append(VNI_MOD[m])
        if t:
            tone = t
    return "".join(base) + "".join(digits) + (str(tone) if tone else "")


WORD_RE = re.compile(r"[^\W\d_]+")
TOKEN_RE = re.compile(r"[^\W_]+")  # letters and digits: a VNI word such as hoat5 is one token


def convert_query(q, fn):
    return WORD_RE.sub(lambda m: fn(m.group(0)), q)


# ---------------------------------------------------------------- output helpers

def table(headers, rows):
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    for r in rows:
        lines.append("| " + " | ".join(str(x).replace("|", "\\|") for x in r) + " |")
    return "\n".join(lines)


def pct(a, b):
    return "%.1f%%" % (100.0 * a / b) if b else "n/a"


def log(*a):
    print(*a, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- 1. i / y

IY_PAIRS = [
    ("lí do", "lý do"), ("kĩ thuật", "kỹ thuật"), ("tỉ đồng", "tỷ đồng"), ("quí khách", "quý khách"),
    ("kỉ niệm", "kỷ niệm"), ("hi sinh", "hy sinh"), ("địa lí", "địa lý"), ("thủ quĩ", "thủ quỹ"),
    ("kĩ năng", "kỹ năng"), ("kĩ sư", "kỹ sư"), ("tỉ lệ", "tỷ lệ"), ("tỉ số", "tỷ số"),
    ("tỉ giá", "tỷ giá"), ("quí giá", "quý giá"), ("kỉ lục", "kỷ lục"), ("thế kỉ", "thế kỷ"),
    ("hi vọng", "hy vọng"), ("bác sĩ", "bác sỹ"), ("ca sĩ", "ca sỹ"), ("nghệ sĩ", "nghệ sỹ"),
    ("sĩ quan", "sỹ quan"), ("chiến sĩ", "chiến sỹ"), ("kì thi", "kỳ thi"), ("vật lí", "vật lý"),
    ("tâm lí", "tâm lý"), ("xử lí", "xử lý"), ("quản lí", "quản lý"), ("hợp lí", "hợp lý"),
    ("mĩ mãn", "mỹ mãn"), ("hi hữu", "hy hữu"),
]
Y_WORDS = ["tay", "thủy", "tuy", "nguyên", "yêu", "quyết", "huy", "khuya", "máy", "ngày",
           "cây", "tuyển", "luyện", "duy", "quyền", "chuyện", "thuyền", "yến", "bày", "xuyên"]


def section_iy(docs, new, old):
    log("1. i/y")
    out = ["## 1. i / y\n",
           "Truth: articles whose NFC-lowercased title+body holds either spelling as a phrase "
           "(words separated by whitespace, no letter just before or after; as the engine reads a phrase, "
           "a word typed without diacritics, such as `quan` in `sĩ quan`, stands for any diacritics: "
           "quan, quân, quán...). Engines: each spelling "
           "typed as a quoted phrase, `--match all --count`, `total`.\n"]
    rows, ok, rows2 = [], 0, []
    for a, b in IY_PAIRS:
        ta = docs_matching(docs, phrase_regex([engine_word(w) for w in a.split()]), needle=a.split()[0])
        tb = docs_matching(docs, phrase_regex([engine_word(w) for w in b.split()]), needle=b.split()[0])
        truth = ta | tb
        c = {}
        for eng in (new, old):
            for w in (a, b):
                for ex in (True, False):
                    opts = ("--match", "all") + (("--exact",) if ex else ())
                    c[eng.name, w, ex] = eng.count('"%s"' % w, *opts)
        na, nb = c["new", a, True], c["new", b, True]
        verdict = "ok" if na == nb == len(truth) else "differs by %+d" % (na - len(truth)) if na == nb else "new(i) != new(y)"
        ok += verdict == "ok"
        rows.append([a + " / " + b, len(ta), len(tb), len(truth), na, nb,
                     c["old", a, True], c["old", b, True], verdict])
        rows2.append([a + " / " + b, c["new", a, False], c["new", b, False], c["old", a, False], c["old", b, False]])
    out.append("With `--exact` (diacritics typed must match; the i/y equivalence holds with or without it):\n")
    out.append(table(["pair", "truth i", "truth y", "truth union", "new i", "new y", "old i", "old y", "new = union"], rows))
    out.append("\nPairs where new(i) = new(y) = |union|: **%d / %d**\n" % (ok, len(IY_PAIRS)))
    out.append("Without `--exact` (default: a quoted phrase typed with diacritics also matches other diacritics, "
               "e.g. `\"sĩ quan\"` finds `sĩ quân`, so these exceed the truth by design):\n")
    out.append(table(["pair", "new i", "new y", "old i", "old y"], rows2))
    rows, eq = [], 0
    for w in Y_WORDS:
        o, n = old.count(w, "--match", "all"), new.count(w, "--match", "all")
        eq += o == n
        rows.append([w, o, n, "equal" if o == n else "DIFF %+d" % (n - o)])
    out.append("y in a vowel group (single word, `--match all --count`):\n")
    out.append(table(["word", "old", "new", ""], rows))
    out.append("\nEqual: **%d / %d**\n" % (eq, len(Y_WORDS)))
    return "\n".join(out)


# ---------------------------------------------------------------- 2. abbreviations

ABBR20 = ["UBND", "HĐND", "TP.HCM", "ĐBSCL", "THPT", "BHXH", "CSGT", "HLV", "CLB", "THCS",
          "BHYT", "CNTT", "TAND", "VKSND", "HTX", "NXB", "LHQ", "GTVT", "MTTQ", "QĐ"]


def tone_place_variants(syl):
    """Both tone placements for oa/oe/uy without a final consonant (hòa/hoà, ủy/uỷ)."""
    low = syl.lower()
    vs = {syl}
    base = strip_diacritics(low)
    t = syllable_tone(low)
    for grp in ("oa", "oe", "uy"):
        if t and base.endswith(grp) and len(syl) >= 2:
            i = len(syl) - 2
            plain = [NFC("".join(x for x in unicodedata.normalize("NFD", c) if x not in TONES)) for c in syl]
            v1 = plain[:]; v1[i] = with_tone(v1[i], t)
            v2 = plain[:]; v2[i + 1] = with_tone(v2[i + 1], t)
            vs |= {"".join(v1), "".join(v2)}
    return sorted(vs)


def read_abbr(path):
    rows = {}
    for line in open(path, encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        f = line.rstrip("\n").split("\t")
        rows[f[0]] = (f[1], [v for v in f[6].split(",") if v] if len(f) > 6 else [])
    return rows


def section_abbr(docs, new, old, abbr_path, a_terms_path):
    log("2. abbreviations")
    out = ["## 2. Abbreviations\n"]
    # (a) learned pairs
    terms = []
    for line in open(a_terms_path, encoding="utf-8"):
        t = line.rstrip("\n")
        if len(t) > 1 and t[0] == "A" and t[1].islower() and "\t" in t:
            terms.append(t[1:])
    keyphr = sorted(t for t in terms if " " not in t.split("\t")[0])
    out.append("(a) Terms `A<lowercase>...` in the new index: **%d**, i.e. %d pairs stored both ways; "
               "key->phrase terms (key without a space): **%d**.\n" % (len(terms), len(terms) // 2, len(keyphr)))
    sample = random.Random(13).sample(keyphr, min(100, len(keyphr)))
    out.append("Sample of 100 key->phrase (seed 13), to be judged by reading:\n")
    out.append(table(["#", "key", "phrase"], [[i + 1] + s.split("\t") for i, s in enumerate(sample)]))
    # (b) recall of 20 abbreviations
    ab = read_abbr(abbr_path)
    rows = []
    for a in ABBR20:
        exp, variants = ab[a]
        forms = [a] + variants + (["TP. HCM"] if a == "TP.HCM" else [])
        rx_a = re.compile("|".join(NOT_ALNUM_BEFORE + r"\s+".join(re.escape(p) for p in f.split()) + NOT_ALNUM_AFTER
                                   for f in forms))
        rx_e = phrase_regex([tone_place_variants(w.lower()) for w in exp.split()])
        needle_e = strip_diacritics(exp.lower().split()[-1])
        ta, te = set(), set()
        for d in docs:
            if any(f.split()[0] in d.text for f in forms) and rx_a.search(d.text):
                ta.add(d.id)
            if rx_e.search(d.low):
                te.add(d.id)
        truth = ta | te
        r = [a, exp, len(ta), len(te), len(truth)]
        for eng in (old, new):
            for q in (a, '"%s"' % exp):
                ids, js = eng.ids(q, 20000, "--match", "all")
                got = set(ids)
                r.append("%s (%d)" % (pct(len(got & truth), len(truth)), len(got)))
        rows.append(r)
        log("  ", a)
    out.append("\n(b) Recall of 20 abbreviations. Truth = articles with the abbreviation "
               "(case-sensitive, no letter or digit around it; its variants in data/abbreviations.tsv too, "
               "and `TP. HCM`) or the expansion (case-insensitive phrase, both tone placements of oa/oe/uy). "
               "Queries `--match all -n 20000`: the abbreviation bare, the expansion as a quoted phrase. "
               "Cells: recall (results returned).\n")
    out.append(table(["abbr", "expansion", "truth abbr", "truth exp", "truth union",
                      "old: abbr", "old: \"exp\"", "new: abbr", "new: \"exp\""], rows))
    return "\n".join(out)


# ---------------------------------------------------------------- 3. Telex / VNI

def read_queries(path):
    qs = []
    for line in open(path, encoding="utf-8"):
        f = line.rstrip("\n").split("\t")
        if len(f) >= 2:
            qs.append((f[0], f[1]))
    return qs


def top10(eng, q, *opts):
    r = eng.run(q, "-n", "10", "--snippet-words", "1", *opts)
    return [x["id"] for x in r.get("results", [])], r


def section_telex(queries, new):
    log("3. telex/vni")
    out = ["## 3. Telex and VNI\n"]
    plain_sf, stripped_sf, sugg = [], [], []
    base = {}
    for i, (kind, q) in enumerate(queries):
        ids, r = top10(new, q)
        base[q] = (ids, r)
        if "searched_for" in r:
            plain_sf.append((q, r["searched_for"]))
        if "suggestion" in r:
            sugg.append((q, r["suggestion"], r.get("total")))
        s = strip_diacritics(q)
        if s != q:
            _, r2 = top10(new, s)
        else:
            r2 = r
        if "searched_for" in r2:
            stripped_sf.append((s, r2["searched_for"]))
    accented = [(k, q) for k, q in queries if has_diacritics(q)]
    out.append("Queries: %d; typed with diacritics: **%d**; without any diacritic (nothing to convert): **%d**.\n"
               % (len(queries), len(accented), len(queries) - len(accented)))
    schemes = [
        ("Telex, tone at the end", lambda w: telex_word(w, False)),
        ("Telex, tone after the vowel", lambda w: telex_word(w, True)),
        ("VNI, digits at the end", vni_word),
    ]
    rows, fails = [], []
    for name, fn in schemes:
        same = read = 0
        why = {"held as typed": 0, "not read": 0, "read otherwise": 0, "read right, other top 10": 0}
        for kind, q in accented:
            cq = convert_query(q, fn)
            ids, r = top10(new, cq)
            want = base[q][0]
            if "searched_for" in r:
                read += 1
            if ids == want:
                same += 1
            else:
                # why: each converted word that an article holds as typed
                held = []
                for w in set(TOKEN_RE.findall(cq)) - set(TOKEN_RE.findall(q)):
                    if new.count(w, "--as-typed", "--match", "all") > 0:
                        held.append(w)
                sf = r.get("searched_for")
                if held:
                    reason = "held as typed: " + ", ".join(sorted(held))
                    why["held as typed"] += 1
                elif sf is None:
                    reason = "not read" + (" (prefix*)" if "*" in cq else "")
                    why["not read"] += 1
                elif NFC(sf).casefold() != NFC(q).casefold():
                    reason = "read otherwise"
                    why["read otherwise"] += 1
                else:
                    reason = "read right, other top 10"
                    why["read right, other top 10"] += 1
                fails.append((name, q, cq, sf or "", len(want), len(ids), reason))
        # Over every query, as the issue counts: one without diacritics is typed the same in
        # every scheme, and its top 10 stays its own unless it was rewritten (plain_sf).
        plain_kept = sum(1 for k, q in queries if not has_diacritics(q)
                         and q not in {p for p, _ in plain_sf})
        rows.append([name, len(accented), read, same, pct(same, len(accented)),
                     "%d / %d = %s" % (same + plain_kept, len(queries),
                                       pct(same + plain_kept, len(queries)))] + list(why.values()))
        log("  ", name, same)
    out.append(table(["scheme", "queries", "answer has searched_for", "top 10 = diacritics' top 10", "share",
                      "of all the queries",
                      "fail: a word held as typed", "fail: not read", "fail: read otherwise",
                      "fail: read right, other top 10"], rows))
    out.append("\nFailures:\n")
    out.append(table(["scheme", "query", "typed", "searched_for", "n(diacritics)", "n(typed)", "note"], fails))
    out.append("\nPlain queries that got a `searched_for` (must be 0): as given **%d / %d**, with diacritics "
               "removed **%d / %d**.\n" % (len(plain_sf), len(queries), len(stripped_sf), len(queries)))
    if plain_sf or stripped_sf:
        out.append(table(["query", "searched_for"], plain_sf + stripped_sf))
    return "\n".join(out), sugg


# ---------------------------------------------------------------- 4. misspellings

INITIAL_SWAPS = [("s", "x"), ("x", "s"), ("ch", "tr"), ("tr", "ch"), ("gi", "d"), ("d", "gi"),
                 ("d", "r"), ("r", "d"), ("gi", "r"), ("r", "gi"), ("n", "l"), ("l", "n")]
TONE_SWAPS = {3: 4, 4: 3, 1: 5, 5: 1}


def misspellings(w):
    """All one-confusion variants of word w (a syllable), each different from w."""
    low = w.lower()
    cands = []
    cap = w[0].isupper()
    def recap(s):
        return s[0].upper() + s[1:] if cap else s
    for a, b in INITIAL_SWAPS:
        if not low.startswith(a):
            continue
        rest = low[len(a):]
        if not rest or strip_diacritics(rest[0]) not in VOWELS:
            continue
        if a == "n" and rest[:1] in ("g", "h"):
            continue
        if a == "d" and strip_diacritics(rest[0]) == "i" and b == "gi":
            continue
        if a == "gi" and b in ("d", "r") and False:
            pass
        cands.append(recap(b + rest))
    # finals
    if len(low) > 2:
        if low.endswith("ng") and not low.endswith("ngh"):
            cands.append(w[:-2] + "n")
        elif low.endswith("n") and not low.endswith("nh"):
            cands.append(w + "g")
        elif low.endswith("c") and not low.endswith("ch"):
            cands.append(w[:-1] + "t")
        elif low.endswith("t"):
            cands.append(w[:-1] + "c")
    t = syllable_tone(low)
    if t in TONE_SWAPS:
        v = set_tone(w, TONE_SWAPS[t])
        if v:
            cands.append(v)
    return [c for c in dict.fromkeys(cands) if c != w]


def norm_words(s):
    return " ".join(WORD_RE.findall(NFC(s).casefold())) if s else ""


def section_missp(docs, new, sugg600, n600):
    log("4. misspellings")
    by_title = {}
    for d in docs:
        if d.title.strip():
            by_title.setdefault(" ".join(d.title.split()), []).append(d.id)
    titles = sorted(t for t, ids in by_title.items() if len(ids) == 1 and 4 <= len(t.split()) <= 12)
    rng = random.Random(13)
    rng.shuffle(titles)
    picked = []
    for t in titles:
        words = t.split()
        idx = [i for i, w in enumerate(words) if WORD_RE.fullmatch(w) and misspellings(w)]
        if not idx:
            continue
        i = rng.choice(idx)
        bad = rng.choice(misspellings(words[i]))
        mt = " ".join(words[:i] + [bad] + words[i + 1:])
        picked.append((t, mt, by_title[t][0], words[i], bad))
        if len(picked) == 300:
            break
    exact = token_eq = wrong = none = first = 0
    errors = 0
    examples = []
    for t, mt, did, w, bad in picked:
        r = new.run(mt, "-n", "10", "--snippet-words", "1")
        if "error" in r:
            errors += 1
            continue
        s = r.get("suggestion")
        ids = [x["id"] for x in r.get("results", [])]
        if ids[:1] == [did]:
            first += 1
        if s is None:
            none += 1
            examples.append(("none", t, mt, "", r.get("total"), ids[:1] == [did]))
        elif NFC(s).casefold() == NFC(t).casefold():
            exact += 1
        elif norm_words(s) == norm_words(t):
            token_eq += 1
        else:
            wrong += 1
            examples.append(("wrong", t, mt, s, r.get("total"), ids[:1] == [did]))
    n = len(picked)
    out = ["## 4. Misspellings\n",
           "%d VNTC titles (each the title of exactly one article, 4-12 words, seed 13), one word "
           "changed by one confusion (initial s/x, ch/tr, d/gi/r, n/l; final n/ng, c/t; tone hỏi/ngã, "
           "sắc/nặng). Query = the misspelled title, default options.\n" % n]
    out.append(table(["outcome", "count", "share"], [
        ["suggestion = original title (NFC, case-insensitive)", exact, pct(exact, n)],
        ["suggestion = original title's words (punctuation aside)", token_eq, pct(token_eq, n)],
        ["wrong suggestion", wrong, pct(wrong, n)],
        ["no suggestion", none, pct(none, n)],
        ["query error", errors, pct(errors, n)],
        ["right article still first", first, pct(first, n)],
    ]))
    out.append("\nFalse alarms: benchmark queries (correctly typed, as given) with a suggestion: **%d / %d** (%s).\n"
               % (len(sugg600), n600, pct(len(sugg600), n600)))
    if sugg600:
        out.append(table(["query", "suggestion", "total"], sugg600))
    out.append("\nWrong suggestions and misses (first 40):\n")
    out.append(table(["kind", "title", "typed", "suggestion", "total", "right first"], examples[:40]))
    return "\n".join(out)


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--new", default="build-m/vnsearch")
    ap.add_argument("--new-db", default="/work/data/vntc4.db")
    ap.add_argument("--old", default="/work/old/build/vnsearch")
    ap.add_argument("--old-db", default="/work/data/vntc.db")
    ap.add_argument("--corpus", default="/work/shared/corpus/vntc.jsonl.gz")
    ap.add_argument("--queries", default="/work/data/q600.tsv")
    ap.add_argument("--abbr", default="data/abbreviations.tsv")
    ap.add_argument("--a-terms", default=None,
                    help="file of `xapian-delve -1 -A A NEW_DB` output (made if not given)")
    ap.add_argument("--sections", default="1,2,3,4")
    a = ap.parse_args()
    secs = set(a.sections.split(","))
    new, old = Engine(a.new, a.new_db, "new"), Engine(a.old, a.old_db, "old")
    docs = load_corpus(a.corpus) if secs & {"1", "2", "4"} else []
    log("corpus", len(docs))
    queries = read_queries(a.queries)
    parts = []
    if "1" in secs:
        parts.append(section_iy(docs, new, old))
    if "2" in secs:
        path = a.a_terms
        if path is None:
            path = "/tmp/spelling_eval_aterms.txt"
            with open(path, "w") as f:
                subprocess.run(["nice", "-n", "10", "xapian-delve", "-1", "-A", "A", a.new_db], stdout=f, check=True)
        parts.append(section_abbr(docs, new, old, a.abbr, path))
    sugg = None
    if "3" in secs or "4" in secs:
        t, sugg = section_telex(queries, new)
        if "3" in secs:
            parts.append(t)
    if "4" in secs:
        parts.append(section_missp(docs, new, sugg, len(queries)))
    print("\n\n".join(parts))
    log("engine calls: new %d, old %d" % (new.calls, old.calls))


if __name__ == "__main__":
    main()
