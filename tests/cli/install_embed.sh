#!/usr/bin/env bash
# cmake --install, then a program embedding the library builds against the installed copy
# (pkg-config, and CMake's find_package) and runs.
. "$(dirname "$0")/lib.sh"
P="$T/prefix"
cmake --install "$BUILD" --prefix "$P" >/dev/null
check "installed binaries" "yes yes" "$([ -x "$P/bin/vnindex" ] && echo yes) $([ -x "$P/bin/vnsearch" ] && echo yes)"
check "installed header" "yes" "$([ -f "$P/include/vnsearch.h" ] && echo yes)"
check "installed man pages" "yes yes" "$([ -s "$P/share/man/man1/vnindex.1" ] && echo yes) $([ -s "$P/share/man/man1/vnsearch.1" ] && echo yes)"
LIBDIR=$(dirname "$(find "$P" -name libvnsearch.so | head -1)")
export PKG_CONFIG_PATH="$LIBDIR/pkgconfig"
hv() { sed -n "s/^#define VNS_VERSION_$1 \([0-9]*\).*/\1/p" "$SRC/include/vnsearch.h"; }
check "pkg-config knows it" "$(hv MAJOR).$(hv MINOR).$(hv PATCH)" "$(pkg-config --modversion vnsearch)"

# pkg-config build.
cc -std=c11 -Wall -Wextra -Werror -o "$T/embed" "$SRC/tests/embed/embed.c" \
    $(pkg-config --cflags --libs vnsearch) -Wl,-rpath,"$LIBDIR"
check "embed builds with pkg-config" 0 "$?"
out=$("$T/embed" "$T/idx" "lang son cloud")
check "embed finds the article" "1	embed-1	Chuyển đổi số" "$(printf '%s' "$out" | cut -f1-3)"
check "embed highlights" 1 "$(printf '%s' "$out" | grep -c '<b>Lạng Sơn Cloud</b>')"
check "embed links the installed library" 1 "$(ldd "$T/embed" | grep -c "$LIBDIR/libvnsearch.so")"
"$T/embed" "$T/idx" '"unclosed' >/dev/null 2>&1
check "embed query error status" 2 "$?"
# Errors thrown inside the shared library are caught there: a locked index.
( sleep 2 | "$P/bin/vnindex" -d "$T/idx" - >/dev/null 2>&1 ) &
wait_locked "$T/idx"
"$T/embed" "$T/idx" x 2>"$T/err"; rc=$?
check "shared library maps the lock error" "1 1" "$rc $(grep -c 'locked by another writer' "$T/err")"
wait

# CMake find_package build.
cmake -S "$SRC/tests/embed" -B "$T/embed-build" -DCMAKE_PREFIX_PATH="$P" >/dev/null &&
    cmake --build "$T/embed-build" >/dev/null
check "embed builds with find_package" 0 "$?"
check "find_package build runs" "embed-1" "$(LD_LIBRARY_PATH="$LIBDIR" "$T/embed-build/embed" "$T/idx" "chuyen doi so" | cut -f2)"

# The installed vnsearch answers from the same index.
check "installed vnsearch" "embed-1" "$("$P/bin/vnsearch" -d "$T/idx" --json lang son | jq -r '.results[0].id')"

# Every flag in --help is in the man page, and every query operator too.
for prog in vnindex vnsearch; do
    for flag in $("$BUILD/$prog" --help | grep -o -- '--[a-z-]*' | sort -u); do
        check "$prog.1 covers $flag" 1 "$(grep -c -- "$(printf '%s' "$flag" | sed 's/-/\\\\-/g')" "$SRC/docs/$prog.1" | awk '{print ($1>0)}')"
    done
done
for op in 'OR' 'title:' '\-word' 'chuyen*' '( ... )'; do
    check "vnsearch.1 covers $op" 1 "$(grep -cF -- "$op" "$SRC/docs/vnsearch.1" | awk '{print ($1>0)}')"
done

finish
