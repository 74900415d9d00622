"""Go's value model, as every part of Pilothouse represents it in Python.

Go templates see typed values, and their type decides how they print, compare and convert
(`eq 1 1.0` is an error, `typeOf` prints `[]string`, a float64 prints as `1e+06`). Python's
builtin types carry most of that; the few Go types with no Python twin are the small
subclasses below. Every module that makes or consumes template values follows this table:

    Go                          Python
    nil (interface{})           None
    bool                        bool            (check bool before int: bool is an int in Python)
    int                         int             (template literals, len, until, sprig results typed int)
    int64                       Int64           (--set values, sprig int64/add/mul..., TOML integers)
    uint8 (a byte of a string)  Uint8
    uint64                      Uint64          (semver Version.Major/Minor/Patch)
    float64                     float           (every number read from YAML or JSON)
    string                      str
    []byte                      bytes
    []interface{}               list
    []string                    StrList
    []int                       IntList
    map[string]interface{}      dict            (keys are str)
    map[string]string           StrMap          (a missing key reads as "")
    struct / named types        GoObject subclasses (see below)

A Go value with methods or fields (``.Capabilities``, ``.Files``, a semver Version, time.Time)
is a `GoObject`: the template engine resolves ``.Name`` on it by looking at `go_methods`
first (Go method sets shadow map keys and fields), then `go_fields`, and only then, for
dict subclasses, at the map's keys.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar


class Int64(int):
    """A Go int64: an int that prints and compares as Go's int64 does."""

    __slots__ = ()
    go_type: ClassVar[str] = "int64"

    def __repr__(self) -> str:
        return f"Int64({int(self)})"


class Uint8(int):
    """A Go uint8 (byte): what `index` gives for one byte of a string."""

    __slots__ = ()
    go_type: ClassVar[str] = "uint8"

    def __repr__(self) -> str:
        return f"Uint8({int(self)})"


class Uint64(int):
    """A Go uint64 (semver's Major/Minor/Patch)."""

    __slots__ = ()
    go_type: ClassVar[str] = "uint64"

    def __repr__(self) -> str:
        return f"Uint64({int(self)})"


# Named Go integer types defined outside this module (time.Duration), by Go type name, so that
# a number literal passed to a parameter of that type becomes that type, as in Go.
NAMED_INTS: dict[str, type[int]] = {}


class StrList(list):
    """A Go []string (splitList, keys, sortAlpha, toStrings, regexFindAll)."""

    __slots__ = ()
    go_type: ClassVar[str] = "[]string"


class IntList(list):
    """A Go []int (until, untilStep)."""

    __slots__ = ()
    go_type: ClassVar[str] = "[]int"


class StrMap(dict):
    """A Go map[string]string (split, splitn, Chart annotations): missing keys read as ""."""

    __slots__ = ()
    go_type: ClassVar[str] = "map[string]string"
    zero: ClassVar[Any] = ""


class GoObject:
    """Base for Go values that have methods or struct fields.

    Subclasses set:
      go_type     the `%T` name, e.g. ``"*common.Capabilities"``.
      go_kind     the reflect kind for `kindOf`: ``"struct"``, ``"ptr"``, ``"map"`` ...
      go_methods  names a template may call; each is a Python method of the same name.
      go_fields   exported struct fields in declaration order; each is a Python attribute
                  of the same name (declaration order is the order `%v` prints them in).
    A dict subclass may also set go_methods, for Go map types with methods (common.Values).
    """

    go_type: ClassVar[str] = "struct {}"
    go_kind: ClassVar[str] = "struct"
    go_methods: ClassVar[frozenset[str]] = frozenset()
    go_fields: ClassVar[tuple[str, ...]] = ()

    #: every struct field, unexported ones too, in declaration order, as `%v` prints them
    #: (None: `go_fields`); a template naming an unexported one gets Go's error for it
    go_all_fields: ClassVar[tuple[str, ...] | None] = None

    def go_string(self) -> str | None:
        """The result of Go's String() method, or None when the Go type has none."""
        return None

    def go_ptr_string(self) -> str | None:
        """String() declared on the pointer receiver, or None.

        Go calls it only where it can take the value's address: when the template prints a
        value it reached through fields. Passed to a function (fmt's printf, print, quote),
        the value is a copy and prints as a struct.
        """
        return None

    def go_json(self) -> Any:
        """What Go's encoding/json writes for this value, as a plain value to marshal
        (a struct gives a dict keyed by its json tags, in field order; time.Time gives its
        RFC 3339 string). `toJson`/`toYaml` call it. The default: Go cannot encode it."""
        raise FuncError(f"json: unsupported type: {self.go_type}")


class JSONStruct(dict):
    """What `GoObject.go_json` returns for a Go struct: its JSON fields in declaration order.

    encoding/json writes struct fields in field order (maps it sorts), so the encoder keeps
    this dict's order as it is.
    """

    __slots__ = ()


class FuncError(Exception):
    """An error returned (or a panic raised) by a template function.

    The engine reports it as Go does: ``error calling NAME: <message>``.
    """


def gofunc(*params: str, variadic: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare the Go signature of a template function.

    ``params`` are Go parameter types as Go spells them ("int", "string", "interface {}",
    "[]interface {}", "map[string]interface {}", "float64", "int64", "bool", "uint32" ...);
    with ``variadic=True`` the last one is the element type of the `...` parameter.
    The engine uses this to check arity and to convert or reject arguments exactly as Go's
    text/template does (a float64 value passed to an int parameter is an error, the
    literal 3 fits an int or a float64 parameter). A function without a declaration takes
    any number of ``interface {}`` arguments.
    """

    def mark(fn: Callable[..., Any]) -> Callable[..., Any]:
        fn.__go_params__ = params  # type: ignore[attr-defined]
        fn.__go_variadic__ = variadic  # type: ignore[attr-defined]
        return fn

    return mark
