"""errors.py: the exceptions, one per vns_status error, each carrying the library's message."""


class VnsearchError(Exception):
    """A libvnsearch call failed.

    Attributes:
      status   the status name, as in include/vnsearch.h ("VNS_ELOCKED");
      code     its value (negative);
      message  the library's message for this failure (vns_*_errmsg, or the errbuf of an open),
               or the status's fixed text when the library gave none;
      remedy   the status's fixed text (vns_status_str): what it means and what to do.
    str(error) is the message."""

    def __init__(self, message, status=None, code=None, remedy=None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.remedy = remedy


class NotFound(VnsearchError, LookupError):
    """VNS_ENOTFOUND: no index at that path, or no document with that id."""


class Locked(VnsearchError):
    """VNS_ELOCKED: another writer holds the index (open it with wait_for_lock=True to wait)."""


class Modified(VnsearchError):
    """VNS_EMODIFIED: the index changed under a reader: reopen and retry."""


class Corrupt(VnsearchError):
    """VNS_ECORRUPT: the index is damaged: check it with xapian-check, rebuild it."""


class QueryError(VnsearchError, ValueError):
    """VNS_EQUERY: the query does not parse (the message gives the position), is empty, or ran
    past its time budget."""


class InvalidArgument(VnsearchError, ValueError):
    """VNS_EINVAL: an argument is invalid (also: a path that is not a vnsearch index, a date
    that does not parse). Arguments the module refuses before calling the library (a NUL byte
    in a string, an unknown sort or facet name) raise it too, with status VNS_EINVAL."""


class EncodingError(VnsearchError, ValueError):
    """VNS_EENCODING: a document id is not valid UTF-8."""


class IOFailure(VnsearchError, OSError):
    """VNS_EIO: reading or writing failed (disk full, permissions, a read-only index)."""


class NoMemory(VnsearchError, MemoryError):
    """VNS_ENOMEM: out of memory."""


class Internal(VnsearchError):
    """VNS_EINTERNAL: a bug or an unexpected backend error: report it with the message."""


class NetworkError(VnsearchError, ConnectionError):
    """VNS_ENETWORK: a remote (tcp://) index did not answer."""


# vns_status value -> (name, class)
BY_CODE = {
    -1: ("VNS_ENOTFOUND", NotFound),
    -2: ("VNS_ELOCKED", Locked),
    -3: ("VNS_EMODIFIED", Modified),
    -4: ("VNS_ECORRUPT", Corrupt),
    -5: ("VNS_EQUERY", QueryError),
    -6: ("VNS_EINVAL", InvalidArgument),
    -7: ("VNS_EENCODING", EncodingError),
    -8: ("VNS_EIO", IOFailure),
    -9: ("VNS_ENOMEM", NoMemory),
    -10: ("VNS_EINTERNAL", Internal),
    -11: ("VNS_ENETWORK", NetworkError),
}


def make(code, message, remedy=None):
    """The exception for status code with the library's message (an unknown negative code, from
    a newer library, is an Internal error naming the code)."""
    name, cls = BY_CODE.get(code, ("VNS_STATUS_%d" % code, Internal))
    if not message:
        message = remedy or name
    return cls(message, status=name, code=code, remedy=remedy)


def invalid(message):
    """An InvalidArgument raised by the module itself, before any call into the library."""
    return InvalidArgument(message, status="VNS_EINVAL", code=-6)


def encoding(message):
    """An EncodingError raised by the module itself: a string with no UTF-8 form."""
    return EncodingError(message, status="VNS_EENCODING", code=-7)
