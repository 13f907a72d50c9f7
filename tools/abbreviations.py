#!/usr/bin/env python3
"""Mine Vietnamese abbreviations from the corpora: definitions `<phrase> (<ABBR>)`.

Usage (from the project root):
    python3 tools/abbreviations.py ../shared/corpus [--out data/abbreviations.tsv]
        [--report tools/abbreviations-report.md] [--sample tools/abbreviations-sample.md]

Rule (the one the indexer will use to learn pairs):
  * ABBR is the content of a bracket `(...)`: 2-8 uppercase letters (Vietnamese
    letters included), optionally with dots (TP.HCM); or groups of uppercase
    letters joined by `-` or `&` (GD-ĐT, NN&PTNT), 2-8 letters in all.
  * Plain ABBR: the phrase is the N whitespace-separated syllables right before
    the bracket (on the same line), N = number of letters in ABBR.
    Hyphenated ABBR: walking back from the bracket, the syllable `và` and tokens
    without letters (`-`, `–`, `&`) are skipped and N other syllables are taken.
  * The phrase passes if the initials of its syllables (first letter of each,
    punctuation stripped, diacritics removed, Đ/đ -> D, case-insensitive)
    spell ABBR's letters (dots, hyphens, `&` removed, same folding).
Counts: definitions per (ABBR, phrase), phrase normalized NFC + lowercase;
articles in which the ABBR occurs as a word (case-sensitive, \\bABBR\\b), per corpus.

Python 3 standard library only.
"""
import argparse
import collections
import gzip
import json
import os
import random
import re
import sys
import time
import unicodedata

CORPORA = ("vntc", "baomoi", "viwiki")

# bracket content: uppercase letters with . - & separators (validated below)
BRACKET_RE = re.compile(r"\(\s*([^\W\d_](?:[^\W\d_]|[.\-&]){1,14}?)\.?\s*\)")
# uppercase letters (Vietnamese included)
UP = "".join(chr(i) for i in range(0x41, 0x2000) if chr(i).isupper() and chr(i).isalpha())
UPC = "[" + re.escape(UP) + "]"
# words made of uppercase letters, \bUBND\b-style
UWORD_RE = re.compile(r"(?<!\w)" + UPC + r"{2,}(?!\w)")
# compounds: TP.HCM, GD-ĐT, NN&PTNT
UDOT_RE = re.compile(r"(?<!\w)" + UPC + r"+\." + UPC + r"+(?!\w)")
UHYPH_RE = re.compile(r"(?<!\w)" + UPC + r"+(?:[-&]" + UPC + r"+)+(?!\w)")
# space-joined: TP HCM, TP. HCM (recorded as "TP HCM")
USPACE_RE = re.compile(r"(?<![\w.])(" + UPC + r"{2,4})\.? (" + UPC + r"{2,5})(?![\w.])")
SEP_RE = re.compile(r"[.\-&]")
STRIP_CHARS = "\"'“”‘’«»()[]{}<>,;:.!?…-–—/*•+"


