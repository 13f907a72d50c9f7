"""_util.py: strings in and out of the C library, the error of a status, the one-thread guard."""

import os
import threading

from . import _lib, errors


def encode(value, what):
    """value (str, bytes or os.PathLike) as the bytes of a NUL-terminated C string. Strings are
    UTF-8 (lone surrogates from surrogateescape go back to their bytes). Raises InvalidArgument
    for another type or a NUL byte, which C would silently cut the string at."""
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    if isinstance(value, str):
        value = value.encode("utf-8", "surrogateescape")
    elif not isinstance(value, bytes):
        raise errors.invalid("%s must be a str or bytes, not %s" % (what, type(value).__name__))
    if b"\0" in value:
        raise errors.invalid("%s holds a NUL byte" % what)
    return value


def text(value, what):
    """value (str or bytes) as UTF-8 bytes given with a length (NUL bytes allowed)."""
    if isinstance(value, str):
        return value.encode("utf-8", "surrogateescape")
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
