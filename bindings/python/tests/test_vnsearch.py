"""test_vnsearch.py: the Python module against the library and against vnsearch --json.

Run by ctest (tests/CMakeLists.txt) with VNSEARCH_LIB, VNS_BUILD_DIR and VNS_SOURCE_DIR set;
by hand: VNSEARCH_LIB=build/libvnsearch.so python3 -m pytest -q bindings/python/tests
"""

import ctypes
import json
import os
import re
import subprocess
import sys
import textwrap

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))  # bindings/python: the package under test

import vnsearch  # noqa: E402
from vnsearch import errors  # noqa: E402

SRC = os.environ.get("VNS_SOURCE_DIR") or os.path.normpath(os.path.join(HERE, "..", "..", ".."))
BUILD = os.environ.get("VNS_BUILD_DIR") or os.path.join(SRC, "build")
LIB = os.environ.get("VNSEARCH_LIB") or os.path.join(BUILD, "libvnsearch.so")
CLI = os.path.join(BUILD, "vnsearch")
CC = os.environ.get("CC") or "cc"

# The articles every test indexes: Vietnamese with diacritics (so that byte and character
# offsets differ), with and without titles and metadata.
ARTICLES = [
    dict(
        id="bd-1",
        title="Bóng đá: Việt Nam thắng Thái Lan",
        body="Đội tuyển Việt Nam thắng Thái Lan 2-0 trên sân Mỹ Đình tối qua. Người hâm mộ "
        "Hà Nội đổ ra đường ăn mừng chiến thắng của đội tuyển bóng đá.",
        date="2024-05-06T20:30:00+07:00",
        source="tuoitre.vn",
        topic="Thể thao",
        tags=["bóng đá", "đội tuyển"],
        url="https://tuoitre.vn/bd-1",
    ),
    dict(
        id="bd-2",
        title="Giải vô địch bóng đá Đông Nam Á",
        body="Việt Nam và Thái Lan gặp nhau ở chung kết giải bóng đá Đông Nam Á. Trận đấu "
        "diễn ra tại Bangkok.",
        date="2023-01-16",
        source="vnexpress.net",
        topic="Thể thao",
        tags=["bóng đá"],
    ),
    dict(
        id="kt-1",
        title="Kinh tế Việt Nam tăng trưởng",
        body="Tổng sản phẩm trong nước của Việt Nam tăng trưởng 6,5% trong quý hai. Xuất "
        "khẩu điện tử và nông sản tăng mạnh, đầu tư nước ngoài đổ vào các khu công nghiệp.",
        date="2024-07-01",
        source="vnexpress.net",
        topic="Kinh tế",
        tags=["kinh tế", "tăng trưởng"],
    ),
    dict(
        id="kt-2",
        title="Giá xăng tăng",
        body="Giá xăng dầu trong nước tăng lần thứ ba liên tiếp. Chuyển đổi số giúp doanh "
        "nghiệp giảm chi phí vận tải khi giá nhiên liệu tăng.",
        date="2024-07-15T08:00:00+07:00",
        source="thanhnien.vn",
        topic="Kinh tế",
    ),
    dict(
        id="cn-1",
        title="Chuyển đổi số ở Lạng Sơn",
        body="Tỉnh Lạng Sơn đẩy mạnh chuyển đổi số trong dịch vụ công. Người dân nộp hồ sơ "
        "trực tuyến, không phải đến trụ sở.",
        date="2022-11-20",
        source="tuoitre.vn",
        topic="Công nghệ",
        tags=["chuyển đổi số"],
    ),
    # No title, no metadata: heading is the opening words; metadata fields are None and [].
    dict(
        id="xh-1",
        body="Mưa lớn gây ngập nhiều tuyến phố ở Thành phố Hồ Chí Minh. Sự cố xảy ra vào giờ "
        "tan tầm khiến giao thông ùn tắc; việc ngập xảy ra thường xuyên mỗi mùa mưa.",
    ),
    dict(
        id="xh-2",
        title="Tai nạn giao thông",
        body="Một vụ tai nạn giao thông xảy ra trên quốc lộ 1A. Cảnh sát giao thông đã có mặt.",
        date="2021-03-08",
        source="nld.com.vn",
        topic="Xã hội",
        tags=["giao thông", "tai nạn"],
    ),
]