def fold(s):
    """Remove diacritics, Đ/đ -> D, uppercase."""
    s = s.replace("Đ", "D").replace("đ", "d")
    s = unicodedata.normalize("NFD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return s.upper()


def abbr_letters(abbr):
    return SEP_RE.sub("", abbr)


def is_hyphenated(abbr):
    return "-" in abbr or "&" in abbr


def valid_abbr(abbr):
    """2-8 uppercase letters, optional dots, or groups joined by - / &."""
    if abbr.startswith((".", "-", "&")) or abbr.endswith((".", "-", "&")):
        return False
    if re.search(r"[.\-&]{2}", abbr):
        return False
    letters = abbr_letters(abbr)
    if not (2 <= len(letters) <= 8):
        return False
    if not all(c.isalpha() and c.isupper() for c in letters):
        return False
    if is_hyphenated(abbr) and "." in abbr:
        return False
    return True


def initial(tok):
    for c in tok:
        if c.isalpha():
            return c
    return ""


def clean_tok(tok):
    return tok.strip(STRIP_CHARS)


def define(before, abbr):
    """Phrase (as written) before the bracket for ABBR, and whether its
    initials spell ABBR. Returns (phrase_or_None, passes)."""
    letters = fold(abbr_letters(abbr))
    n = len(letters)
    toks = before.split()
    if is_hyphenated(abbr):
        picked = []
        i = len(toks) - 1
        first = None
        while i >= 0 and len(picked) < n:
            t = clean_tok(toks[i])
            if t == "" or t.lower() == "và":
                i -= 1
                continue
            picked.append(t)
            first = i
            i -= 1
        if len(picked) < n:
            return None, False
        span = toks[first:]
        picked.reverse()
    else:
        if len(toks) < n:
            return None, False
        span = toks[-n:]
        picked = [clean_tok(t) for t in span]
        if any(t == "" for t in picked):
            return None, False
    inits = fold("".join(initial(t) for t in picked))
    phrase = " ".join(span)
    phrase = phrase.strip(STRIP_CHARS.replace("-", "")).strip()
    return phrase, inits == letters


def norm_phrase(p):
    return unicodedata.normalize("NFC", p).lower()


def read_docs(path):
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            text = (d.get("title") or "") + "\n" + (d.get("body") or "")
            if not unicodedata.is_normalized("NFC", text):
                text = unicodedata.normalize("NFC", text)
            yield d["id"], text


def scan(corpus_dir):
    # per corpus: Counter of (abbr, normphrase) -> n ; raw spellings
    defs = {c: collections.Counter() for c in CORPORA}
    raw = collections.defaultdict(collections.Counter)   # (abbr, norm) -> raw
    cand = {c: collections.Counter() for c in CORPORA}   # bracket occurrences
    fails = {c: collections.Counter() for c in CORPORA}  # abbr -> failing occ
    docs = {c: collections.Counter() for c in CORPORA}   # word -> n docs
    ndocs = {}
    vntc_pass = []   # (doc id, abbr, phrase, context) for the sample
    for c in CORPORA:
        t0 = time.time()
        n = 0
        for did, text in read_docs(os.path.join(corpus_dir, c + ".jsonl.gz")):
            n += 1
            words = set(UWORD_RE.findall(text))
            words.update(UDOT_RE.findall(text))
            words.update(UHYPH_RE.findall(text))
            words.update(a + " " + b for a, b in USPACE_RE.findall(text))
            docs[c].update(words)
            if "(" not in text:
                continue
            for m in BRACKET_RE.finditer(text):
                abbr = m.group(1)
                if not valid_abbr(abbr):
                    continue
                cand[c][abbr] += 1
                start = m.start()
                ls = text.rfind("\n", 0, start) + 1
                before = text[max(ls, start - 300):start]
                phrase, ok = define(before, abbr)
                if not ok:
                    fails[c][abbr] += 1
                    continue
                key = (abbr, norm_phrase(phrase))
                defs[c][key] += 1
                # written case: skip sentence-initial occurrences (capitalized
                # by position) unless there is nothing else
                lead = before[:before.rfind(phrase)].rstrip()
                initial_pos = lead == "" or lead[-1] in ".!?:…\"“”'‘’-–—*•"
                raw[key][(phrase, initial_pos)] += 1
                if c == "vntc":
                    ctx = text[max(ls, start - 160):m.end() + 40].replace("\n", " ")
                    vntc_pass.append((did, abbr, phrase, ctx))
        ndocs[c] = n
        print(f"{c}: {n} docs, {sum(cand[c].values())} bracketed candidates, "
              f"{sum(defs[c].values())} pass, {time.time() - t0:.1f}s", file=sys.stderr)
    return defs, raw, cand, fails, docs, ndocs, vntc_pass


# phrases that are the same name written two ways (compared after merge_key)
SAME_PHRASE = {"LIEN HIEP QUOC": "LIEN HOP QUOC"}


def merge_key(p):
    """Same phrase spelled two ways: compared without diacritics and case
    (uỷ/ủy, hoà/hòa), without "và" and punctuation (tài nguyên - môi trường,
    tài nguyên và môi trường), and with the pairs in SAME_PHRASE."""
    toks = [clean_tok(t) for t in fold(p).split()]
    k = " ".join(t for t in toks if t and t != "VA")
    return SAME_PHRASE.get(k, k)


VI_SYLLABLE = re.compile(r"^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?"
                         r"[aeiouy]{1,3}(ng|nh|ch|[cmnpt])?$")


def is_vietnamese(phrase):
    """Every syllable has the shape of a Vietnamese syllable (drops Manchester
    United, Internet Explorer, General Motors...)."""
    for t in phrase.split():
        t = clean_tok(t)
        if not t:
            continue
        if not VI_SYLLABLE.match(fold(t).lower()):
            return False
    return True


def spells(abbr, phrase):
    """The initials rule of tools/check_abbreviations.py."""
    letters = fold(re.sub(r"[.\-& ]", "", abbr))
    toks = [clean_tok(t) for t in phrase.split()]
    if is_hyphenated(abbr):
        toks = [t for t in toks if t and t.lower() != "và"]
    if any(not initial(t) for t in toks):
        return False
    return fold("".join(initial(t) for t in toks)) == letters


def group_key(abbr):
    """TP.HCM, TPHCM, TP HCM -> TPHCM; GD-ĐT, GD&ĐT, GDĐT -> GDĐT."""
    return re.sub(r"[.\-& ]", "", abbr)


# required by the project: kept even with fewer than --min-defs definitions
# (each still needs a passing definition and an unambiguous expansion)
REQUIRED = ("UBND", "HĐND", "TP.HCM", "ĐBSCL", "THPT", "BHXH", "CSGT")
# checked by hand and left out, with the reason
EXCLUDE = {
    "TS": "tiến sĩ (a title, TS. Nguyễn Văn A, never defined in brackets) as much as thí sinh "
          "(44 of 53 definitions): the definitions do not show how the articles use it",
    "DV": "dương vật (3) vs dịch vụ (2): too few definitions to tell",
    "HA": "huyết áp in its 2 definitions, but the articles mostly mean Hoàng Anh (HA Gia Lai, HA.GL)",
    "SNSD": "suy nhược sinh dục in its 2 definitions, but the 2017 articles mean the Korean group "
            "Girls' Generation",
}
# also looked at (report only)
CHECKED = ("THCS", "HLV", "CLB", "ĐH", "ĐT", "WTO", "ASEAN", "BHYT", "CNTT", "GD-ĐT", "QĐ", "NXB",
           "LHQ", "HTX", "DNNN", "TW", "CA", "VKSND", "TAND", "MTTQ", "KHKT", "GTVT", "NN-PTNT",
           "LĐ-TB-XH", "TT-TT", "CĐS")


def written_form(members, rawfor, abbr):
    """How the expansion is most often written. The phrase: the most frequent
    (normalized) phrase of the top meaning that spells abbr; its spelling: the
    most frequent one, not counting ALL-CAPS (headlines) and sentence starts
    (capitalized by position) unless there is nothing else; ties go to a
    capital first letter, then to fewer capitals (Ủy ban nhân dân)."""
    for np, _ in sorted(members.items(), key=lambda x: (-x[1], x[0])):
        rawc = rawfor(np)
        for pred in (lambda p, ini: not ini and not p.isupper(),
                     lambda p, ini: not p.isupper(),
                     lambda p, ini: True):
            tot = collections.Counter()
            for (p, ini), n in rawc.items():
                if pred(p, ini) and spells(abbr, p):
                    tot[p] += n
            if tot:
                return max(tot, key=lambda p: (tot[p], p[:1].isupper(),
                                               -sum(ch.isupper() for ch in p), p))
    return None


# reporters' initials in bylines (N.K, H.V, T.T): not taken as a written form
BYLINE_RE = re.compile(r"^\w(\.\w)+$")


def choose(defs, raw, docs, args):
    alldefs = collections.Counter()
    for c in CORPORA:
        alldefs.update(defs[c])
    # group by abbreviation group (spelling variants of the abbreviation)
    groups = collections.defaultdict(lambda: collections.defaultdict(collections.Counter))
    for (abbr, np), n in alldefs.items():
        groups[group_key(abbr)][abbr][np] += n
    # all written forms of every group seen among document words
    forms = collections.defaultdict(lambda: collections.defaultdict(lambda: [0, 0, 0]))
    for i, c in enumerate(CORPORA):
        for w, n in docs[c].items():
            gk = group_key(w)
            if gk in groups and not BYLINE_RE.match(w):
                forms[gk][w][i] += n
    out = {"entries": [], "ambiguous": [], "foreign": [], "dated": [], "excluded": [],
           "few": [], "all": {}}
    for gk, byabbr in groups.items():
        phr = collections.Counter()
        for abbr, pc in byabbr.items():
            phr.update(pc)
        ndefs = sum(phr.values())
        merged = collections.Counter()
        members = collections.defaultdict(collections.Counter)
        for np, n in phr.items():
            merged[merge_key(np)] += n
            members[merge_key(np)][np] += n
        top_mk, top_n = merged.most_common(1)[0]
        fm = forms.get(gk, {})
        # canonical: the form in most articles; a space-joined form (TP HCM)
        # is two words, so only a variant
        solid = {w: sum(v) for w, v in fm.items() if " " not in w}
        if solid:
            canon = max(solid, key=lambda w: (solid[w], w))
        else:
            canon = max(byabbr, key=lambda a: sum(byabbr[a].values()))
        dc = list(fm.get(canon, [0, 0, 0]))
        recent = sum(v[1] + v[2] for w, v in fm.items())
        def rawfor(np):
            rawc = collections.Counter()
            for abbr in byabbr:
                rawc.update(raw.get((abbr, np), {}))
            return rawc
        info = dict(abbr=canon, ndefs=ndefs, docs=dc, merged=merged, members=members,
                    top=top_mk, share=top_n / ndefs, forms=fm, recent=recent,
                    expansion=written_form(members[top_mk], rawfor, canon))
        top_docs = sum(fm.get(canon, [0, 0, 0]))
        info["variants"] = sorted((w for w, v in fm.items()
                                   if w != canon and sum(v) >= max(10, 0.05 * top_docs)),
                                  key=lambda w: (-sum(fm[w]), w))
        for a in byabbr:
            out["all"][a] = info
        required = canon in REQUIRED
        if sum(dc) < args.min_docs and not required:
            continue
        if ndefs < args.min_defs and not required:
            out["few"].append(info)
            continue
        if info["share"] < args.min_share:
            out["ambiguous"].append(info)
        elif not is_vietnamese(info["expansion"] or top_mk):
            out["foreign"].append(info)
        elif canon in EXCLUDE:
            out["excluded"].append(info)
        elif recent < args.min_recent and not required:
            out["dated"].append(info)
        elif info["expansion"] is None:
            out["ambiguous"].append(info)
        else:
            out["entries"].append(info)
    for k in ("entries", "ambiguous", "foreign", "dated", "excluded", "few"):
        out[k].sort(key=lambda e: (-sum(e["docs"]), e["abbr"]))
    return out


HEADER = """\
# vnsearch: built-in list of Vietnamese abbreviations, with counts.
#
# Mined from the corpora VNTC (84,132 news articles, 2005-2006), baomoi (35,440
# news articles, 2017) and viwiki (7,860 Wikipedia pages, 2017) by finding
# definitions `<phrase> (<ABBR>)` whose phrase's initials spell the abbreviation.
# Made with (from the project root, corpora in ../shared/corpus):
#   {command}
# Report: tools/abbreviations-report.md. Check: python3 tools/check_abbreviations.py
#
# Columns (tab-separated, UTF-8 NFC; lines starting with # are comments):
#   1 abbr        the abbreviation as most often written (in most articles;
#                 a space-joined form such as "TP HCM" is only ever a variant)
#   2 expansion   what it stands for: the most frequent defined phrase, written
#                 as it is most often written (not counting ALL-CAPS headlines
#                 and sentence starts)
#   3 docs_vntc   articles of VNTC in which abbr occurs as a word (case-sensitive,
#                 \\bABBR\\b; title and body together, an article counts once;
#                 VNTC's 3,420 exact duplicate articles count as they are)
#   4 docs_baomoi the same for baomoi
#   5 docs_viwiki the same for viwiki
#   6 definitions definitions `<phrase> (<abbr or a variant>)` in the three corpora
#                 that pass the initials rule, whatever the phrase
#   7 variants    other spellings of the abbreviation, comma-separated, possibly
#                 empty (e.g. TPHCM,TP HCM): same letters once . - & and spaces
#                 are removed, in at least 10 articles and 5% as many as abbr;
#                 "TP HCM" also counts "TP. HCM"; reporters' initials such as
#                 T.T, P.V (bylines) are never taken as a form
#
# Initials rule (tools/check_abbreviations.py checks every line): split the
# expansion at spaces, strip punctuation from each syllable, take its first
# letter, remove diacritics, Đ/đ -> D, uppercase; the letters spell abbr with
# . - & removed and the same folding. Hyphenated abbreviations (a - or & between
# letter groups: GD-ĐT, NN&PTNT) stand for lists joined by "và": for them only,
# the syllable "và" and tokens without letters ("-") are skipped, e.g.
# GD-ĐT = Giáo dục và Đào tạo, LĐ-TB-XH = Lao động - Thương binh và Xã hội.
#
# Selection: abbr in at least {min_docs} articles of the three corpora, at least
# {min_defs} definitions, and the top phrase has at least {share}% of them
# (counted as one phrase: spellings differing in diacritics or case, uỷ/ủy,
# in "và" and punctuation, and liên hợp quốc / liên hiệp quốc); every syllable
# of the expansion has the shape of a Vietnamese syllable (so no MU =
# Manchester United; WTO, ASEAN are never defined by Vietnamese initials); in at least {min_recent} articles of the 2017 corpora
# (baomoi, viwiki: drops the 2005-2006 football clubs' sponsor names).
# Required, kept even below the thresholds (each has a passing definition):
# {required}.
# Left out by hand: {excluded}.
"""


def write_tsv(path, out, command, args):
    with open(path, "w", encoding="utf-8") as f:
        f.write(HEADER.format(command=command, min_docs=args.min_docs, min_defs=args.min_defs,
                              share=round(args.min_share * 100), min_recent=args.min_recent,
                              required=", ".join(REQUIRED), excluded=", ".join(EXCLUDE)))
        f.write("#\n# abbr\texpansion\tdocs_vntc\tdocs_baomoi\tdocs_viwiki\tdefinitions\tvariants\n")
        for e in out["entries"]:
            f.write("\t".join([e["abbr"], e["expansion"]] + [str(x) for x in e["docs"]] +
                              [str(e["ndefs"]), ",".join(e["variants"])]) + "\n")


def competing(e, k=5):
    return "; ".join(f"{e['members'][mk].most_common(1)[0][0]} ({n})" for mk, n in e["merged"].most_common(k))


def write_report(path, defs, cand, fails, ndocs, out, vntc_pass, elapsed, command, args, wrong_line):
    entries = out["entries"]
    L = []
    L.append("# Abbreviations mined from the corpora: report\n")
    L.append(f"Made by `{command}` (from the project root) in {elapsed:.0f} s: one pass over the three "
             "corpora, python3 under nice -n 10 on a shared 2-core machine.\n")
    L.append("## Definitions found\n")
    L.append("A candidate is a bracket holding 2-8 uppercase letters (dots, or `-`/`&` between letter groups, "
             "allowed). It passes if the syllables right before it spell its letters (the rule in "
             "`tools/abbreviations.py`); counts are occurrences, pairs are distinct (ABBR as written, phrase "
             "NFC + lowercase).\n")
    L.append("| corpus | docs | bracketed candidates | pass | fail | distinct (ABBR, phrase) passing "
             "| distinct ABBR passing | distinct ABBR never passing |")
    L.append("|---|---:|---:|---:|---:|---:|---:|---:|")
    for c in CORPORA:
        pa = {a for a, _ in defs[c]}
        never = {a for a in cand[c] if a not in pa}
        L.append(f"| {c} | {ndocs[c]:,} | {sum(cand[c].values()):,} | {sum(defs[c].values()):,} | "
                 f"{sum(fails[c].values()):,} | {len(defs[c]):,} | {len(pa):,} | {len(never):,} |")
    allp = set()
    for c in CORPORA:
        allp.update(defs[c])
    L.append(f"\nAll three corpora: {len(allp):,} distinct (ABBR, phrase) pairs pass, "
             f"{len({a for a, _ in allp}):,} distinct abbreviations.\n")
    L.append(f"**Pairs the rule learns on VNTC alone: {len(defs['vntc']):,} distinct (ABBR, phrase) pairs** "
             f"({len({a for a, _ in defs['vntc']}):,} distinct abbreviations) from "
             f"{sum(defs['vntc'].values()):,} passing definitions.\n")
    L.append("Most frequent failing candidates in VNTC (a bracket after something else than the phrase: "
             "foreign acronyms, the Người Lao Động byline `(NLĐ)`, `quận 1 (TP.HCM)`...): " +
             ", ".join(f"{a} {n}" for a, n in fails["vntc"].most_common(15)) + ".\n")
    L.append("## Entries\n")
    L.append(f"**{len(entries)} entries** in `data/abbreviations.tsv`. Top 30 by articles (three corpora):\n")
    L.append("| abbr | expansion | vntc | baomoi | viwiki | definitions | top phrase share | variants |")
    L.append("|---|---|---:|---:|---:|---:|---:|---|")
    for e in entries[:30]:
        L.append(f"| {e['abbr']} | {e['expansion']} | {e['docs'][0]:,} | {e['docs'][1]:,} | {e['docs'][2]:,} | "
                 f"{e['ndefs']} | {e['share']*100:.0f}% | {', '.join(e['variants'])} |")
    sections = [
        ("ambiguous", f"Dropped as ambiguous: the top phrase has under {round(args.min_share*100)}% of the "
                      "definitions (competing expansions with their definition counts)"),
        ("foreign", "Dropped as foreign: the expansion is not Vietnamese syllables"),
        ("dated", f"Dropped as dated: in under {args.min_recent} articles of baomoi + viwiki (2017)"),
        ("excluded", "Left out by hand"),
        ("few", f"Frequent, but under {args.min_defs} definitions"),
    ]
    for k, title in sections:
        L.append(f"\n## {title}\n")
        L.append("| abbr | articles | definitions | expansions |")
        L.append("|---|---:|---:|---|")
        for e in out[k]:
            why = EXCLUDE.get(e["abbr"], competing(e)) if k == "excluded" else competing(e)
            L.append(f"| {e['abbr']} | {sum(e['docs']):,} | {e['ndefs']} | {why} |")
    L.append("\n## The abbreviations asked about\n")
    L.append("| abbr | status |")
    L.append("|---|---|")
    ent = {e["abbr"]: e for e in entries}
    for a in REQUIRED + CHECKED:
        e = out["all"].get(a)
        if a in ent:
            st = f"in, as {a}"
        elif e and e["abbr"] in ent:
            st = f"in, as {e['abbr']}"
        elif e is None:
            st = "no passing definition in the corpora"
        else:
            where = [k for k in ("ambiguous", "foreign", "dated", "excluded", "few") if e in out[k]]
            st = (f"out ({where[0]}): " if where else "out (under the article threshold): ") + \
                 f"{sum(e['docs'])} articles, {e['ndefs']} definitions: {competing(e)}"
        L.append(f"| {a} | {st} |")
    L.append("\n## Sample of 100 VNTC definitions\n")
    L.append(f"100 of the {len(vntc_pass):,} passing definitions (occurrences) in VNTC, drawn with "
             "`random.Random(13).sample`, are in `tools/abbreviations-sample.md` with a verdict for each.\n")
    L.append(wrong_line + "\n")
    L.append("The rule is strict (every syllable's initial, no skipping), so a wrong pair is rare in a sample "
             "of 100 (with 0 wrong of 100 the rate is still up to about 3% at 95% confidence). Wrong ones do "
             "exist among the rarer pairs, e.g. `pc)far cry (PC)` and `2400image quality (IQ)` (text glued to "
             "the phrase), `k.khánh hòa (KH)` (a club's initial glued on); and a right pair can still be a "
             "local or dated meaning (TN = trắc nghiệm, TT = trực tiếp in one article each), which is why "
             "the built-in list asks for several definitions and a dominant expansion.\n")
    ub = out["all"]["UBND"]
    L.append("## Notes\n")
    L.append("- Article counts of two-letter abbreviations (TT, HC, DN, CN...) include their other meanings "
             "in articles that never define them; their expansion is the dominant one among definitions only.\n"
             "- TP.HCM is defined in brackets once only (`Thành phố Hồ Chí Minh (TP.HCM)`): everyone writes it "
             "without defining it; it is in as required. Its variants: `TP HCM` (also `TP. HCM`) and `TPHCM`.\n"
             f"- UBND has {ub['ndefs']} passing definitions in {sum(ub['docs']):,} articles, for the same reason.\n"
             "- Hyphenated abbreviations are in (GD-ĐT, NN&PTNT, TN&MT, TT&TT, KH-ĐT, LĐ-TB-XH, BR-VT, ĐH-CĐ): "
             "their expansion's syllables other than `và` (and tokens without letters such as `-`) spell "
             "the letters. Which of `-`, `&` or nothing is the usual form is decided by article counts.\n")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(L) + "\n")


