"""searcher.py: Searcher (vns_searcher), its results and hits, and stored articles (vns_document)."""

import ctypes
import os

from . import _lib, _util, errors

MATCH = {"auto": 0, "all": 1, "any": 2}
MATCH_NAMES = {1: "all", 2: "any"}
SORT = {"relevance": 0, "newest": 1, "oldest": 2}
# vns_facet values by name, in their enum order (the order vnsearch --json lists them in).
FACETS = {"source": 0, "topic": 1, "tag": 2, "year": 3, "month": 4}
# The time budget that means none (VNS_QUERY_NO_TIME_LIMIT); 0 is the library's default.
NO_TIME_LIMIT = _lib.NO_TIME_LIMIT

_META_FIELDS = ("date", "source", "topic", "tags", "url")


def _meta(p):
    """A vns_meta pointer's fields as a dict: None for a field that is missing or empty, [] for
    no tags."""
    out = {"date": None, "source": None, "topic": None, "url": None, "tags": []}
    if not p:
        return out
    m = p.contents
    for k in ("date", "source", "topic", "url"):
        v = getattr(m, k)
        out[k] = _util.decode(v) if v else None
    out["tags"] = [_util.decode(m.tags[i]) for i in range(m.ntags)] if m.tags else []
    return out


def _meta_json(obj, d):
    """Adds the metadata fields of d that are set to obj, as vnsearch --json writes them."""
    for k in ("date", "source", "topic", "url"):
        if d[k]:
            obj[k] = d[k]
    if d["tags"]:
        obj["tags"] = list(d["tags"])


class Hit:
    """One result.

    id, title ("" when none), heading (the title, or the text's opening words), score (higher is
    better; comparable within one query), rank (1-based, counting the offset), snippet (one line,
    "…" where cut), highlights (the matched words as (start, end) byte offsets into the
    snippet's UTF-8, as in C), highlights_chars (the same ranges as character offsets into
    snippet as a Python str: snippet[a:b] is the matched text), matched_words (how many of the
    query's distinct words the article holds), and its metadata: date (canonical,
    "2024-05-06" or "2024-05-06T08:30:00+07:00"), source, topic, url (None when absent) and
    tags (a list, [] when none)."""

    __slots__ = (
        "id",
        "title",
        "heading",
        "score",
        "rank",
        "snippet",
        "highlights",
        "highlights_chars",
        "matched_words",
        "date",
        "source",
        "topic",
        "tags",
        "url",
    )

    def __init__(self, **fields):
        for k in self.__slots__:
            setattr(self, k, fields[k])

    def as_json(self):
        """The hit as vnsearch --json writes a result (a dict): rank, id, title, score,
        snippet, highlights, highlights_chars, matched_words, heading, and the metadata fields
        it has."""
        obj = {
            "rank": self.rank,
            "id": self.id,
            "title": self.title,
            "score": self.score,
            "snippet": self.snippet,
            "highlights": [list(r) for r in self.highlights],
            "highlights_chars": [list(r) for r in self.highlights_chars],
            "matched_words": self.matched_words,
            "heading": self.heading,
        }
        _meta_json(obj, {k: getattr(self, k) for k in _META_FIELDS})
        return obj

    def __repr__(self):
        return "Hit(rank=%d, id=%r, score=%.3f, heading=%r)" % (
            self.rank,
            self.id,
            self.score,
            self.heading,
        )