def _put(ix, a):
    return ix.put(
        a["id"],
        a["body"],
        title=a.get("title"),
        date=a.get("date"),
        source=a.get("source"),
        topic=a.get("topic"),
        tags=a.get("tags"),
        url=a.get("url"),
    )


@pytest.fixture(scope="module")
def index_path(tmp_path_factory):
    """The articles indexed through the module, committed and closed."""
    path = str(tmp_path_factory.mktemp("idx") / "news.db")
    with vnsearch.Index(path) as ix:
        assert [_put(ix, a) for a in ARTICLES] == ["added"] * len(ARTICLES)
        assert ix.doc_count() == len(ARTICLES)
    return path


@pytest.fixture()
def searcher(index_path):
    with vnsearch.Searcher(index_path) as s:
        yield s


def cli(index, args, query):
    """vnsearch --json for query with args: (exit status, parsed JSON or None, stderr)."""
    p = subprocess.run(
        [CLI, "-d", index, "--json"] + args + ["--", query],
        capture_output=True,
        text=True,
    )
    return p.returncode, (json.loads(p.stdout) if p.returncode == 0 else None), p.stderr


# ---- The module answers as vnsearch --json does. -------------------------------------------------
# query, module options, the same for the CLI, the ids the module must give in order (so that the
# table cannot pass with both sides broken the same way: empty).
AGREE = [
    ("viet nam", {}, [], ["kt-1", "bd-1", "bd-2"]),
    ("Việt Nam", {}, [], ["kt-1", "bd-1", "bd-2"]),
    ('"bóng đá"', {}, [], ["bd-2", "bd-1"]),
    ("bong da -thai", {}, [], ["xh-2"]),
    ("tang*", {}, [], ["kt-2", "kt-1"]),
    ("title:chuyen", {}, [], ["cn-1"]),
    ("giao thong", {"match": "any"}, ["--match", "any"], ["xh-2", "xh-1"]),
    ("viet nam thai lan", {"match": "all"}, ["--match", "all"], ["bd-1", "bd-2"]),
    ("Viêt Nam", {"exact": True}, ["--exact"], ["kt-1", "bd-1", "bd-2"]),
    ("viet nam", {"sort": "newest"}, ["--sort", "newest"], ["kt-1", "bd-1", "bd-2"]),
    ("viet nam", {"sort": "oldest"}, ["--sort", "oldest"], ["bd-2", "bd-1", "kt-1"]),
    ("viet nam", {"limit": 1, "offset": 1}, ["-n", "1", "--offset", "1"], ["bd-1"]),
    ("tang", {"snippet_words": 5}, ["--snippet-words", "5"], ["kt-2", "kt-1"]),
    (
        "tang OR bong",
        {"facets": ["source", "topic", "tag", "year", "month"], "facet_limit": 2},
        ["--facets", "source,topic,tag,year,month", "--facet-limit", "2"],
        ["kt-2", "kt-1", "bd-2", "bd-1"],
    ),
    ("date:2024 source:tuoitre.vn", {}, [], ["bd-1"]),
    ('"Việt Nam" (thắng OR "tăng trưởng")', {"exact_count": True}, ["--count"], ["kt-1", "bd-1"]),
    ('Việt Nam: (thắng) "OR -', {"literal": True}, ["--literal"], ["bd-1", "kt-1", "bd-2"]),
    ("vieejt nam", {}, [], ["kt-1", "bd-1", "bd-2"]),
    ("vieejt nam", {"as_typed": True}, ["--as-typed"], ["bd-2", "kt-1", "bd-1"]),
    ("sảy ra", {}, [], ["xh-1", "xh-2", "bd-2", "bd-1"]),
    ("chuyen doi so", {"limit": None}, ["-n", "1000000"], ["cn-1", "kt-2", "bd-1"]),
]


