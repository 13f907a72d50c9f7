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
check "soft hyphen" "shy" "$(ids 'chuyển đổi số')"
check "zero-width spaces" "zwsp" "$(ids '"kinh tế số"')"
check "direction marks, BOM" "rlm" "$(ids '"Đà Nẵng" Huế')"
check "full-width in text" "fullwidth" "$(ids 'TP.HCM')"
check "full-width in a query" "fullwidth" "$(ids $'\uff34\uff30\uff0e\uff28\uff23\uff2d')"
check "zero-width space in a query" "shy" "$(ids $'chuy\u200bển')"
# The snippet keeps the original bytes around the match.
check "soft hyphen kept in the snippet" "true" \
    "$("$VNSEARCH" -d "$IDX" --json -- 'chuyển' | jq -r '.results[0].snippet | contains("\u00ad")')"
finish
