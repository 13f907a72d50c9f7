#!/usr/bin/env bash
# The ways one Vietnamese word is written (issue 13): i and y, words typed joined (U-19,
# 6/2/2017), invisible format characters, full-width letters. Each rule with real words from the
# corpora, and the cases that must not change.
. "$(dirname "$0")/lib.sh"
IDX="$T/idx"
mkdir -p "$T/src"
{
    # i / y: house styles differ (VNTC, the seed articles).
    echo '{"id":"ki","title":"","body":"Đội ngũ cán bộ kĩ thuật của tỉnh."}'
    echo '{"id":"ky","title":"","body":"Đội ngũ cán bộ kỹ thuật của tỉnh."}'
    echo '{"id":"ti","title":"","body":"Dự án trị giá 3.500 tỉ đồng."}'
    echo '{"id":"ty","title":"","body":"Dự án trị giá 3.500 tỷ đồng."}'
    echo '{"id":"qui","title":"","body":"Kết quả quí I năm nay."}'
    echo '{"id":"quy","title":"","body":"Kết quả quý I năm nay."}'
    echo '{"id":"my","title":"","body":"Tổng thống Mỹ thăm Hà Nội."}'
    # y in a vowel group stays itself: tay is not tai, thủy is not thủi.
    echo '{"id":"tay","title":"","body":"Bàn tay khéo léo."}'
    echo '{"id":"tai","title":"","body":"Tai nạn giao thông."}'
    echo '{"id":"thuy","title":"","body":"Thủy điện Sơn La."}'
    # Words typed joined: one unit, against the same words scattered.
    echo '{"id":"u19","title":"","body":"Đội tuyển U-19 Việt Nam thắng 6/2/2006."}'
    echo '{"id":"scattered","title":"","body":"Ngày 6 tháng 2 năm 2006, anh U Minh 19 tuổi về đội."}'
    # Invisible characters pasted from the web, inside and around words; full-width letters.
    printf '{"id":"shy","title":"","body":"Chương trình chuy\\u00adển đổi số quốc gia."}\n'
    printf '{"id":"zwsp","title":"","body":"Phát triển kinh \\u200bt\\u200bế\\u200b số bền vững."}\n'
    printf '{"id":"rlm","title":"","body":"Thành phố \\u200fĐà Nẵng\\u200e và \\ufeffHuế."}\n'
    printf '{"id":"fullwidth","title":"","body":"Sở Y tế \\uff34\\uff30\\uff0e\\uff28\\uff23\\uff2d thông báo."}\n'
    # Abbreviations: defined in passing (learned), used alone, and from the built-in list.
    echo '{"id":"def","title":"","body":"Ủy ban nhân dân (UBND) tỉnh Lào Cai họp về chuyển đổi số (CĐS)."}'
    echo '{"id":"short","title":"","body":"UBND tỉnh Yên Bái ban hành kế hoạch CĐS năm nay."}'
    echo '{"id":"long","title":"","body":"Ủy ban nhân dân tỉnh Điện Biên họp bàn kế hoạch."}'
    echo '{"id":"city1","title":"","body":"Giá nhà ở TP.HCM tăng mạnh."}'
    echo '{"id":"city2","title":"","body":"Giá nhà ở TPHCM giảm nhẹ."}'
    echo '{"id":"city3","title":"","body":"Thành phố Hồ Chí Minh mở rộng đường."}'
    echo '{"id":"city4","title":"","body":"Giá nhà ở Hà Nội ổn định."}'
    echo '{"id":"police","title":"","body":"Lực lượng Công an (CA) tỉnh có mặt."}'
    echo '{"id":"police2","title":"","body":"Công an tỉnh Hà Giang tuần tra."}'
    echo '{"id":"singer","title":"","body":"Một ca sĩ trẻ hát."}'
    # Typing without a Vietnamese keyboard: words some article holds as typed stay as typed.
    echo '{"id":"viet","title":"","body":"Người Việt Nam xảy ra tranh luận về đường sá."}'
    echo '{"id":"english","title":"","body":"The news on Google and the bus."}'
    echo '{"id":"vuot","title":"","body":"Không ai vượt qua được."}'
    echo '{"id":"pot","title":"","body":"Cái xoong nhôm."}'
} > "$T/src/docs.jsonl"
"$VNINDEX" -d "$IDX" "$T/src" >/dev/null

