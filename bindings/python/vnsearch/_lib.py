"""_lib.py: finds and loads libvnsearch, and declares its structs and functions for ctypes.

The structs mirror include/vnsearch.h field for field (vns_index_options version 2, vns_meta,
vns_doc version 2, vns_query_options version 5, vns_range); the C enums are ints. The library
is loaded on first use, not at import, so that ``import vnsearch`` always works and the error
classes can be caught even when no library is found.
"""

import ctypes
import ctypes.util
import os
import threading

# The MAJOR.MINOR of include/vnsearch.h this module was written for. Before 1.0 a minor version
# may change the structs (the soname stays libvnsearch.so.0), so only the same MAJOR.MINOR loads.
API_VERSION = (0, 1)
# The struct versions this module fills.
INDEX_OPTIONS_VERSION = 3
DOC_VERSION = 2
QUERY_OPTIONS_VERSION = 5

SIZE_MAX = ctypes.c_size_t(-1).value
NO_TIME_LIMIT = 0xFFFFFFFF  # VNS_QUERY_NO_TIME_LIMIT

# The soname CMakeLists.txt gives the shared library (SOVERSION 0).
SONAME = "libvnsearch.so.0"

# vns_status values by name (include/vnsearch.h).
STATUS_NAMES = {
    0: "VNS_OK",
    1: "VNS_DONE",
    -1: "VNS_ENOTFOUND",
    -2: "VNS_ELOCKED",
    -3: "VNS_EMODIFIED",
    -4: "VNS_ECORRUPT",
    -5: "VNS_EQUERY",
    -6: "VNS_EINVAL",
    -7: "VNS_EENCODING",
    -8: "VNS_EIO",
    -9: "VNS_ENOMEM",
    -10: "VNS_EINTERNAL",
    -11: "VNS_ENETWORK",
}
OK, DONE = 0, 1


class vns_index_options(ctypes.Structure):
    _fields_ = [
        ("version", ctypes.c_uint),
        ("create", ctypes.c_int),
        ("wait_for_lock", ctypes.c_int),
        ("batch_docs", ctypes.c_uint),
        ("batch_bytes", ctypes.c_size_t),
        ("scratch", ctypes.c_int),
        ("base", ctypes.c_char_p),
    ]


class vns_meta(ctypes.Structure):
    _fields_ = [
        ("date", ctypes.c_char_p),
        ("source", ctypes.c_char_p),
        ("topic", ctypes.c_char_p),
        ("url", ctypes.c_char_p),
        ("tags", ctypes.POINTER(ctypes.c_char_p)),
        ("ntags", ctypes.c_size_t),
    ]


class vns_doc(ctypes.Structure):
    _fields_ = [
        ("version", ctypes.c_uint),
        ("id", ctypes.c_char_p),
        # title and body go with their lengths, so that text holding NUL bytes is passed whole;
        # the struct keeps the bytes objects assigned to them alive.
        ("title", ctypes.c_char_p),
        ("title_len", ctypes.c_size_t),
        ("body", ctypes.c_char_p),
        ("body_len", ctypes.c_size_t),
        ("source", ctypes.c_char_p),
        ("meta", vns_meta),
    ]


class vns_query_options(ctypes.Structure):
    _fields_ = [
        ("version", ctypes.c_uint),
        ("offset", ctypes.c_size_t),
        ("limit", ctypes.c_size_t),
        ("exact", ctypes.c_int),
        ("exact_count", ctypes.c_int),
        ("snippet_words", ctypes.c_uint),
        ("hl_start", ctypes.c_char_p),
        ("hl_end", ctypes.c_char_p),
        ("html", ctypes.c_int),
        ("time_limit_ms", ctypes.c_uint),
        ("match", ctypes.c_int),  # vns_match
        ("literal", ctypes.c_int),
        ("as_typed", ctypes.c_int),
        ("sort", ctypes.c_int),  # vns_sort
        ("facets", ctypes.c_uint),
        ("facet_limit", ctypes.c_uint),
    ]


class vns_range(ctypes.Structure):
    _fields_ = [("start", ctypes.c_size_t), ("end", ctypes.c_size_t)]


# Opaque handles are plain pointers.
_P = ctypes.c_void_p
_PP = ctypes.POINTER(ctypes.c_void_p)
_S = ctypes.c_int  # vns_status
_STR = ctypes.c_char_p
_SIZE = ctypes.c_size_t