def load_verdicts(path):
    """Verdicts already written by hand in the sample file: (doc, abbr, phrase) -> verdict."""
    v = {}
    if not path or not os.path.exists(path):
        return v
    with open(path, encoding="utf-8") as f:
        for line in f:
            cols = line.rstrip("\n").split(" | ")
            if len(cols) >= 6 and line.startswith("| ") and cols[0][2:].isdigit():
                v[(cols[1], cols[2], cols[3])] = cols[-1].rstrip(" |")
    return v


def write_sample(path, sample, verdicts):
    L = ["# 100 definitions drawn from VNTC (seed 13) among those passing the initials rule\n",
         "Drawn by `tools/abbreviations.py --sample` (`random.Random(13).sample` over the passing "
         "definition occurrences, in corpus order). Verdicts read and written by hand (the script keeps "
         "them when it rewrites this file): right = the phrase is what the abbreviation stands for; "
         "wrong = the initials match by accident or the phrase is cut or shifted.\n",
         "| # | doc | ABBR | phrase learned | context | verdict |", "|---:|---|---|---|---|---|"]
    for i, (did, abbr, phrase, ctx) in enumerate(sample, 1):
        ctx = ctx.replace("|", "\\|")
        L.append(f"| {i} | {did} | {abbr} | {phrase} | …{ctx}… | "
                 f"{verdicts.get((did, abbr, phrase), '?')} |")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(L) + "\n")