# sorted_ids ARGS...: the ids vnsearch --json finds with ARGS, sorted.
sorted_ids() { "$VNSEARCH" -d "$IDX" -n 100 --json "$@" | jq -r '[.results[].id] | sort | join(" ")'; }

# Either spelling finds both, typed with or without diacritics, with or without --exact, as a
# word and inside a phrase.
for q in 'kĩ thuật' 'kỹ thuật' 'ki thuat' 'ky thuat' '"kĩ thuật"' '"kỹ thuật"'; do
    check "i/y: $q" "ki ky" "$(ids "$q")"
    check "i/y --exact: $q" "ki ky" "$(sorted_ids --exact --match all -- "$q")"
done
for q in 'tỉ đồng' 'tỷ đồng' '"3.500 tỷ"'; do check "i/y: $q" "ti ty" "$(ids "$q")"; done
for q in 'quí' 'quý' 'QUY' 'qui'; do check "i/y: $q" "qui quy" "$(ids "$q")"; done
check "i/y: Mĩ" "my" "$(ids 'Mĩ')"
# --exact still tells tones apart: kì is neither kĩ nor kỹ.
check "i/y --exact: another tone" "" "$(sorted_ids --exact --match all -- 'kì thuật')"
check "vowel group: tay" "tay" "$(ids 'tay')"
check "vowel group: tai" "tai" "$(ids 'tai')"
check "vowel group: thủy" "thuy" "$(ids 'thủy')"
check "vowel group: thủi" "" "$(ids 'thủi')"

# Words typed joined match as a phrase, not as scattered pieces; spaced, they are words again.
check "joined: U-19" "u19" "$(ids 'U-19')"
check "joined: 6/2/2006" "u19" "$(ids '6/2/2006')"
check "joined: spaced words" "scattered u19" "$(ids 'U 19')"
check "joined: excluded" "scattered" "$(ids '2006 -U-19')"
# Highlighted where the words stand joined, not where they are scattered.
out=$("$VNSEARCH" -d "$IDX" --color=never --match any -- '2006 U-19')
check "joined: highlighted together" "1" "$(printf '%s\n' "$out" | grep -c 'tuyển \[U\]-\[19\] Việt')"
check "joined: scattered shown" "yes" "$(printf '%s\n' "$out" | grep -q 'anh U Minh 19 tuổi' && echo yes)"
check "joined: scattered not highlighted" "0" "$(printf '%s\n' "$out" | grep -c '\[U\] Minh\|\[19\] tuổi')"

# Invisible characters inside or around a word do not hide it; full-width letters fold.
check "soft hyphen" "shy" "$(ids '"chuyển đổi số quốc gia"')"
check "zero-width spaces" "zwsp" "$(ids '"kinh tế số"')"
check "direction marks, BOM" "rlm" "$(ids '"Đà Nẵng" Huế')"
check "full-width in text" "fullwidth" "$(ids 'TP.HCM thông báo')"
check "full-width in a query" "fullwidth" "$(ids $'\xef\xbc\xb4\xef\xbc\xb0\xef\xbc\x8e\xef\xbc\xa8\xef\xbc\xa3\xef\xbc\xad th\xc3\xb4ng')"
check "zero-width space in a query" "shy" "$(ids $'chuy\xe2\x80\x8bển đổi số quốc')"
# The snippet keeps the original bytes around the match.
check "soft hyphen kept in the snippet" "true" \
    "$("$VNSEARCH" -d "$IDX" --json -- 'chuyển' | jq -r '.results[0].snippet | contains("\u00ad")')"