class Results(list):
    """The hits of one query (a list), and what the library says of the whole answer:

    query, total (matching articles: exact when exact_total, else Xapian's estimate),
    exact_total, match ("all" or "any": the mode the query was answered in, never "auto"),
    query_words (distinct words searched for), searched_for (the query as read when words typed
    in Telex or VNI were read as Vietnamese, else None), suggestion (a likelier spelling of the
    query, else None), facets ({"source": [{"value": ..., "count": N}, ...], ...} for the
    facets asked for; {} when none were)."""

    def __init__(self, hits, **fields):
        super().__init__(hits)
        self.query = fields["query"]
        self.total = fields["total"]
        self.exact_total = fields["exact_total"]
        self.match = fields["match"]
        self.query_words = fields["query_words"]
        self.searched_for = fields["searched_for"]
        self.suggestion = fields["suggestion"]
        self.facets = fields["facets"]

    def as_json(self):
        """The answer as vnsearch --json writes it (a dict), without took_ms."""
        obj = {
            "query": self.query,
            "match": self.match,
            "query_words": self.query_words,
            "total": self.total,
            "exact_total": self.exact_total,
            "results": [h.as_json() for h in self],
        }
        if self.searched_for is not None:
            obj["searched_for"] = self.searched_for
        if self.suggestion is not None:
            obj["suggestion"] = self.suggestion
        if self.facets:
            obj["facets"] = {k: [dict(v) for v in vs] for k, vs in self.facets.items()}
        return obj

    def __repr__(self):
        return "Results(%d of %s%d, match=%r)" % (
            len(self),
            "" if self.exact_total else "about ",
            self.total,
            self.match,
        )


class Document:
    """A stored article: id, title ("" when none), body (as indexed), date, source, topic, url
    (None when absent) and tags (a list)."""

    __slots__ = ("id", "title", "body", "date", "source", "topic", "tags", "url")

    def __init__(self, **fields):
        for k in self.__slots__:
            setattr(self, k, fields[k])

    def as_json(self):
        """The article as vnsearch --show ID --json writes it (the fields vnindex reads)."""
        obj = {"id": self.id, "title": self.title, "body": self.body}
        _meta_json(obj, {k: getattr(self, k) for k in _META_FIELDS})
        return obj

    def __repr__(self):
        return "Document(id=%r, title=%r)" % (self.id, self.title)


def _document(lib, d):
    """The current article of vns_document d as a Document."""
    n = ctypes.c_size_t(0)
    body = lib.vns_document_body(ctypes.byref(n), d)
    fields = _meta(lib.vns_document_meta(d))
    fields.update(
        id=_util.decode(lib.vns_document_id(d)),
        title=_util.decode(lib.vns_document_title(d)) or "",
        body=_util.decode(ctypes.string_at(body, n.value)) if body else "",
    )
    return Document(**fields)


def _count(value, what, minimum=0, maximum=_lib.SIZE_MAX):
    if isinstance(value, bool) or not isinstance(value, int):
        raise errors.invalid("%s must be an int, not %r" % (what, value))
    if not minimum <= value <= maximum:
        raise errors.invalid("%s must be %d to %d, not %d" % (what, minimum, maximum, value))
    return value