@pytest.mark.parametrize("query,kw,args,ids", AGREE)
def test_results_equal_cli_json(index_path, searcher, query, kw, args, ids):
    res = searcher.search(query, **kw)
    rc, want, err = cli(index_path, args, query)
    assert rc == 0, err
    del want["took_ms"]
    assert res.as_json() == want
    if ids is not None:
        assert [h.id for h in res] == ids
    # The attributes say what the JSON says.
    assert (res.total, res.exact_total, res.match, res.query_words) == (
        want["total"],
        want["exact_total"],
        want["match"],
        want["query_words"],
    )
    assert res.facets == want.get("facets", {})


def test_the_table_reaches_every_field(searcher):
    """The rows above exercise searched_for, suggestion, facets and every metadata field."""
    answers = [searcher.search(q, **kw) for q, kw, _, _ in AGREE]
    assert any(r.searched_for for r in answers)
    assert any(r.suggestion for r in answers)
    assert any(r.facets for r in answers)
    assert any(r.match == "any" for r in answers) and any(r.match == "all" for r in answers)
    hits = [h for r in answers for h in r]
    for field in ("date", "source", "topic", "url"):
        assert any(getattr(h, field) for h in hits), field
        assert any(getattr(h, field) is None for h in hits), field
    assert any(h.tags for h in hits) and any(h.tags == [] for h in hits)


def test_searched_for_and_suggestion(searcher):
    assert searcher.search("vieejt nam").searched_for == "việt nam"
    assert searcher.search("vieejt nam", as_typed=True).searched_for is None
    assert searcher.search("sảy ra").suggestion == "xảy ra"


# ---- Highlights: bytes as in C, characters for Python. --------------------------------------------
@pytest.mark.parametrize("query", ["viet nam", "bong da", "chuyển đổi số", "tang*", "ha noi"])
def test_highlights_chars_slice_what_highlights_slice(searcher, query):
    res = searcher.search(query)
    assert len(res) > 0
    differ = False
    for h in res:
        raw = h.snippet.encode("utf-8")
        assert len(h.highlights) == len(h.highlights_chars) > 0
        for (a, b), (ca, cb) in zip(h.highlights, h.highlights_chars):
            assert raw[a:b].decode("utf-8") == h.snippet[ca:cb]
            differ |= (a, b) != (ca, cb)
    assert differ, "accented text before a match: byte and character offsets must differ"


def test_highlight_text(searcher):
    h = searcher.search("ha noi")[0]
    assert [h.snippet[a:b] for a, b in h.highlights_chars] == ["Hà Nội"]


# ---- Hits and stored articles. ---------------------------------------------------------------------
def test_heading_is_title_or_opening_words(searcher):
    by_id = {h.id: h for h in searcher.search("xay ra", match="any")}
    assert by_id["xh-2"].heading == "Tai nạn giao thông"
    assert by_id["xh-1"].title == ""
    assert by_id["xh-1"].heading.startswith("Mưa lớn gây ngập")
    assert (by_id["xh-1"].date, by_id["xh-1"].source, by_id["xh-1"].tags) == (None, None, [])


def _stored(a):
    return {
        "id": a["id"],
        "title": a.get("title", ""),
        "body": a["body"],
        "date": a.get("date"),
        "source": a.get("source"),
        "topic": a.get("topic"),
        "tags": a.get("tags", []),
        "url": a.get("url"),
    }


def _fields(d):
    return {k: getattr(d, k) for k in d.__slots__}


def test_get_round_trip(searcher):
    for a in ARTICLES:
        assert _fields(searcher.get(a["id"])) == _stored(a)


