"""Go's encoding/json: Marshal/MarshalIndent output and Unmarshal with Go's error texts."""

from __future__ import annotations

import base64
import math
import re
from json import dumps as _json_dumps
from typing import Any

from pilothouse.gotemplate.gostrconv import NumError, format_float_json, parse_float
from pilothouse.gotemplate.gotypes import JSONStruct
from pilothouse.goyaml.errors import JSONError

# ---------------------------------------------------------------------------------------------
# Encoding

# Lone surrogates stand for invalid UTF-8 bytes; Go writes them as U+FFFD.
_SURROGATE = re.compile("[\ud800-\udfff]")


def quote_json_string(s: str, escape_html: bool = True) -> str:
    """A Go string as encoding/json writes it (invalid UTF-8, here lone surrogates, → U+FFFD).

    The C encoder of `json` escapes what Go escapes below U+0080 (quote, backslash, control
    characters, with the same short forms and lower-case hex); Go's further escapes are added
    after. str.translate with a table is a dict lookup per character: 100 KB took 25 ms.
    """
    out = _json_dumps(s, ensure_ascii=False)
    if escape_html and ("<" in out or ">" in out or "&" in out):
        out = out.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    if out.isascii():  # known without a scan: nothing below needs doing
        return out
    if "\u2028" in out or "\u2029" in out:
        out = out.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    if _SURROGATE.search(out):
        out = _SURROGATE.sub(lambda _m: "\\ufffd", out)
    return out


def _go_json_of(v: Any) -> Any:
    from pilothouse.gotemplate.gotypes import FuncError, GoObject

    if isinstance(v, GoObject):
        hook = type(v).go_json
        if hook is not GoObject.go_json or not isinstance(v, (dict, list)):
            try:
                return True, v.go_json()
            except FuncError as e:
                raise JSONError(str(e)) from None
    return False, v


def _sorted_keys(d: dict[Any, Any]) -> list[Any]:
    def key(k: Any) -> bytes:
        return _key_string(k).encode("utf-8", "surrogatepass")

    return sorted(d, key=key)


def _key_string(k: Any) -> str:
    if isinstance(k, str):
        return k
    if isinstance(k, bool):
        raise JSONError("json: unsupported type: map[bool]interface {}")
    if isinstance(k, int):
        return str(int(k))
    raise JSONError(f"json: unsupported type: map[{type(k).__name__}]interface {{}}")


def marshal_json(v: Any, *, escape_html: bool = True, indent: str | None = None, prefix: str = "") -> str:
    """Go `json.Marshal(v)`, or `json.MarshalIndent(v, prefix, indent)` when indent is given.

    Raises JSONError ("json: unsupported value: NaN", "json: unsupported type: ...").
    """
    parts: list[str] = []
    _encode(v, parts, escape_html, indent, prefix, 0)
    return "".join(parts)


def _newline(parts: list[str], indent: str | None, prefix: str, depth: int) -> None:
    if indent is not None:
        parts.append("\n" + prefix + indent * depth)


def _encode(v: Any, parts: list[str], esc: bool, indent: str | None, prefix: str, depth: int) -> None:
    if v is None:
        parts.append("null")
    elif v is True:
        parts.append("true")
    elif v is False:
        parts.append("false")
    elif isinstance(v, str):
        parts.append(quote_json_string(v, esc))
    elif isinstance(v, float):
        if math.isnan(v) or math.isinf(v):
            raise JSONError(f"json: unsupported value: {_go_float_text(v)}")
        parts.append(format_float_json(v))
    elif isinstance(v, int):
        parts.append(str(int(v)))
    elif isinstance(v, (bytes, bytearray)):
        parts.append('"' + base64.b64encode(bytes(v)).decode("ascii") + '"')
    else:
        hooked, inner = _go_json_of(v)
        if hooked:
            _encode(inner, parts, esc, indent, prefix, depth)
        elif isinstance(v, dict):
            if not v:
                parts.append("{}")
                return
            parts.append("{")
            first = True
            for k in (v if isinstance(v, JSONStruct) else _sorted_keys(v)):
                if not first:
                    parts.append(",")
                first = False
                _newline(parts, indent, prefix, depth + 1)
                parts.append(quote_json_string(_key_string(k), esc))
                parts.append(":" if indent is None else ": ")
                _encode(v[k], parts, esc, indent, prefix, depth + 1)
            _newline(parts, indent, prefix, depth)
            parts.append("}")
        elif isinstance(v, (list, tuple)):
            if not v:
                parts.append("[]")
                return
            parts.append("[")
            for i, x in enumerate(v):
                if i:
                    parts.append(",")
                _newline(parts, indent, prefix, depth + 1)
                _encode(x, parts, esc, indent, prefix, depth + 1)
            _newline(parts, indent, prefix, depth)
            parts.append("]")
        else:
            raise JSONError(f"json: unsupported type: {getattr(v, 'go_type', type(v).__name__)}")