class Searcher:
    """A read-only view of one or more indexes, searched as one (vns_searcher).

    Searcher(paths): paths is one index path (a directory, a Xapian stub file, or
    tcp://HOST:PORT) or a list of them. Raises NotFound, InvalidArgument (not a vnsearch
    index), Corrupt, IOFailure, NetworkError, NoMemory or Internal, with the library's message
    naming the path. Use it as a context manager, or call close().

    Threads: like the library's handles, a Searcher belongs to one thread at a time. Open one
    per thread, or serialize every call on it (search, get, scan and iterating a scan) with a
    lock of your own. Calls from two threads at once raise InvalidArgument rather than corrupt
    it; that guard is no substitute for the lock."""

    def __init__(self, paths):
        lib = _lib.lib()
        if isinstance(paths, (str, bytes, os.PathLike)):
            paths = [paths]
        if not isinstance(paths, (list, tuple)):
            raise errors.invalid(
                "Searcher takes an index path or a list of them, not %s" % type(paths).__name__
            )
        enc = [_util.encode(p, "an index path") for p in paths]
        if not enc:
            raise errors.invalid("Searcher needs at least one index path")
        arr = (ctypes.c_char_p * len(enc))(*enc)
        out = ctypes.c_void_p()
        err = ctypes.create_string_buffer(1024)
        st = lib.vns_searcher_open(ctypes.byref(out), arr, len(enc), err, len(err))
        if st != _lib.OK:
            raise _util.status_error(st, err.value)
        self._lib = lib
        self._h = out.value
        self._guard = _util.OneThread("Searcher")

    def _handle(self):
        if self._h is None:
            raise errors.invalid("the Searcher is closed")
        return self._h

    def _error(self, st):
        return _util.status_error(st, self._lib.vns_searcher_errmsg(self._h))

    def close(self):
        """Closes the searcher; results and documents already read stay usable (they are
        Python objects), and a scan still being iterated keeps what it needs. Calling it again
        does nothing. Never fails."""
        if getattr(self, "_h", None) is not None:
            with self._guard:
                self._lib.vns_searcher_close(self._h)
                self._h = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass

    def reopen(self):
        """Picks up commits made since the searcher was opened (or last reopened). Raises as
        the constructor does."""
        with self._guard:
            st = self._lib.vns_searcher_reopen(self._handle())
            if st != _lib.OK:
                raise self._error(st)

    def search(
        self,
        query,
        limit=10,
        offset=0,
        exact=False,
        match="auto",
        literal=False,
        as_typed=False,
        sort="relevance",
        facets=None,
        facet_limit=0,
        snippet_words=0,
        time_limit_ms=0,
        exact_count=False,
    ):
        """Runs query (the query language of vnsearch(1), or plain text with literal=True) and
        returns Results: the hits of one page and the answer's totals and facets.

        limit: at most this many hits (None: every match); offset: skip this many;
        exact: words typed with diacritics must match them; match: "auto", "all" or "any";
        literal: the query is plain text, never syntax; as_typed: no Telex/VNI reading;
        sort: "relevance", "newest" or "oldest"; facets: None or a list of "source", "topic",
        "tag", "year", "month" (counted over every match); facet_limit: values per facet
        (0: 20); snippet_words: snippet length (0: 30); time_limit_ms: the query's budget (0:
        the library's 5000 ms; NO_TIME_LIMIT: none); exact_count: count every match (total
        exact, slower for common words).

        Raises QueryError (syntax error with its position, empty query, not UTF-8, over its
        time budget), InvalidArgument (a bad option), Modified, Corrupt, IOFailure,
        NetworkError, NoMemory, Internal; each with the library's message."""
        lib = self._lib
        q = _util.encode(query, "the query")
        o = _lib.vns_query_options()
        st = lib.vns_query_options_init(ctypes.byref(o), _lib.QUERY_OPTIONS_VERSION)
        if st != _lib.OK:
            raise _util.status_error(st, b"vns_query_options_init refused version 5")
        o.limit = _lib.SIZE_MAX if limit is None else _count(limit, "limit", 1)
        o.offset = _count(offset, "offset")
        o.exact = bool(exact)
        o.exact_count = bool(exact_count)
        o.literal = bool(literal)
        o.as_typed = bool(as_typed)
        if not isinstance(match, str) or match not in MATCH:
            raise errors.invalid("match must be auto, all or any, not %r" % (match,))
        o.match = MATCH[match]
        if not isinstance(sort, str) or sort not in SORT:
            raise errors.invalid("sort must be relevance, newest or oldest, not %r" % (sort,))
        o.sort = SORT[sort]
        asked = []
        if facets is not None:
            if isinstance(facets, str):
                facets = [facets]
            if not isinstance(facets, (list, tuple, set, frozenset)):
                raise errors.invalid("facets must be a list of field names, not %r" % (facets,))
            for f in facets:
                if not isinstance(f, str) or f not in FACETS:
                    raise errors.invalid(
                        "facets are source, topic, tag, year, month, not %r" % (f,)
                    )
                o.facets |= 1 << FACETS[f]
            asked = [f for f in FACETS if o.facets & (1 << FACETS[f])]
        o.facet_limit = _count(facet_limit, "facet_limit", 0, 0xFFFFFFFF)
        o.snippet_words = _count(snippet_words, "snippet_words", 0, 0xFFFFFFFF)
        o.time_limit_ms = _count(time_limit_ms, "time_limit_ms", 0, 0xFFFFFFFF)

        with self._guard:
            h = self._handle()
            out = ctypes.c_void_p()
            st = lib.vns_searcher_query(ctypes.byref(out), h, q, ctypes.byref(o))
            if st != _lib.OK:
                raise self._error(st)
            r = out.value
            try:
                return self._collect(r, _util.decode(q), asked)
            finally:
                lib.vns_results_free(r)

    def _collect(self, r, query, asked):
        """Reads every hit of r, then its totals and facets (in vnsearch --json's order)."""
        lib = self._lib
        hits = []

        def fail(st):
            return _util.status_error(st, lib.vns_results_errmsg(r))

        while True:
            st = lib.vns_results_next(r)
            if st == _lib.DONE:
                break
            if st != _lib.OK:
                raise fail(st)
            heading = lib.vns_results_heading(r)
            snippet = lib.vns_results_snippet(r)
            n = ctypes.c_size_t(0)
            hl = lib.vns_results_highlights(ctypes.byref(n), r)
            if heading is None or snippet is None:
                # The accessors give NULL without a status: the message says why.
                raise fail(-10)
            words = ctypes.c_size_t(0)
            st = lib.vns_results_matched_words(ctypes.byref(words), r)
            if st != _lib.OK:
                raise fail(st)
            ranges = [(hl[i].start, hl[i].end) for i in range(n.value)]
            fields = _meta(lib.vns_results_meta(r))
            fields.update(
                id=_util.decode(lib.vns_results_id(r)),
                title=_util.decode(lib.vns_results_title(r)) or "",
                heading=_util.decode(heading),
                score=lib.vns_results_score(r),
                rank=lib.vns_results_rank(r),
                snippet=_util.decode(snippet),
                highlights=ranges,
                highlights_chars=char_ranges(snippet, ranges),
                matched_words=words.value,
            )
            hits.append(Hit(**fields))
        facets = {}
        value = ctypes.c_char_p()
        count = ctypes.c_uint64()
        for name in asked:
            values = []
            i = 0
            while (
                lib.vns_results_facet(
                    ctypes.byref(value), ctypes.byref(count), r, FACETS[name], i
                )
                == _lib.OK
            ):
                values.append({"value": _util.decode(value.value), "count": count.value})
                i += 1
            facets[name] = values
        return Results(
            hits,
            query=query,
            total=lib.vns_results_total(r),
            exact_total=bool(lib.vns_results_total_is_exact(r)),
            match=MATCH_NAMES.get(lib.vns_results_match(r), "all"),
            query_words=lib.vns_results_query_words(r),
            searched_for=_util.decode(lib.vns_results_searched_for(r)),
            suggestion=_util.decode(lib.vns_results_suggestion(r)),
            facets=facets,
        )

    def get(self, id):
        """The stored article with this id, as a Document. Raises NotFound (no such id: the
        message names it), InvalidArgument, Corrupt, IOFailure, NetworkError, NoMemory,
        Internal."""
        lib = self._lib
        key = _util.encode(id, "the id")
        with self._guard:
            h = self._handle()
            out = ctypes.c_void_p()
            st = lib.vns_searcher_get(ctypes.byref(out), h, key)
            if st != _lib.OK:
                raise self._error(st)
            try:
                return _document(lib, out.value)
            finally:
                lib.vns_document_free(out.value)

    def scan(self):
        """An iterator over every stored article (Documents, in index order), reading the
        revision open when it starts. Iterating raises Modified when the index changed under it
        (scan again), or Corrupt, IOFailure, NetworkError, NoMemory, Internal. The cursor is
        freed when the iterator ends, is closed, or is collected."""
        lib = self._lib
        with self._guard:
            h = self._handle()
            out = ctypes.c_void_p()
            st = lib.vns_searcher_scan(ctypes.byref(out), h)
            if st != _lib.OK:
                raise self._error(st)
        return self._scan(out.value, h)

    def _scan(self, d, h):
        lib = self._lib
        try:
            while True:
                with self._guard:
                    st = lib.vns_document_next(d)
                    if st == _lib.DONE:
                        return
                    if st != _lib.OK:
                        raise _util.status_error(st, lib.vns_searcher_errmsg(h))
                    doc = _document(lib, d)
                yield doc
        finally:
            lib.vns_document_free(d)


def char_ranges(snippet, ranges):
    """Byte ranges into snippet (UTF-8 bytes) as character ranges into the decoded str: what
    Python and JavaScript index strings by."""
    out = []
    for a, b in ranges:
        ca = len(_util.decode(snippet[:a]))
        out.append((ca, ca + len(_util.decode(snippet[a:b]))))
    return out
