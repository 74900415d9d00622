"""The few C types and helpers the wasmtime binding needs, made straight from ``_ctypes``.

Why: `ctypes/__init__.py` declares every C type, loader and helper there is, and importing it
costs about a millisecond, a tenth of a whole one-shot Wasm post-render. The C extension
underneath (``_ctypes``) holds everything that matters; the classes below are what
`ctypes` itself builds from it, for the types used here only. Should ``_ctypes`` ever lack a
piece, the real `ctypes` is used instead: same names, same behaviour.
"""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["CDLL", "CFUNCTYPE", "POINTER", "Structure", "Union", "byref", "c_bool", "c_char_p", "c_int",
           "c_int32", "c_int64", "c_size_t", "c_uint8", "c_uint32", "c_uint64", "c_void_p", "memmove", "sizeof",
           "string_at"]

try:
    from _ctypes import (
        FUNCFLAG_CDECL,
        FUNCFLAG_PYTHONAPI,
        POINTER,
        RTLD_LOCAL,
        CFuncPtr,
        Structure,
        Union,
        _memmove_addr,
        _SimpleCData,
        _string_at_addr,
        byref,
        dlopen,
        sizeof,
    )

    class c_bool(_SimpleCData):
        _type_ = "?"

    class c_char_p(_SimpleCData):
        _type_ = "z"

    class c_void_p(_SimpleCData):
        _type_ = "P"

    class c_int(_SimpleCData):
        _type_ = "i"

    class c_uint8(_SimpleCData):
        _type_ = "B"

    class c_uint32(_SimpleCData):
        _type_ = "I"

    class c_int64(_SimpleCData):
        _type_ = "q"

    class c_uint64(_SimpleCData):
        _type_ = "Q"

    class _py_object(_SimpleCData):
        _type_ = "O"

    c_int32 = c_int
    if sizeof(c_void_p) != 8 or sys.platform == "win32":
        raise ImportError("only the common 64-bit layout is spelled out here")
    c_size_t = c_uint64

    _functypes: dict[tuple[Any, ...], Any] = {}

    def _functype(restype: Any, argtypes: tuple[Any, ...], flags: int) -> Any:
        key = (restype, argtypes, flags)
        cls = _functypes.get(key)
        if cls is None:
            cls = _functypes[key] = type("CFunctionType", (CFuncPtr,),
                                         {"_argtypes_": argtypes, "_restype_": restype, "_flags_": flags})
        return cls

    def CFUNCTYPE(restype: Any, *argtypes: Any) -> Any:  # noqa: N802 - the name ctypes gives it
        """A C function prototype (cdecl), as `ctypes.CFUNCTYPE`."""
        return _functype(restype, argtypes, FUNCFLAG_CDECL)

    memmove = CFUNCTYPE(c_void_p, c_void_p, c_void_p, c_size_t)(_memmove_addr)
    _string_at = _functype(_py_object, (c_void_p, c_int), FUNCFLAG_CDECL | FUNCFLAG_PYTHONAPI)(_string_at_addr)

    def string_at(ptr: Any, size: int = -1) -> bytes:
        """The bytes at a C address, as `ctypes.string_at`."""
        return _string_at(ptr, size)  # type: ignore[no-any-return]

    class _FuncPtr(CFuncPtr):
        _flags_ = FUNCFLAG_CDECL
        _restype_ = c_int

    class CDLL:
        """A loaded shared library whose functions are attributes, as `ctypes.CDLL`."""

        def __init__(self, name: str) -> None:
            self._name = name
            self._handle = dlopen(name, RTLD_LOCAL)

        def __getattr__(self, name: str) -> Any:
            if name.startswith("__") and name.endswith("__"):
                raise AttributeError(name)
            func = _FuncPtr((name, self))
            func.__name__ = name
            setattr(self, name, func)
            return func

except (ImportError, AttributeError):  # pragma: no cover - an interpreter without these pieces
    from ctypes import (  # type: ignore[assignment]  # noqa: F401
        CDLL,
        CFUNCTYPE,
        POINTER,
        Structure,
        Union,
        byref,
        c_bool,
        c_char_p,
        c_int,
        c_int32,
        c_int64,
        c_size_t,
        c_uint8,
        c_uint32,
        c_uint64,
        c_void_p,
        memmove,
        sizeof,
        string_at,
    )