# Abbreviations: either form finds both; the form typed ranks first; inside phrases and beside
# other words; a learned pair (CĐS) as well as a built-in one (TP.HCM).
check "abbr: UBND" "def long short" "$(ids 'UBND')"
check "abbr: Ủy ban nhân dân" "def long short" "$(ids 'Ủy ban nhân dân')"
check "abbr: typed form first" "short" "$("$VNSEARCH" -d "$IDX" --json -- 'UBND Yên Bái OR UBND Điện Biên' | jq -r '.results[0].id')"
check "abbr: the typed form ranks higher" "long" "$("$VNSEARCH" -d "$IDX" --json --match all -- 'ủy ban nhân dân' | jq -r '.results[0].id')"
check "abbr: beside other words" "long" "$(ids 'UBND Điện Biên')"
check "abbr: inside a phrase" "def long short" "$(ids '"UBND tỉnh"')"
check "abbr: learned CĐS" "def short shy" "$(ids 'CĐS')"
check "abbr: learned, the long form" "def short shy" "$(ids 'chuyển đổi số')"
check "abbr: built-in TP.HCM" "city1 city2 city3 fullwidth" "$(ids 'TP.HCM')"
check "abbr: built-in TPHCM" "city1 city2 city3 fullwidth" "$(ids 'TPHCM')"
check "abbr: built-in tp hcm" "city1 city2 city3 fullwidth" "$(ids 'tp hcm')"
check "abbr: excluded in either form" "city4" "$(ids 'giá nhà -TP.HCM')"
check "abbr: not excluded" "city1 city2 city4" "$(ids 'giá nhà')"
# A syllable is an abbreviation only typed in capitals: ca is a word (ca sĩ), CA is Công an.
check "abbr: CA" "police police2" "$(ids 'CA tỉnh')"
check "abbr: ca" "police singer" "$(ids 'ca')"
check "abbr: công an is not ca" "police police2" "$(ids 'công an')"
check "abbr: not counted as query words" "1" "$("$VNSEARCH" -d "$IDX" --json -- 'UBND' | jq -r .query_words)"

# Telex and VNI: read as Vietnamese, and the answer says so; --as-typed searches as typed; a
# word an article holds as typed (the, news, bus) is never read another way.
out=$("$VNSEARCH" -d "$IDX" --json --match all -- 'nguwowif vieejt nam')
check "telex: found" "viet" "$(printf '%s' "$out" | jq -r '[.results[].id] | join(" ")')"
check "telex: searched_for" "người việt nam" "$(printf '%s' "$out" | jq -r .searched_for)"
out=$("$VNSEARCH" -d "$IDX" --json --match all -- 'Nguo72i vie65t Nam')
check "vni: searched_for" "Người việt Nam" "$(printf '%s' "$out" | jq -r .searched_for)"
check "vni: found" "viet" "$(printf '%s' "$out" | jq -r '[.results[].id] | join(" ")')"
check "telex: human line" "Searched for: người việt nam" "$("$VNSEARCH" -d "$IDX" --color=never -- 'nguwowif vieejt nam' | head -1)"
check "--as-typed" "0 null" "$("$VNSEARCH" -d "$IDX" --json --as-typed --match all -- 'vieejt nam' | jq -r '"\(.results | length) \(.searched_for)"')"
check "valid as typed: the news bus" "english null" "$("$VNSEARCH" -d "$IDX" --json -- 'the news bus' | jq -r '"\([.results[].id] | join(" ")) \(.searched_for)"')"
check "plain words never rewritten" "null" "$("$VNSEARCH" -d "$IDX" --json -- 'viet nam' | jq -r .searched_for)"
# A word in capitals with a vowel is an abbreviation or a word shouted, never Telex: pasted text
# with OR in it was read as "Ỏ".
check "capitals are not Telex: OR" "null" "$("$VNSEARCH" -d "$IDX" --json --literal -- 'pasted "text: (x) - OR' | jq -r .searched_for)"
check "capitals are not Telex: AS" "null" "$("$VNSEARCH" -d "$IDX" --json -- 'viet nam AS' | jq -r .searched_for)"
check "telex: a prefix" "city3 viet đường*" "$("$VNSEARCH" -d "$IDX" --json -- 'dduwowfng*' | jq -r '"\([.results[].id] | join(" ")) \(.searched_for)"')"
# The start of a syllable typed before '*'; oo typed for ô where oong is a rime as typed (xoong),
# read only when the index says so; a prefix some article's word starts with stays.
check "telex: part of a syllable" "vuot vượ*" "$("$VNSEARCH" -d "$IDX" --json -- 'vuwowj*' | jq -r '"\([.results[].id] | join(" ")) \(.searched_for)"')"
check "vni: part of a syllable" "vuot vượ*" "$("$VNSEARCH" -d "$IDX" --json -- 'vuo775*' | jq -r '"\([.results[].id] | join(" ")) \(.searched_for)"')"
check "telex: oo for ô" "vuot không" "$("$VNSEARCH" -d "$IDX" --json -- 'khoong' | jq -r '"\([.results[].id] | join(" ")) \(.searched_for)"')"
check "valid as typed: xoong" "pot null" "$("$VNSEARCH" -d "$IDX" --json -- 'xoong' | jq -r '"\([.results[].id] | join(" ")) \(.searched_for)"')"
check "valid as typed: bus*" "english null" "$("$VNSEARCH" -d "$IDX" --json -- 'bus*' | jq -r '"\([.results[].id] | join(" ")) \(.searched_for)"')"

