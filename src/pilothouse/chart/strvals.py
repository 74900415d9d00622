"""The ``--set`` family of value syntaxes (Helm's ``pkg/strvals``).

``a.b=1,list[0].x=y,c={1,2}``: dots nest maps, ``[i]`` indexes lists (created from what is
already there, padded with nulls), ``{...}`` builds a list, a backslash escapes the next
character. `parse_into` types scalars as Helm does (``true``/``false``/``null``, integers
without a leading zero become Int64); `parse_into_string` keeps strings; `parse_json`
reads JSON values; `parse_literal_into` takes the rest of the line verbatim; `parse_into_file`
turns each value into the content of the file it names. Errors carry Helm's messages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pilothouse.errors import ValuesError
from pilothouse.gotemplate.gotypes import Int64

MAX_INDEX = 65536
MAX_NESTED_NAME_LEVEL = 30

ValueReader = Callable[[str], Any]


class _EOF(Exception):
    """End of input (Go's io.EOF), which ends parsing without an error."""


class _NotList(Exception):
    """The value does not start with ``{``."""


class _Scanner:
    """A rune reader over the input with one step of unread."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def read(self) -> str | None:
        if self.pos >= len(self.text):
            return None
        ch = self.text[self.pos]
        self.pos += 1
        return ch

    def unread(self) -> None:
        self.pos -= 1

    def rest(self) -> str:
        return self.text[self.pos:]


def _runes_until(sc: _Scanner, stop: str, escapes: bool = True) -> tuple[str, str | None]:
    """Read up to a stop rune; returns (text, stop rune or None at EOF)."""
    out: list[str] = []
    while True:
        ch = sc.read()
        if ch is None:
            return "".join(out), None
        if ch in stop:
            return "".join(out), ch
        if escapes and ch == "\\":
            nxt = sc.read()
            if nxt is None:
                return "".join(out), None
            out.append(nxt)
            continue
        out.append(ch)


def typed_val(val: str, as_string: bool) -> Any:
    """Helm's typedVal: the Go value a ``--set`` scalar becomes."""
    if as_string:
        return val
    low = val.lower()
    if low == "true":
        return True
    if low == "false":
        return False
    if low == "null":
        return None
    if val == "0":
        return Int64(0)
    if val and val[0] != "0":
        parsed = _parse_int64(val)
        if parsed is not None:
            return Int64(parsed)
    return val


def _parse_int64(text: str) -> int | None:
    """strconv.ParseInt(s, 10, 64); None where Go returns an error."""
    from pilothouse.gotemplate.gostrconv import NumError, parse_int

    try:
        return parse_int(text, 10)
    except NumError:
        return None


def _atoi(text: str) -> int:
    """strconv.Atoi, raising with Go's message."""
    from pilothouse.gotemplate.gostrconv import NumError, atoi

    try:
        return atoi(text)
    except NumError as e:
        raise ValuesError(f"strconv.Atoi: parsing {_quote(text)}: {e}") from None


def _quote(text: str) -> str:
    from pilothouse.gotemplate.gostrconv import quote as go_quote

    return go_quote(text)


def _runes_q(text: str) -> str:
    """Go's %q of a []rune: each rune as a quoted character literal."""
    parts = []
    for ch in text:
        if ch == "'":
            parts.append("'\\''")
        elif ch == '"':
            parts.append("'\"'")
        else:
            inner = _quote(ch)[1:-1]
            parts.append(f"'{inner}'")
    return "[" + " ".join(parts) + "]"


def _conversion_panic(val: Any, want: str) -> ValuesError:
    from pilothouse.gotemplate.gofmt import type_name as go_type

    got = "nil" if val is None else go_type(val)
    return ValuesError(f"unable to parse key: interface conversion: interface {{}} is {got}, not {want}")


def _set(data: dict[str, Any], key: str, val: Any) -> None:
    if key:
        data[key] = val


def set_index(lst: list[Any], index: int, val: Any) -> list[Any]:
    """Put ``val`` at ``index``, growing the list with nulls; Helm's setIndex."""
    if index < 0:
        raise ValuesError(f"negative {index} index not allowed")
    if index > MAX_INDEX:
        raise ValuesError(f"index of {index} is greater than maximum supported index of {MAX_INDEX}")
    if len(lst) <= index:
        lst = lst + [None] * (index + 1 - len(lst))
    lst[index] = val
    return lst


class _Parser:
    def __init__(self, text: str, data: dict[str, Any], reader: ValueReader | None,
                 json_values: bool = False, literal: bool = False) -> None:
        self.sc = _Scanner(text)
        self.data = data
        self.reader = reader
        self.json_values = json_values
        self.literal = literal

    def parse(self) -> None:
        while True:
            try:
                self.key(self.data, 0)
            except _EOF:
                return

    # --- keys -------------------------------------------------------------------------------

    def key(self, data: dict[str, Any], level: int) -> None:
        stop = "=[." if self.literal else "=[,."
        k, last = _runes_until(self.sc, stop, escapes=not self.literal)
        if last is None:
            if not k:
                raise _EOF()
            raise ValuesError(f"key {_quote(k)} has no value")
        if last == "[":
            try:
                i = self._key_index()
            except ValuesError as err:
                raise ValuesError(f"error parsing index: {err}") from None
            lst: list[Any] = []
            if k in data:
                existing = data[k]
                if not isinstance(existing, list):
                    raise _conversion_panic(existing, "[]interface {}")
                lst = existing
            try:
                lst = self.list_item(lst, i, level)
            except _Partial as partial:
                _set(data, k, partial.lst)
                raise partial.err from None
            _set(data, k, lst)
            return
        if last == "=":
            if self.literal:
                value, _ = _runes_until(self.sc, "", escapes=False)
                _set(data, k, value)
                return
            if self.json_values:
                self._json_assign(lambda v: _set(data, k, v))
                return
            try:
                vl = self._val_list()
            except _EOF:
                _set(data, k, "")
                raise
            except _NotList:
                rs, _ = _runes_until(self.sc, ",")
                assert self.reader is not None
                _set(data, k, self.reader(rs))
                return
            _set(data, k, vl)
            return
        if last == ",":
            _set(data, k, "")
            raise ValuesError(f"key {_quote(k)} has no value (cannot end with ,)")
        # last == "."
        level += 1
        if level > MAX_NESTED_NAME_LEVEL:
            raise ValuesError(
                f"value name nested level is greater than maximum supported nested level of {MAX_NESTED_NAME_LEVEL}"
            )
        inner: dict[str, Any] = {}
        if k in data:
            existing = data[k]
            if not isinstance(existing, dict):
                raise _conversion_panic(existing, "map[string]interface {}")
            inner = existing
        err: BaseException | None = None
        try:
            self.key(inner, level)
        except (ValuesError, _EOF) as e:
            err = e
        if err is None and not inner:
            raise ValuesError(f"key map {_quote(k)} has no value")
        if inner:
            _set(data, k, inner)
        if err is not None:
            raise err

    def _key_index(self) -> int:
        v, last = _runes_until(self.sc, "]", escapes=not self.literal)
        if last is None:
            raise _EOF()
        return _atoi(v)

    # --- list items ---------------------------------------------------------------------------

    def list_item(self, lst: list[Any], i: int, level: int) -> list[Any]:
        if i < 0:
            raise _Partial(lst, ValuesError(f"negative {i} index not allowed"))
        k, last = _runes_until(self.sc, "[.=", escapes=not self.literal)
        if k:
            raise _Partial(lst, ValuesError(f"unexpected data at end of array index: {_runes_q(k)}"))
        if last is None:
            raise _Partial(lst, _EOF())
        if last == "=":
            if self.literal:
                value, _ = _runes_until(self.sc, "", escapes=False)
                return self._set_index(lst, i, value)
            if self.json_values:
                box: list[list[Any]] = []
                self._json_assign(lambda v: box.append(self._set_index(lst, i, v)))
                return box[0] if box else lst
            try:
                vl = self._val_list()
            except _EOF:
                return self._set_index(lst, i, "")
            except _NotList:
                rs, _ = _runes_until(self.sc, ",")
                assert self.reader is not None
                try:
                    v = self.reader(rs)
                except ValuesError as err:
                    raise _Partial(lst, err) from None
                return self._set_index(lst, i, v)
            except ValuesError as err:
                raise _Partial(lst, err) from None
            return self._set_index(lst, i, vl)
        if last == "[":
            try:
                next_i = self._key_index()
            except ValuesError as err:
                raise _Partial(lst, ValuesError(f"error parsing index: {err}")) from None
            except _EOF:
                # Go wraps io.EOF here, and a wrapped EOF still ends parsing quietly
                raise _Partial(lst, _EOF()) from None
            current: list[Any] = []
            if len(lst) > i and lst[i] is not None:
                if not isinstance(lst[i], list):
                    raise _conversion_panic(lst[i], "[]interface {}")
                current = lst[i]
            try:
                inner_list = self.list_item(current, next_i, level)
            except _Partial as partial:
                raise _Partial(lst, partial.err) from None
            return self._set_index(lst, i, inner_list)
        # last == "."
        inner: dict[str, Any] = {}
        if len(lst) > i:
            if isinstance(lst[i], dict):
                inner = lst[i]
            else:
                # indices written out of order: start an empty map there
                lst[i] = inner
        try:
            self.key(inner, level)
        except (ValuesError, _EOF) as err:
            raise _Partial(lst, err) from None
        return self._set_index(lst, i, inner)

    def _set_index(self, lst: list[Any], i: int, val: Any) -> list[Any]:
        try:
            return set_index(lst, i, val)
        except ValuesError as err:
            raise _Partial(lst, err) from None

    # --- values -------------------------------------------------------------------------------

    def _val_list(self) -> list[Any]:
        ch = self.sc.read()
        if ch is None:
            raise _EOF()
        if ch != "{":
            self.sc.unread()
            raise _NotList()
        out: list[Any] = []
        assert self.reader is not None
        while True:
            rs, last = _runes_until(self.sc, ",}")
            if last is None:
                raise ValuesError("list must terminate with '}'")
            if last == "}":
                nxt = self.sc.read()
                if nxt is not None and nxt != ",":
                    self.sc.unread()
                out.append(self.reader(rs))
                return out
            out.append(self.reader(rs))

    def _empty_val(self) -> bool:
        """Skip blanks; True at a comma or the end (the comma is consumed)."""
        while True:
            ch = self.sc.read()
            if ch is None or ch == ",":
                return True
            if not ch.isspace():
                self.sc.unread()
                return False

    def _json_assign(self, assign: Callable[[Any], None]) -> None:
        if self._empty_val():
            assign(None)
            return
        value, consumed = _json_decode_prefix(self.sc.rest())
        assign(value)
        self.sc.pos += consumed
        self._empty_val()


class _Partial(Exception):
    """An error inside a list item, carrying the list as it stands (Helm still stores it)."""

    def __init__(self, lst: list[Any], err: BaseException) -> None:
        super().__init__(str(err))
        self.lst = lst
        self.err = err


def _json_decode_prefix(text: str) -> tuple[Any, int]:
    """Decode one JSON value at the start of ``text`` like Go's json.Decoder (numbers float64)."""
    import json

    def bad_constant(name: str) -> Any:
        raise ValueError(name)

    decoder = json.JSONDecoder(parse_int=float, parse_constant=bad_constant)
    start = len(text) - len(text.lstrip(" \t\r\n"))
    try:
        value, end = decoder.raw_decode(text, start)
    except ValueError as err:
        raise ValuesError(_go_json_error(text, start, err)) from None
    return value, end


def _go_json_error(text: str, start: int, err: ValueError) -> str:
    pos = getattr(err, "pos", start)
    if pos >= len(text):
        return "unexpected EOF"
    ch = text[pos]
    return f"invalid character {_char_q(ch)} looking for beginning of value"


def _char_q(ch: str) -> str:
    if ch == "'":
        return "'\\''"
    return "'" + _quote(ch)[1:-1] + "'"


# --- public entry points -------------------------------------------------------------------


def _run(text: str, dest: dict[str, Any], reader: ValueReader | None, json_values: bool = False,
         literal: bool = False) -> None:
    try:
        _Parser(text, dest, reader, json_values, literal).parse()
    except _Partial as partial:
        err = partial.err
        if isinstance(err, _EOF):
            return
        raise err from None


def parse(text: str) -> dict[str, Any]:
    """Parse a ``--set`` line into a new map."""
    out: dict[str, Any] = {}
    parse_into(text, out)
    return out


def parse_string(text: str) -> dict[str, Any]:
    """Parse a ``--set-string`` line into a new map."""
    out: dict[str, Any] = {}
    parse_into_string(text, out)
    return out


def parse_into(text: str, dest: dict[str, Any]) -> None:
    """Apply a ``--set`` line to ``dest`` in place."""
    _run(text, dest, lambda rs: typed_val(rs, False))


def parse_into_string(text: str, dest: dict[str, Any]) -> None:
    """Apply a ``--set-string`` line to ``dest`` in place (all values strings)."""
    _run(text, dest, lambda rs: typed_val(rs, True))


def parse_json(text: str, dest: dict[str, Any]) -> None:
    """Apply a ``--set-json`` ``key=jsonvalue,...`` line to ``dest`` in place."""
    _run(text, dest, None, json_values=True)


def parse_into_file(text: str, dest: dict[str, Any], reader: ValueReader) -> None:
    """Apply a ``--set-file`` line: each value is passed to ``reader`` (a path → content)."""
    _run(text, dest, reader)


def parse_file(text: str, reader: ValueReader) -> dict[str, Any]:
    """Parse a ``--set-file`` line into a new map."""
    out: dict[str, Any] = {}
    parse_into_file(text, out, reader)
    return out


def parse_literal(text: str) -> dict[str, Any]:
    """Parse a ``--set-literal`` line into a new map."""
    out: dict[str, Any] = {}
    parse_literal_into(text, out)
    return out


def parse_literal_into(text: str, dest: dict[str, Any]) -> None:
    """Apply a ``--set-literal`` line: the value is the rest of the line, verbatim."""
    _run(text, dest, None, literal=True)
