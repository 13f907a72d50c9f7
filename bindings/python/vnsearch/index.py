"""index.py: Index, a writable index (vns_index): put, delete, commit, close."""

import ctypes
import datetime
import os

from . import _lib, _util, errors

PUT_RESULTS = {0: "added", 1: "updated", 2: "unchanged"}


def _date(value):
    """A date as vns_meta.date takes it: a str as it is; an int as Unix seconds; a
    datetime.date or datetime.datetime in ISO 8601 (a naive datetime means Vietnam time, as
    the library reads a date-time without a zone)."""
    if isinstance(value, bool):
        raise errors.invalid("date must be a str, an int or a datetime, not a bool")
    if isinstance(value, int):
        return str(value).encode("ascii")
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="seconds").encode("ascii")
    if isinstance(value, datetime.date):
        return value.isoformat().encode("ascii")
    return _util.encode(value, "date")


class Index:
    """A writable index (vns_index): Index(path, create=True, wait_for_lock=False).

    Opens the index at path for writing, creating it when missing (unless create=False: then
    NotFound). Only one writer may hold an index: another raises Locked, unless wait_for_lock
    waits for it. Also raises InvalidArgument (a database that is not a vnsearch index),
    Corrupt, IOFailure (also: a read-only index), NoMemory, Internal, with the library's
    message.

    Changes become durable and visible to readers at commit() (the library also commits by
    itself every 250 changes). As a context manager it commits and closes on a clean exit and
    abandons the uncommitted changes when the block raises. An Index that is garbage-collected
    without close() is abandoned too: call close() (or commit()) to keep changes.

    Threads: like the library's handles, an Index belongs to one thread at a time; serialize
    every call on it with a lock of your own when several threads write through it. Calls from
    two threads at once raise InvalidArgument rather than corrupt it."""

    def __init__(self, path, create=True, wait_for_lock=False):
        lib = _lib.lib()
        p = _util.encode(path, "the index path")
        o = _lib.vns_index_options()
        st = lib.vns_index_options_init(ctypes.byref(o), _lib.INDEX_OPTIONS_VERSION)
        if st != _lib.OK:
            raise _util.status_error(st, b"vns_index_options_init refused version 2")
        o.create = bool(create)
        o.wait_for_lock = bool(wait_for_lock)
        out = ctypes.c_void_p()
        err = ctypes.create_string_buffer(1024)
        st = lib.vns_index_open(ctypes.byref(out), p, ctypes.byref(o), err, len(err))
        if st != _lib.OK:
            raise _util.status_error(st, err.value)
        self._lib = lib
        self._h = out.value
        self._guard = _util.OneThread("Index")
        self.path = os.fsdecode(p)

    def _handle(self):
        if self._h is None:
            raise errors.invalid("the Index is closed")
        return self._h

    def _error(self, st):
        return _util.status_error(st, self._lib.vns_index_errmsg(self._h))

    def put(
        self,
        id,
        body,
        title=None,
        date=None,
        source=None,
        topic=None,
        tags=None,
        url=None,
    ):
        """Adds or replaces the article with this id, unless its content (title, body and
        metadata) is unchanged; returns "added", "updated" or "unchanged".

        id: non-empty, valid UTF-8; body, title: str (or UTF-8 bytes; invalid bytes become
        U+FFFD); date: "2024-05-06", "2024-05-06T08:30:00+07:00" (no zone: Vietnam time), Unix
        seconds (int or decimal str), or a datetime.date/datetime; source (where it was
        published), topic, url: str; tags: a list of str. Raises InvalidArgument (no id, no
        body and no title, a date that does not parse), EncodingError (an id that is not
        UTF-8), IOFailure, Corrupt, NoMemory, Internal."""
        lib = self._lib
        d = _lib.vns_doc()
        d.version = _lib.DOC_VERSION  # VNS_DOC_INIT: everything else NULL or 0
        d.id = _util.encode(id, "the id")
        b = _util.text(body if body is not None else "", "body")
        d.body, d.body_len = b, len(b)
        if title is not None:
            t = _util.text(title, "title")
            d.title, d.title_len = t, len(t)
        if date is not None:
            d.meta.date = _date(date)
        if source is not None:
            d.meta.source = _util.encode(source, "source")
        if topic is not None:
            d.meta.topic = _util.encode(topic, "topic")
        if url is not None:
            d.meta.url = _util.encode(url, "url")
        if tags:
            if isinstance(tags, (str, bytes)):
                raise errors.invalid("tags must be a list of str, not one string")
            enc = [_util.encode(t, "a tag") for t in tags]
            arr = (ctypes.c_char_p * len(enc))(*enc)
            d.meta.tags = ctypes.cast(arr, ctypes.POINTER(ctypes.c_char_p))
            d.meta.ntags = len(enc)
        what = ctypes.c_int(0)
        with self._guard:
            st = lib.vns_index_put(ctypes.byref(what), self._handle(), ctypes.byref(d))
            if st != _lib.OK:
                raise self._error(st)
        return PUT_RESULTS[what.value]

    def delete(self, id):
        """Deletes the article with this id. Raises NotFound (no such id), InvalidArgument,
        IOFailure, Corrupt, NoMemory, Internal."""
        key = _util.encode(id, "the id")
        with self._guard:
            st = self._lib.vns_index_delete(self._handle(), key)
            if st != _lib.OK:
                raise self._error(st)

    def commit(self):
        """Makes every change so far durable and visible to readers that reopen. Raises
        IOFailure (disk full: the last commit stays whole), Corrupt, NoMemory, Internal."""
        with self._guard:
            st = self._lib.vns_index_commit(self._handle())
            if st != _lib.OK:
                raise self._error(st)

    def doc_count(self):
        """The number of articles in the index, counting uncommitted changes."""
        n = ctypes.c_uint64(0)
        with self._guard:
            st = self._lib.vns_index_doc_count(ctypes.byref(n), self._handle())
            if st != _lib.OK:
                raise self._error(st)
        return n.value

    def close(self):
        """Commits and closes. When the commit fails it raises (IOFailure, Corrupt, NoMemory,
        Internal, with the library's message) and the Index stays open, so that the caller may
        retry or abandon(). Closing a closed Index does nothing."""
        if self._h is None:
            return
        # Commit first, on the open handle, so that a failure comes with its message:
        # vns_index_close frees the handle, and its message with it, even when it fails.
        self.commit()
        with self._guard:
            h, self._h = self._h, None
            st = self._lib.vns_index_close(h)
        if st != _lib.OK:
            raise _util.status_error(st, None)

    def abandon(self):
        """Closes, discarding the changes made since the last commit. Never fails."""
        if getattr(self, "_h", None) is not None:
            with self._guard:
                h, self._h = self._h, None
                self._lib.vns_index_abandon(h)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.close()
        else:
            self.abandon()
        return False

    def __del__(self):
        try:
            self.abandon()
        except Exception:
            pass