# Misspellings: a query that finds little, with a much more common spelling near: Did you mean.
for i in $(seq 1 25); do echo "{\"id\":\"x$i\",\"title\":\"\",\"body\":\"Sự việc xảy ra lúc $i giờ.\"}"; done > "$T/src/more.jsonl"
"$VNINDEX" -d "$IDX" "$T/src" >/dev/null
check "suggestion: s/x" "xảy ra" "$("$VNSEARCH" -d "$IDX" --json --match all -- 'sảy ra' | jq -r .suggestion)"
check "suggestion: human" "Did you mean: xảy ra" "$("$VNSEARCH" -d "$IDX" --color=never --match all -- 'sảy ra' | head -1)"
check "suggestion: none for a good query" "null" "$("$VNSEARCH" -d "$IDX" --json -- 'xảy ra' | jq -r .suggestion)"
# A letter alone and the parts of words typed joined are left as typed.
check "suggestion: not for a letter" "null" "$("$VNSEARCH" -d "$IDX" --json --match all -- 'xảy q' | jq -r .suggestion)"
check "suggestion: not for joined parts" "null" "$("$VNSEARCH" -d "$IDX" --json --match all -- 'sảy-ra' | jq -r .suggestion)"
# By the counts: a name that is a syllable as typed (Soong) is read alone only when 10,000 times
# rarer than what it reads; a word that is not (soos) already at 1,000 times; beside a word read
# for sure, each is read at 100 times.
mkdir -p "$T/ratio"
{
    echo '{"id":"soong","title":"","body":"Ông James Soong đến Bắc Kinh."}'
    echo '{"id":"soos","title":"","body":"Gõ nhầm soos một lần."}'
    for i in $(seq 1 1500); do echo "{\"id\":\"s$i\",\"title\":\"\",\"body\":\"Dòng sông số $i.\"}"; done
} > "$T/ratio/docs.jsonl"
"$VNINDEX" -d "$T/ratio.db" "$T/ratio" >/dev/null
sf() { "$VNSEARCH" -d "$T/ratio.db" --json -n 1 -- "$1" | jq -r .searched_for; }
check "ratio: a name valid as typed stays" "null" "$(sf 'Soong')"
check "ratio: a typo is read" "số" "$(sf 'soos')"
check "ratio: a name beside a word read" "dòng Sông" "$(sf 'dongf Soong')"
finish