def verdict_line(sample, verdicts):
    vs = [verdicts.get((d, a, p), "?") for d, a, p, _ in sample]
    right = sum(v.startswith("right") for v in vs)
    wrong = [i for i, v in enumerate(vs, 1) if v.startswith("wrong")]
    unread = len(vs) - right - len(wrong)
    line = f"**Wrong: {len(wrong)} of {len(vs)}** (right {right}"
    line += f", not yet read {unread})" if unread else ")"
    if wrong:
        line += "; wrong ones: #" + ", #".join(map(str, wrong))
    return line + "."


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus_dir")
    ap.add_argument("--out", default="data/abbreviations.tsv")
    ap.add_argument("--report", default="tools/abbreviations-report.md")
    ap.add_argument("--sample", default="", help="write the 100 sampled VNTC definitions here "
                    "(verdicts to fill by hand)")
    ap.add_argument("--min-docs", type=int, default=30)
    ap.add_argument("--min-defs", type=int, default=2)
    ap.add_argument("--min-share", type=float, default=0.6)
    ap.add_argument("--min-recent", type=int, default=5)
    args = ap.parse_args()
    command = "python3 tools/abbreviations.py " + " ".join(sys.argv[1:])
    t0 = time.time()
    defs, raw, cand, fails, docs, ndocs, vntc_pass = scan(args.corpus_dir)
    out = choose(defs, raw, docs, args)
    sample = random.Random(13).sample(vntc_pass, 100)
    elapsed = time.time() - t0
    verdicts = load_verdicts(args.sample)
    write_tsv(args.out, out, command, args)
    write_report(args.report, defs, cand, fails, ndocs, out, vntc_pass, elapsed, command, args,
                 verdict_line(sample, verdicts) if args.sample else "(no --sample given)")
    if args.sample:
        write_sample(args.sample, sample, verdicts)
    print(f"{len(out['entries'])} entries; {elapsed:.0f}s", file=sys.stderr)


if __name__ == "__main__":
    main()