def test_get_equals_cli_show(index_path, searcher):
    for a in ARTICLES:
        p = subprocess.run(
            [CLI, "-d", index_path, "--json", "--show", a["id"]], capture_output=True, text=True
        )
        assert p.returncode == 0, p.stderr
        assert searcher.get(a["id"]).as_json() == json.loads(p.stdout)


def test_scan_round_trip(searcher):
    docs = list(searcher.scan())
    assert sorted((_fields(d) for d in docs), key=lambda d: d["id"]) == sorted(
        (_stored(a) for a in ARTICLES), key=lambda d: d["id"]
    )


def test_scan_closed_early_and_after_searcher_close(index_path):
    s = vnsearch.Searcher(index_path)
    it = s.scan()
    first = next(it)
    s.close()  # the cursor keeps what it needs
    rest = list(it)
    assert len(rest) == len(ARTICLES) - 1 and first.id not in {d.id for d in rest}
    s2 = vnsearch.Searcher(index_path)
    it2 = s2.scan()
    next(it2)
    it2.close()  # frees the cursor
    assert len(list(s2.scan())) == len(ARTICLES)
    s2.close()


# ---- put: added, updated, unchanged; dates. ------------------------------------------------------------
# Each step puts id "p" with these fields, in order, and gets this answer.
PUT_STEPS = [
    ({"body": "Hà Nội mùa thu"}, "added"),
    ({"body": "Hà Nội mùa thu"}, "unchanged"),
    ({"body": "Hà Nội mùa đông"}, "updated"),
    ({"body": "Hà Nội mùa đông", "title": "Thời tiết"}, "updated"),
    ({"body": "Hà Nội mùa đông", "title": "Thời tiết", "tags": ["thời tiết"]}, "updated"),
    ({"body": "Hà Nội mùa đông", "title": "Thời tiết", "tags": ["thời tiết"]}, "unchanged"),
    ({"body": "Hà Nội mùa đông", "title": "Thời tiết", "date": "2024-01-02"}, "updated"),
    ({"body": "Hà Nội mùa đông", "title": "Thời tiết", "date": "2024-01-02"}, "unchanged"),
]


def test_put_says_what_it_did(tmp_path):
    with vnsearch.Index(str(tmp_path / "p.db")) as ix:
        assert [ix.put("p", **kw) for kw, _ in PUT_STEPS] == [want for _, want in PUT_STEPS]
        assert ix.doc_count() == 1


# date given -> date stored (canonical: Unix seconds read in Vietnam time, UTC+7).
DATES = [
    ("2024-05-06", "2024-05-06"),
    ("2024-05-06T08:30:00+07:00", "2024-05-06T08:30:00+07:00"),
    (1714959000, "2024-05-06T08:30:00+07:00"),
    ("1714959000", "2024-05-06T08:30:00+07:00"),
]


@pytest.mark.parametrize("given,stored", DATES)
def test_dates(tmp_path, given, stored):
    path = str(tmp_path / "d.db")
    with vnsearch.Index(path) as ix:
        ix.put("d", "Hà Nội", date=given)
    with vnsearch.Searcher(path) as s:
        assert s.get("d").date == stored


def test_delete(tmp_path):
    path = str(tmp_path / "del.db")
    with vnsearch.Index(path) as ix:
        ix.put("a", "Hà Nội")
        ix.put("b", "Huế")
        ix.delete("a")
        assert ix.doc_count() == 1
    with vnsearch.Searcher(path) as s:
        assert [d.id for d in s.scan()] == ["b"]


# ---- Context managers. ------------------------------------------------------------------------------------
def test_index_context_commits_on_clean_exit(tmp_path):
    path = str(tmp_path / "c.db")
    with vnsearch.Index(path) as ix:
        ix.put("kept", "Đà Nẵng")
    with vnsearch.Searcher(path) as s:
        assert [h.id for h in s.search("da nang")] == ["kept"]


