#!/usr/bin/env python3
"""Check data/abbreviations.tsv: every entry's expansion spells its abbreviation.

Usage: python3 tools/check_abbreviations.py [data/abbreviations.tsv]

Rule (the header of the data file says the same): split the expansion at
spaces, strip punctuation from each syllable, take its first letter, remove
diacritics, Đ/đ -> D, uppercase; the letters must equal the abbreviation's
letters (. - & removed, same folding). For a hyphenated abbreviation (a - or &
between letter groups: GD-ĐT, NN&PTNT) the syllable "và" and tokens without
letters are skipped. Also checked: 7 columns, counts are integers, variants
have the same letters as abbr, no abbr or variant twice. Exit status 1 on any error.
Python 3 standard library only.
"""
import sys
import unicodedata

STRIP = "\"'“”‘’«»()[]{}<>,;:.!?…-–—/*•+"


def fold(s):
    s = s.replace("Đ", "D").replace("đ", "d")
    s = unicodedata.normalize("NFD", s)
    return "".join(c for c in s if not unicodedata.combining(c)).upper()


def letters(abbr):
    return fold("".join(c for c in abbr if c not in ".-& "))


def initials(expansion, hyphenated):
    out = []
    for tok in expansion.split():
        tok = tok.strip(STRIP)
        if hyphenated and (tok.lower() == "và" or not any(c.isalpha() for c in tok)):
            continue
        first = next((c for c in tok if c.isalpha()), None)
        if first is None:
            return None
        out.append(first)
    return fold("".join(out))


def check(path):
    errors, n = [], 0
    seen = {}
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            n += 1
            where = f"{path}:{lineno}"
            if unicodedata.normalize("NFC", line) != line:
                errors.append(f"{where}: not NFC")
            cols = line.split("\t")
            if len(cols) != 7:
                errors.append(f"{where}: {len(cols)} columns, want 7")
                continue
            abbr, exp, *counts, variants = cols
            if not all(c.isdigit() for c in counts):
                errors.append(f"{where}: counts not integers: {counts}")
            ls = letters(abbr)
            core = "".join(c for c in abbr if c not in ".-& ")
            if not (2 <= len(core) <= 8 and core.isalpha() and core.isupper()):
                errors.append(f"{where}: {abbr!r} is not 2-8 uppercase letters")
            hyph = "-" in abbr or "&" in abbr
            got = initials(exp, hyph)
            if got != ls:
                errors.append(f"{where}: {abbr} = {exp!r}: initials {got} != {ls}")
            for v in ([abbr] + (variants.split(",") if variants else [])):
                if letters(v) != ls:
                    errors.append(f"{where}: variant {v!r} has other letters than {abbr}")
                if v in seen:
                    errors.append(f"{where}: {v!r} already on line {seen[v]}")
                seen[v] = lineno
    return n, errors


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "data/abbreviations.tsv"
    n, errors = check(path)
    for e in errors:
        print(e)
    print(f"{n} entries, {len(errors)} errors")
    sys.exit(1 if errors or n == 0 else 0)


if __name__ == "__main__":
    main()
