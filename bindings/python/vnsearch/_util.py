"""_util.py: strings in and out of the C library, the error of a status, the one-thread guard."""

import os
import threading

from . import _lib, errors


def _utf8(value, what):
    """str value as UTF-8 (lone surrogates from surrogateescape go back to their bytes). Raises
    EncodingError for another lone surrogate, which has no UTF-8 form."""
    try:
        return value.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError as e:
        raise errors.encoding(
            "%s is not text: character %d (U+%04X) is a lone surrogate, which UTF-8 cannot hold"
            % (what, e.start, ord(value[e.start]))
        ) from None


def encode(value, what):
    """value (str, bytes or os.PathLike) as the bytes of a NUL-terminated C string. Strings are
    UTF-8 (lone surrogates from surrogateescape go back to their bytes). Raises InvalidArgument
    for another type or a NUL byte, which C would silently cut the string at, and EncodingError
    for a string that has no UTF-8 form."""
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    if isinstance(value, str):
        value = _utf8(value, what)
    elif not isinstance(value, bytes):
        raise errors.invalid("%s must be a str or bytes, not %s" % (what, type(value).__name__))
    if b"\0" in value:
        raise errors.invalid("%s holds a NUL byte" % what)
    return value


def text(value, what):
    """value (str or bytes) as UTF-8 bytes given with a length (NUL bytes allowed). Raises
    EncodingError for a string that has no UTF-8 form (_utf8)."""
    if isinstance(value, str):
        return _utf8(value, what)
    if isinstance(value, bytes):
        return value
    raise errors.invalid("%s must be a str or bytes, not %s" % (what, type(value).__name__))


def decode(b):
    """bytes from the library as str (None stays None). Bytes that are not UTF-8 (the library
    replaces them in text, so this should not happen) become lone surrogates, so that nothing
    is lost and offsets still count one character per such byte."""
    return None if b is None else b.decode("utf-8", "surrogateescape")


def status_error(st, message):
    """The exception for status st, with message (bytes from a vns_*_errmsg or an errbuf)."""
    lib = _lib.lib()
    return errors.make(st, decode(message), decode(lib.vns_status_str(st)))


class OneThread:
    """A guard around each call into a handle: a second thread entering while the first is in a
    call raises InvalidArgument instead of corrupting the handle (the library's handles belong to
    one thread at a time, and ctypes releases the GIL during calls). It detects misuse; it does
    not serialize: share a handle between threads only under a lock of your own."""

    def __init__(self, what):
        self._lock = threading.Lock()
        self._what = what

    def __enter__(self):
        if not self._lock.acquire(blocking=False):
            raise errors.invalid(
                "this %s is in use by another thread: libvnsearch handles belong to one thread "
                "at a time (use one per thread, or a lock of your own)" % self._what
            )
        return self

    def __exit__(self, *exc):
        self._lock.release()
        return False
