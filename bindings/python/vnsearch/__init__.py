"""vnsearch: full-text search for Vietnamese, over libvnsearch (through ctypes: no compiler).

    import vnsearch

    with vnsearch.Index("news.db") as ix:          # commits on a clean exit
        ix.put("a1", "Đội tuyển Việt Nam thắng 2-0.", title="Bóng đá",
               date="2024-05-06", source="tuoitre.vn", tags=["thể thao"])

    with vnsearch.Searcher("news.db") as s:
        res = s.search("viet nam", limit=5, facets=["source"])
        for hit in res:
            a, b = hit.highlights_chars[0]
            print(hit.rank, hit.id, hit.title, hit.snippet[a:b])
        print(res.total, res.facets)

The library is found through $VNSEARCH_LIB (a path to libvnsearch.so), else the installed
library, else the build tree's build/libvnsearch.so; it is loaded on first use, and refused
when its MAJOR.MINOR is not the one this module was written for (LibraryError).

Threads: the library's handles belong to one thread at a time. Open a Searcher (or Index) per
thread, or share one only under a lock of your own.

Errors are VnsearchError subclasses, one per status of the library (NotFound, Locked,
Modified, Corrupt, QueryError, InvalidArgument, EncodingError, IOFailure, NoMemory, Internal,
NetworkError), each with the status name (.status), its value (.code), the library's message
(.message, and str(error)) and the status's remedy (.remedy).
"""

from . import _lib
from ._lib import API_VERSION, LibraryError
from .errors import (
    Corrupt,
    EncodingError,
    Internal,
    InvalidArgument,
    IOFailure,
    Locked,
    Modified,
    NetworkError,
    NoMemory,
    NotFound,
    QueryError,
    VnsearchError,
)
from .index import Index
from .searcher import NO_TIME_LIMIT, Document, Hit, Results, Searcher

__all__ = [
    "API_VERSION",
    "Corrupt",
    "Document",
    "EncodingError",
    "Hit",
    "Index",
    "Internal",
    "InvalidArgument",
    "IOFailure",
    "LibraryError",
    "Locked",
    "Modified",
    "NO_TIME_LIMIT",
    "NetworkError",
    "NoMemory",
    "NotFound",
    "QueryError",
    "Results",
    "Searcher",
    "VnsearchError",
    "library_path",
    "library_version",
]


def library_version():
    """The loaded library's version, "MAJOR.MINOR.PATCH" (loading it if needed)."""
    return _lib.load()[2]


def library_path():
    """The path (or soname) the library was loaded from (loading it if needed)."""
    return _lib.load()[1]