def test_index_context_abandons_on_exception(tmp_path):
    path = str(tmp_path / "c.db")
    with vnsearch.Index(path) as ix:
        ix.put("kept", "Đà Nẵng")
    with pytest.raises(RuntimeError):
        with vnsearch.Index(path) as ix:
            ix.put("lost", "Đà Lạt")
            assert ix.doc_count() == 2
            raise RuntimeError("boom")
    with vnsearch.Searcher(path) as s:
        assert [d.id for d in s.scan()] == ["kept"]
    # The lock went with it: another writer opens.
    with vnsearch.Index(path) as ix:
        assert ix.doc_count() == 1


def test_explicit_commit_is_visible_before_close(tmp_path):
    path = str(tmp_path / "e.db")
    ix = vnsearch.Index(path)
    ix.put("a", "Cần Thơ")
    ix.commit()
    with vnsearch.Searcher(path) as s:
        assert [h.id for h in s.search("can tho")] == ["a"]
        ix.put("b", "Cần Thơ mùa nước nổi")
        s.reopen()
        assert [h.id for h in s.search("can tho")] == ["a"]  # not committed yet
        ix.close()
        s.reopen()
        assert sorted(h.id for h in s.search("can tho")) == ["a", "b"]


def test_closed_handles_refuse(index_path, tmp_path):
    with vnsearch.Searcher(index_path) as s:
        pass
    with pytest.raises(vnsearch.InvalidArgument, match="closed"):
        s.search("viet nam")
    ix = vnsearch.Index(str(tmp_path / "x.db"))
    ix.close()
    ix.close()  # again: nothing
    with pytest.raises(vnsearch.InvalidArgument, match="closed"):
        ix.put("a", "b")


# ---- Errors: the right class, the status name, the library's message. ----------------------------------
def test_every_status_has_its_class():
    """Every error status of include/vnsearch.h maps to its own class under its own name."""
    header = open(os.path.join(SRC, "include", "vnsearch.h"), encoding="utf-8").read()
    enum = re.search(r"typedef enum vns_status \{(.*?)\} vns_status;", header, re.S).group(1)
    statuses = {n: int(v) for n, v in re.findall(r"(VNS_\w+) = (-?\d+)", enum)}
    negative = {v: n for n, v in statuses.items() if v < 0}
    assert sorted(errors.BY_CODE) == sorted(negative)
    classes = set()
    for code, name in negative.items():
        assert errors.BY_CODE[code][0] == name
        e = errors.make(code, "msg")
        assert isinstance(e, vnsearch.VnsearchError) and (e.status, e.code, str(e)) == (
            name,
            code,
            "msg",
        )
        classes.add(type(e))
    assert len(classes) == len(negative)


def _locked(path):
    first = vnsearch.Index(path)
    try:
        vnsearch.Index(path)
    finally:
        first.abandon()