# name: (restype, argtypes)
_PROTOTYPES = {
    "vns_status_str": (_STR, [_S]),
    "vns_version": (_STR, [ctypes.POINTER(ctypes.c_int)]),
    "vns_index_options_init": (_S, [ctypes.POINTER(vns_index_options), ctypes.c_uint]),
    "vns_index_open": (_S, [_PP, _STR, ctypes.POINTER(vns_index_options), ctypes.c_char_p, _SIZE]),
    "vns_index_put": (_S, [ctypes.POINTER(ctypes.c_int), _P, ctypes.POINTER(vns_doc)]),
    "vns_index_delete": (_S, [_P, _STR]),
    "vns_index_commit": (_S, [_P]),
    "vns_index_doc_count": (_S, [ctypes.POINTER(ctypes.c_uint64), _P]),
    "vns_index_errmsg": (_STR, [_P]),
    "vns_index_close": (_S, [_P]),
    "vns_index_abandon": (None, [_P]),
    "vns_query_options_init": (_S, [ctypes.POINTER(vns_query_options), ctypes.c_uint]),
    "vns_searcher_open": (_S, [_PP, ctypes.POINTER(_STR), _SIZE, ctypes.c_char_p, _SIZE]),
    "vns_searcher_query": (_S, [_PP, _P, _STR, ctypes.POINTER(vns_query_options)]),
    "vns_searcher_reopen": (_S, [_P]),
    "vns_searcher_errmsg": (_STR, [_P]),
    "vns_searcher_close": (None, [_P]),
    "vns_results_total": (ctypes.c_uint64, [_P]),
    "vns_results_total_is_exact": (ctypes.c_int, [_P]),
    "vns_results_match": (ctypes.c_int, [_P]),
    "vns_results_query_words": (_SIZE, [_P]),
    "vns_results_next": (_S, [_P]),
    # c_char_p results come back as bytes (None for NULL), decoded by the module.
    "vns_results_id": (_STR, [_P]),
    "vns_results_title": (_STR, [_P]),
    "vns_results_heading": (_STR, [_P]),
    "vns_results_score": (ctypes.c_double, [_P]),
    "vns_results_rank": (_SIZE, [_P]),
    "vns_results_snippet": (_STR, [_P]),
    "vns_results_highlights": (ctypes.POINTER(vns_range), [ctypes.POINTER(_SIZE), _P]),
    "vns_results_searched_for": (_STR, [_P]),
    "vns_results_suggestion": (_STR, [_P]),
    "vns_results_meta": (ctypes.POINTER(vns_meta), [_P]),
    "vns_results_facet": (
        _S,
        [ctypes.POINTER(_STR), ctypes.POINTER(ctypes.c_uint64), _P, ctypes.c_int, _SIZE],
    ),
    "vns_results_matched_words": (_S, [ctypes.POINTER(_SIZE), _P]),
    "vns_results_errmsg": (_STR, [_P]),
    "vns_results_free": (None, [_P]),
    "vns_searcher_get": (_S, [_PP, _P, _STR]),
    "vns_searcher_scan": (_S, [_PP, _P]),
    "vns_document_next": (_S, [_P]),
    "vns_document_id": (_STR, [_P]),
    "vns_document_title": (_STR, [_P]),
    "vns_document_body": (ctypes.c_void_p, [ctypes.POINTER(_SIZE), _P]),
    "vns_document_meta": (ctypes.POINTER(vns_meta), [_P]),
    "vns_document_free": (None, [_P]),
}


class LibraryError(ImportError):
    """No usable libvnsearch: none found, or one of another MAJOR.MINOR version.

    The message lists every place tried and why each failed."""


def _build_tree_candidate():
    """The library of the build tree this module sits in (bindings/python/vnsearch/ in the
    repository, build/ at its top), or None when the module is not in a repository."""
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.normpath(os.path.join(here, "..", "..", ".."))
    if not os.path.isfile(os.path.join(repo, "include", "vnsearch.h")):
        return None
    return os.path.join(repo, "build", "libvnsearch.so")


def _installed_candidates():
    """The installed library: the copy installed beside this module by cmake --install (its
    path relative to the module is written into _install_paths.py at install time), then the
    system's by soname (ctypes.util.find_library, then the dynamic loader's own search)."""
    out = []
    try:
        from . import _install_paths  # written by cmake --install only

        here = os.path.dirname(os.path.abspath(__file__))
        out.append(os.path.normpath(os.path.join(here, _install_paths.LIBDIR_FROM_MODULE, SONAME)))
    except ImportError:
        pass
    found = ctypes.util.find_library("vnsearch")
    if found:
        out.append(found)
    if SONAME not in out:
        out.append(SONAME)
    return out


def _check_version(lib, where):
    """Raises LibraryError unless lib's vns_version() has this module's MAJOR.MINOR."""
    lib.vns_version.restype = ctypes.c_char_p
    lib.vns_version.argtypes = [ctypes.POINTER(ctypes.c_int)]
    text = lib.vns_version(None).decode("ascii", "replace")
    parts = text.split(".")
    try:
        got = (int(parts[0]), int(parts[1]))
    except (IndexError, ValueError):
        got = None
    if got != API_VERSION:
        raise LibraryError(
            "%s is libvnsearch %s, but this vnsearch module was written for %d.%d: install the "
            "module and the library from the same release, or point VNSEARCH_LIB at a "
            "libvnsearch %d.%d" % ((where, text) + API_VERSION + API_VERSION)
        )
    return text


def _declare(lib):
    for name, (restype, argtypes) in _PROTOTYPES.items():
        fn = getattr(lib, name)
        fn.restype = restype
        fn.argtypes = argtypes


_lock = threading.Lock()
_loaded = None  # (CDLL, path, version)


def load():
    """Loads libvnsearch once and returns (CDLL, path, version text).

    Tries, in order: $VNSEARCH_LIB alone when it is set (a path to libvnsearch.so); else the
    installed library (beside this module, then by soname); else the build tree's
    build/libvnsearch.so. Raises LibraryError naming everything tried, or a library whose
    MAJOR.MINOR is not this module's. Safe to call from any thread."""
    global _loaded
    with _lock:
        if _loaded is not None:
            return _loaded
        env = os.environ.get("VNSEARCH_LIB")
        if env:
            candidates = [("VNSEARCH_LIB", env)]
        else:
            candidates = [("installed", c) for c in _installed_candidates()]
            build = _build_tree_candidate()
            if build:
                candidates.append(("build tree", build))
        tried = []
        for how, path in candidates:
            try:
                lib = ctypes.CDLL(path)
            except OSError as e:
                tried.append("%s %s: %s" % (how, path, e))
                continue
            version = _check_version(lib, "%s (%s)" % (path, how))
            _declare(lib)
            _loaded = (lib, path, version)
            return _loaded
        raise LibraryError(
            "cannot load libvnsearch; tried:\n  "
            + "\n  ".join(tried)
            + "\nset VNSEARCH_LIB to the path of libvnsearch.so, or install it (cmake --install)"
        )


def lib():
    """The loaded CDLL (loading it on first use)."""
    return (_loaded or load())[0]