def _go_float_text(v: float) -> str:
    if math.isnan(v):
        return "NaN"
    return "+Inf" if v > 0 else "-Inf"


# ---------------------------------------------------------------------------------------------
# Decoding


def _quote_char(c: int) -> str:
    # Go's quoteChar: the byte taken as a rune, quoted with single quotes.
    if c == 0x27:
        return "'\\''"
    if c == 0x22:
        return "'\"'"
    from pilothouse.gotemplate.gostrconv import quote as go_quote

    return "'" + go_quote(chr(c))[1:-1] + "'"


class _SyntaxError(Exception):
    pass


_WS = b" \t\r\n"


class _Scanner:
    """A recursive-descent reader that fails with the texts of Go's JSON scanner."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0
        self.type_error: str | None = None

    def err(self, context: str) -> _SyntaxError:
        if self.pos >= len(self.data):
            return _SyntaxError("unexpected end of JSON input")
        return _SyntaxError(f"invalid character {_quote_char(self.data[self.pos])} {context}")

    def skip_ws(self) -> None:
        d = self.data
        while self.pos < len(d) and d[self.pos] in _WS:
            self.pos += 1

    def peek(self) -> int:
        return self.data[self.pos] if self.pos < len(self.data) else -1

    def value(self) -> Any:
        self.skip_ws()
        c = self.peek()
        if c == 0x7B:
            return self.obj()
        if c == 0x5B:
            return self.arr()
        if c == 0x22:
            return self.string()
        if c == 0x2D or 0x30 <= c <= 0x39:
            return self.number()
        for word, val in ((b"true", True), (b"false", False), (b"null", None)):
            if c == word[0]:
                self.pos += 1
                for expect in word[1:]:
                    if self.peek() != expect:
                        raise self.err(f"in literal {word.decode()} (expecting {_quote_char(expect)})")
                    self.pos += 1
                return val
        raise self.err("looking for beginning of value")

    def obj(self) -> dict[str, Any]:
        self.pos += 1
        out: dict[str, Any] = {}
        self.skip_ws()
        if self.peek() == 0x7D:
            self.pos += 1
            return out
        while True:
            self.skip_ws()
            if self.peek() != 0x22:
                raise self.err("looking for beginning of object key string")
            key = self.string()
            self.skip_ws()
            if self.peek() != 0x3A:
                raise self.err("after object key")
            self.pos += 1
            out[key] = self.value()
            self.skip_ws()
            c = self.peek()
            if c == 0x2C:
                self.pos += 1
                continue
            if c == 0x7D:
                self.pos += 1
                return out
            raise self.err("after object key:value pair")

    def arr(self) -> list[Any]:
        self.pos += 1
        out: list[Any] = []
        self.skip_ws()
        if self.peek() == 0x5D:
            self.pos += 1
            return out
        while True:
            out.append(self.value())
            self.skip_ws()
            c = self.peek()
            if c == 0x2C:
                self.pos += 1
                continue
            if c == 0x5D:
                self.pos += 1
                return out
            raise self.err("after array element")

    def string(self) -> str:
        d = self.data
        self.pos += 1
        start = self.pos
        chunks: list[str] = []
        while True:
            if self.pos >= len(d):
                raise self.err("")
            c = d[self.pos]
            if c == 0x22:
                chunks.append(d[start:self.pos].decode("utf-8", "replace"))
                self.pos += 1
                return "".join(chunks)
            if c < 0x20:
                raise self.err("in string literal")
            if c == 0x5C:
                chunks.append(d[start:self.pos].decode("utf-8", "replace"))
                self.pos += 1
                chunks.append(self.escape())
                start = self.pos
                continue
            self.pos += 1

    def escape(self) -> str:
        c = self.peek()
        simple = {0x22: '"', 0x5C: "\\", 0x2F: "/", 0x62: "\b", 0x66: "\f", 0x6E: "\n", 0x72: "\r", 0x74: "\t"}
        if c in simple:
            self.pos += 1
            return simple[c]
        if c != 0x75:
            raise self.err("in string escape code")
        self.pos += 1
        r = self.hex4()
        if 0xD800 <= r < 0xDC00:
            # A high surrogate pairs with a following \\uDC00-\\uDFFF escape, else it is U+FFFD.
            save = self.pos
            if self.data[self.pos:self.pos + 2] == b"\\u":
                self.pos += 2
                try:
                    r2 = self.hex4()
                except _SyntaxError:
                    raise
                if 0xDC00 <= r2 < 0xE000:
                    return chr(0x10000 + ((r - 0xD800) << 10) + (r2 - 0xDC00))
                self.pos = save
            return "\ufffd"
        if 0xDC00 <= r < 0xE000:
            return "\ufffd"
        return chr(r)

    def hex4(self) -> int:
        v = 0
        for _ in range(4):
            c = self.peek()
            if c < 0 or chr(c) not in "0123456789abcdefABCDEF":
                raise self.err("in \\u hexadecimal character escape")
            v = v * 16 + int(chr(c), 16)
            self.pos += 1
        return v

    def number(self) -> Any:
        d = self.data
        start = self.pos
        if self.peek() == 0x2D:
            self.pos += 1
        c = self.peek()
        if c == 0x30:
            self.pos += 1
        elif 0x31 <= c <= 0x39:
            while 0x30 <= self.peek() <= 0x39:
                self.pos += 1
        else:
            raise self.err("in numeric literal")
        if self.peek() == 0x2E:
            self.pos += 1
            if not 0x30 <= self.peek() <= 0x39:
                raise self.err("after decimal point in numeric literal")
            while 0x30 <= self.peek() <= 0x39:
                self.pos += 1
        if self.peek() in (0x65, 0x45):
            self.pos += 1
            if self.peek() in (0x2B, 0x2D):
                self.pos += 1
            if not 0x30 <= self.peek() <= 0x39:
                raise self.err("in exponent of numeric literal")
            while 0x30 <= self.peek() <= 0x39:
                self.pos += 1
        text = d[start:self.pos].decode("ascii")
        try:
            return parse_float(text)
        except NumError:
            if self.type_error is None:
                self.type_error = f"json: cannot unmarshal number {text} into Go value of type float64"
            return None


_KIND = {bool: "bool", str: "string", float: "number", list: "array", dict: "object"}


def unmarshal_json(text: str | bytes, target: str = "any") -> Any:
    """Go `json.Unmarshal` into interface{} ("any"), map[string]interface{} ("map") or
    []interface{} ("list"). Raises JSONError with Go's text; its `partial` attribute holds
    what Go would have stored before the error (for Helm's fromJson)."""
    data = text.encode("utf-8", "surrogateescape") if isinstance(text, str) else bytes(text)
    sc = _Scanner(data)
    try:
        value = sc.value()
        sc.skip_ws()
        if sc.pos < len(data):
            raise sc.err("after top-level value")
    except _SyntaxError as e:
        err = JSONError(str(e))
        err.partial = None if target == "any" else ({} if target == "map" else [])  # type: ignore[attr-defined]
        raise err from None
    if target != "any":
        want, gotype = (dict, "map[string]interface {}") if target == "map" else (list, "[]interface {}")
        top_number = value is None and sc.type_error is not None and data.lstrip(_WS)[:1] not in (b"n", b"")
        if value is None and not top_number:
            value = want()
        elif not isinstance(value, want):
            kind = "number" if top_number else _KIND[type(value)]
            err = JSONError(f"json: cannot unmarshal {kind} into Go value of type {gotype}")
            err.partial = want()  # type: ignore[attr-defined]
            raise err
    if sc.type_error is not None:
        err = JSONError(sc.type_error)
        err.partial = value  # type: ignore[attr-defined]
        raise err
    return value


# ---------------------------------------------------------------------------------------------
# The JSON data model of a Go value (what json.Marshal would write, before it is text)


class JSONNumber(str):
    """A number as json.Marshal spells it ("1", "1.5", "1e+21"); readers re-type it."""

    __slots__ = ()


def json_tree(v: Any) -> Any:
    """The value json.Marshal would write, as dict/list/str/bool/None/JSONNumber.

    Raises JSONError exactly where json.Marshal fails, visiting map keys in Go's order.
    """
    if v is None or v is True or v is False:
        return v
    if isinstance(v, str):
        return _SURROGATE.sub("\ufffd", v) if _SURROGATE.search(v) else v
    if isinstance(v, float):
        if math.isnan(v) or math.isinf(v):
            raise JSONError(f"json: unsupported value: {_go_float_text(v)}")
        return JSONNumber(format_float_json(v))
    if isinstance(v, int):
        return JSONNumber(str(int(v)))
    if isinstance(v, (bytes, bytearray)):
        return base64.b64encode(bytes(v)).decode("ascii")
    hooked, inner = _go_json_of(v)
    if hooked:
        return json_tree(inner)
    if isinstance(v, dict):
        return {_key_string(k): json_tree(v[k]) for k in _sorted_keys(v)}
    if isinstance(v, (list, tuple)):
        return [json_tree(x) for x in v]
    raise JSONError(f"json: unsupported type: {getattr(v, 'go_type', type(v).__name__)}")