# what to do, the exception, its status, a regular expression its message matches.
ERRORS = [
    (lambda s, t: s.search('"unclosed'), vnsearch.QueryError, "VNS_EQUERY", r"position 1"),
    (lambda s, t: s.search("(a OR"), vnsearch.QueryError, "VNS_EQUERY", r"position"),
    (lambda s, t: s.search(""), vnsearch.QueryError, "VNS_EQUERY", r"."),
    (lambda s, t: s.search(b"\xff\xfe"), vnsearch.QueryError, "VNS_EQUERY", r"UTF-8"),
    (lambda s, t: s.get("no-such-id"), vnsearch.NotFound, "VNS_ENOTFOUND", r"no-such-id"),
    (
        lambda s, t: vnsearch.Searcher(t + "/missing.db"),
        vnsearch.NotFound,
        "VNS_ENOTFOUND",
        r"missing\.db",
    ),
    (
        lambda s, t: vnsearch.Index(t + "/missing.db", create=False),
        vnsearch.NotFound,
        "VNS_ENOTFOUND",
        r"missing\.db",
    ),
    (lambda s, t: _locked(t + "/locked.db"), vnsearch.Locked, "VNS_ELOCKED", r"lock"),
    (
        lambda s, t: vnsearch.Index(t + "/bad.db").put("a", "x", date="2024-13-45"),
        vnsearch.InvalidArgument,
        "VNS_EINVAL",
        r"2024-13-45",
    ),
    (
        lambda s, t: vnsearch.Index(t + "/enc.db").put(b"\xff\xfe", "x"),
        vnsearch.EncodingError,
        "VNS_EENCODING",
        r"UTF-8",
    ),
    (
        lambda s, t: vnsearch.Index(t + "/del.db").delete("nobody"),
        vnsearch.NotFound,
        "VNS_ENOTFOUND",
        r"nobody",
    ),
    (lambda s, t: s.search("x", match="some"), vnsearch.InvalidArgument, "VNS_EINVAL", r"some"),
    (lambda s, t: s.search("x", facets=["city"]), vnsearch.InvalidArgument, "VNS_EINVAL", r"city"),
    (lambda s, t: s.search("x", limit=0), vnsearch.InvalidArgument, "VNS_EINVAL", r"limit"),
    # Arguments of the wrong type are named, not a TypeError from inside the module.
    (lambda s, t: s.search("x", sort=[]), vnsearch.InvalidArgument, "VNS_EINVAL", r"sort"),
    (lambda s, t: s.search("x", match={}), vnsearch.InvalidArgument, "VNS_EINVAL", r"match"),
    (lambda s, t: s.search("x", facets=5), vnsearch.InvalidArgument, "VNS_EINVAL", r"facets"),
    (lambda s, t: s.search("x", facets=[["tag"]]), vnsearch.InvalidArgument, "VNS_EINVAL", r"facets"),
    (lambda s, t: vnsearch.Searcher(5), vnsearch.InvalidArgument, "VNS_EINVAL", r"path"),
    (lambda s, t: vnsearch.Searcher([t, 5]), vnsearch.InvalidArgument, "VNS_EINVAL", r"path"),
    (lambda s, t: s.get("a\0b"), vnsearch.InvalidArgument, "VNS_EINVAL", r"NUL"),
    # A lone surrogate that surrogateescape did not make has no UTF-8 form.
    (lambda s, t: s.search("a\ud800b"), vnsearch.EncodingError, "VNS_EENCODING", r"U\+D800"),
    (
        lambda s, t: vnsearch.Index(t + "/sur.db").put("a", "x \udfff"),
        vnsearch.EncodingError,
        "VNS_EENCODING",
        r"U\+DFFF",
    ),
]


@pytest.mark.parametrize("call,cls,status,message", ERRORS)
def test_errors(searcher, tmp_path, call, cls, status, message):
    with pytest.raises(cls) as ei:
        call(searcher, str(tmp_path))
    assert ei.value.status == status
    assert re.search(message, str(ei.value)), str(ei.value)


# status -> words of its fixed text (vns_status_str), which .remedy carries.
REMEDIES = [
    (lambda s, t: s.search('"unclosed'), "fix it at the position given"),
    (lambda s, t: s.get("no-such-id"), "check the path"),
    (lambda s, t: _locked(t + "/locked.db"), "locked by another writer"),
]


@pytest.mark.parametrize("call,remedy", REMEDIES)
def test_errors_carry_the_status_text(searcher, tmp_path, call, remedy):
    with pytest.raises(vnsearch.VnsearchError) as ei:
        call(searcher, str(tmp_path))
    assert remedy in ei.value.remedy


@pytest.mark.parametrize("query", ['"unclosed', "(a OR", "title:"])
def test_query_error_message_is_the_clis(index_path, searcher, query):
    with pytest.raises(vnsearch.QueryError) as ei:
        searcher.search(query)
    rc, _, err = cli(index_path, [], query)
    assert rc == 2
    assert err.splitlines()[0] == "vnsearch: " + str(ei.value)


def test_two_threads_on_one_searcher_are_refused(searcher):
    """The guard the docstrings describe: a call while another thread is inside one raises."""
    import threading

    box = []
    with searcher._guard:  # as a call in progress in this thread would hold it
        t = threading.Thread(target=lambda: box.append(_catch(searcher.search, "viet nam")))
        t.start()
        t.join()
    assert isinstance(box[0], vnsearch.InvalidArgument) and "another thread" in str(box[0])
    assert len(searcher.search("viet nam")) == 3  # and free again afterwards


def _catch(fn, *args):
    try:
        fn(*args)
    except Exception as e:  # noqa: BLE001
        return e
    return None


# ---- The struct layouts are include/vnsearch.h's. ---------------------------------------------------
def test_struct_layouts_match_the_header(tmp_path):
    from vnsearch import _lib

    structs = {
        "vns_index_options": _lib.vns_index_options,
        "vns_meta": _lib.vns_meta,
        "vns_doc": _lib.vns_doc,
        "vns_query_options": _lib.vns_query_options,
        "vns_range": _lib.vns_range,
    }
    lines = []
    for name, cls in structs.items():
        lines.append('printf("%s size %%zu\\n", sizeof(%s));' % (name, name))
        for f, _ in cls._fields_:
            lines.append('printf("%s %s %%zu\\n", offsetof(%s, %s));' % (name, f, name, f))
    src = tmp_path / "layout.c"
    src.write_text(
        "#include <stddef.h>\n#include <stdio.h>\n#include \"vnsearch.h\"\nint main(void) {\n"
        + "\n".join(lines)
        + "\nreturn 0;\n}\n"
    )
    exe = str(tmp_path / "layout")
    subprocess.run([CC, "-I", os.path.join(SRC, "include"), "-o", exe, str(src)], check=True)
    want = subprocess.run([exe], capture_output=True, text=True, check=True).stdout.split("\n")
    got = []
    for name, cls in structs.items():
        got.append("%s size %d" % (name, ctypes.sizeof(cls)))
        got += ["%s %s %d" % (name, f, getattr(cls, f).offset) for f, _ in cls._fields_]
    assert got == [w for w in want if w]
    # And the versions the module fills are the header's current ones.
    for macro, value in [
        ("VNS_QUERY_OPTIONS_VERSION", _lib.QUERY_OPTIONS_VERSION),
        ("VNS_DOC_VERSION", _lib.DOC_VERSION),
        ("VNS_INDEX_OPTIONS_VERSION", _lib.INDEX_OPTIONS_VERSION),
    ]:
        header = open(os.path.join(SRC, "include", "vnsearch.h"), encoding="utf-8").read()
        assert re.search(r"#define %s (\d+)" % macro, header).group(1) == str(value)


# ---- Finding the library. ---------------------------------------------------------------------------------
def _python(code, env, cwd=None):
    """Runs code in a fresh python3 with env (over a clean copy of os.environ)."""
    e = {k: v for k, v in os.environ.items() if k != "VNSEARCH_LIB"}
    e.update(env)
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, env=e, cwd=cwd
    )


def test_loader_honours_vnsearch_lib(tmp_path):
    """A copy of the library elsewhere, named by VNSEARCH_LIB, is the one loaded (not the build
    tree's, which the module would find by itself)."""
    copy = str(tmp_path / "elsewhere" / "libvnsearch-copy.so")
    os.makedirs(os.path.dirname(copy))
    with open(LIB, "rb") as src, open(copy, "wb") as dst:
        dst.write(src.read())
    p = _python(
        "import vnsearch; print(vnsearch.library_path()); print(vnsearch.library_version())",
        {"VNSEARCH_LIB": copy, "PYTHONPATH": os.path.dirname(HERE)},
    )
    assert p.returncode == 0, p.stderr
    assert p.stdout.split() == [copy, "%d.%d.%d" % _header_version()]


def _header_version():
    header = open(os.path.join(SRC, "include", "vnsearch.h"), encoding="utf-8").read()
    return tuple(
        int(re.search(r"#define VNS_VERSION_%s (\d+)" % p, header).group(1))
        for p in ("MAJOR", "MINOR", "PATCH")
    )


def test_loader_fails_clearly_for_a_wrong_path(tmp_path):
    wrong = str(tmp_path / "nowhere" / "libvnsearch.so")
    p = _python(
        """
        import vnsearch
        try:
            vnsearch.Searcher("x")
        except vnsearch.LibraryError as e:
            print(e)
        """,
        {"VNSEARCH_LIB": wrong, "PYTHONPATH": os.path.dirname(HERE)},
    )
    assert p.returncode == 0, p.stderr
    assert "cannot load libvnsearch" in p.stdout
    assert "VNSEARCH_LIB " + wrong in p.stdout
    assert "installed" not in p.stdout.split("tried:")[1].split("set VNSEARCH_LIB")[0]


def test_loader_refuses_another_minor_version(tmp_path):
    src = tmp_path / "fake.c"
    src.write_text('const char *vns_version(int *n) { if (n) *n = 200; return "0.2.0"; }\n')
    fake = str(tmp_path / "libvnsearch.so")
    subprocess.run([CC, "-shared", "-fPIC", "-o", fake, str(src)], check=True)
    p = _python(
        """
        import vnsearch
        try:
            vnsearch.Index("x")
        except vnsearch.LibraryError as e:
            print(e)
        """,
        {"VNSEARCH_LIB": fake, "PYTHONPATH": os.path.dirname(HERE)},
    )
    assert p.returncode == 0, p.stderr
    assert "libvnsearch 0.2.0" in p.stdout and "written for 0.1" in p.stdout


def test_loader_falls_back_to_the_build_tree():
    """Without VNSEARCH_LIB, from the repository: the build tree's build/libvnsearch.so (when no
    libvnsearch is installed on the system; otherwise the installed one, as documented), or an
    error naming it when there is none (a build directory of another name)."""
    p = _python(
        """
        import vnsearch
        try:
            print(vnsearch.library_path())
        except vnsearch.LibraryError as e:
            print(e)
        """,
        {"PYTHONPATH": os.path.dirname(HERE)},
    )
    assert p.returncode == 0, p.stderr
    installed = subprocess.run(["/sbin/ldconfig", "-p"], capture_output=True, text=True).stdout
    build_lib = os.path.join(SRC, "build", "libvnsearch.so")
    if "libvnsearch.so.0" in installed:
        assert p.stdout.strip().endswith("libvnsearch.so.0")
    elif os.path.exists(build_lib):
        assert os.path.samefile(p.stdout.strip(), build_lib)
    else:
        assert "installed libvnsearch.so.0" in p.stdout and "build tree " + build_lib in p.stdout


def test_cmake_install_puts_a_working_module_beside_the_library(tmp_path, index_path):
    prefix = tmp_path / "prefix"
    subprocess.run(
        ["cmake", "--install", BUILD, "--prefix", str(prefix)],
        check=True,
        capture_output=True,
    )
    inits = list(prefix.glob("lib/python3*/dist-packages/vnsearch/__init__.py"))
    assert len(inits) == 1, inits
    site = str(inits[0].parent.parent)
    p = _python(
        """
        import sys, vnsearch
        print(vnsearch.__file__)
        print(vnsearch.library_path())
        print(vnsearch.Searcher(sys.argv[1] if len(sys.argv) > 1 else %r).search("viet nam")[0].id)
        """
        % index_path,
        {"PYTHONPATH": site},
        cwd=str(tmp_path),
    )
    assert p.returncode == 0, p.stderr
    module, lib, first = p.stdout.split()
    assert module.startswith(str(prefix))
    assert lib.startswith(str(prefix)) and lib.endswith("libvnsearch.so.0")
    assert first == "kt-1"
