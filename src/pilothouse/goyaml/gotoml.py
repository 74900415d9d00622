"""TOML as BurntSushi/toml v1.6 writes it (Helm's `toToml`) and reads it (`fromToml`)."""

from __future__ import annotations

import math
from typing import Any

from pilothouse.gotemplate.gostrconv import format_float
from pilothouse.goyaml.errors import TOMLError

_REPLACE = {i: f"\\u{i:04x}" for i in range(0x20)}
_REPLACE.update({0x22: '\\"', 0x5C: "\\\\", 0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r"})
_REPLACE[0x7F] = "\\u007f"

_BARE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def _quoted(s: str) -> str:
    return '"' + s.translate(_REPLACE) + '"'


def _key_part(k: str) -> str:
    if k == "":
        return '""'
    if all(c in _BARE for c in k):
        return k
    return _quoted(k)


def _key_string(key: list[str]) -> str:
    return ".".join(_key_part(k) for k in key)


_TABLE, _ARRAY_TABLE, _OTHER = "table", "array-of-tables", "other"


def _plain(v: Any) -> Any:
    from pilothouse.gotemplate.gotypes import FuncError, GoObject

    if isinstance(v, GoObject) and not isinstance(v, (dict, list)):
        try:
            return v.go_json()
        except FuncError as e:
            raise TOMLError(str(e)) from None
    return v


def _toml_type(v: Any) -> str | None:
    """BurntSushi's tomlTypeOfGo, reduced to what the encoder needs (None for nil)."""
    v = _plain(v)
    if v is None:
        return None
    if isinstance(v, dict):
        return _TABLE
    if isinstance(v, (list, tuple)):
        if not v:
            return _OTHER
        all_tables = True
        for x in v:
            t = _toml_type(x)
            if t is None:
                raise TOMLError("toml: cannot encode array with nil element")
            if t != _TABLE:
                all_tables = False
        return _ARRAY_TABLE if all_tables else _OTHER
    return _OTHER


class _Encoder:
    def __init__(self) -> None:
        self.out: list[str] = []
        self.has_written = False

    def write(self, s: str) -> None:
        self.out.append(s)
        self.has_written = True

    def newline(self) -> None:
        if self.has_written:
            self.write("\n")

    @staticmethod
    def indent(key: list[str]) -> str:
        return "  " * (len(key) - 1)

    def encode(self, key: list[str], v: Any) -> None:
        v = _plain(v)
        if v is None:
            return
        if isinstance(v, dict):
            self.table(key, v)
        elif isinstance(v, (list, tuple)) and _toml_type(v) == _ARRAY_TABLE:
            self.array_of_tables(key, v)
        elif isinstance(v, (str, bool, int, float, list, tuple)):
            self.key_value(key, v, inline=False)
        else:
            raise TOMLError(f"unsupported type for key '{_key_string(key)}': {type(v).__name__}")

    def key_value(self, key: list[str], v: Any, inline: bool) -> None:
        if not key:
            self.element(v)
            return
        self.write(f"{self.indent(key)}{_key_part(key[-1])} = ")
        self.element(v)
        if not inline:
            self.newline()

    def table(self, key: list[str], v: dict[str, Any]) -> None:
        if len(key) == 1:
            self.newline()
        if key:
            self.write(f"{self.indent(key)}[{_key_string(key)}]")
            self.newline()
        self.map(key, v, inline=False)

    def array_of_tables(self, key: list[str], v: list[Any]) -> None:
        if not key:
            raise TOMLError("toml: top-level values must be Go maps or structs")
        for item in v:
            item = _plain(item)
            if item is None:
                continue
            self.newline()
            self.write(f"{self.indent(key)}[[{_key_string(key)}]]")
            self.newline()
            self.map(key, item, inline=False)

    def map(self, key: list[str], v: dict[str, Any], inline: bool) -> None:
        if any(not isinstance(k, str) for k in v):
            raise TOMLError("toml: cannot encode a map with non-string key type")
        direct, sub = [], []
        for k, x in v.items():
            (sub if _toml_type(x) in (_TABLE, _ARRAY_TABLE) else direct).append(k)

        def write_keys(keys: list[str], trail_comma: bool) -> None:
            keys.sort(key=lambda s: s.encode("utf-8", "surrogatepass"))
            for i, k in enumerate(keys):
                val = _plain(v[k])
                if val is None:
                    continue
                if inline:
                    self.key_value([k], val, inline=True)
                    if trail_comma or i != len(keys) - 1:
                        self.write(", ")
                else:
                    self.encode([*key, k], val)

        if inline:
            self.write("{")
        write_keys(direct, bool(sub))
        write_keys(sub, False)
        if inline:
            self.write("}")

    def element(self, v: Any) -> None:
        v = _plain(v)
        if isinstance(v, str):
            self.write(_quoted(v))
        elif isinstance(v, bool):
            self.write("true" if v else "false")
        elif isinstance(v, int):
            self.write(str(int(v)))
        elif isinstance(v, float):
            if math.isnan(v):
                self.write("-nan" if math.copysign(1.0, v) < 0 else "nan")
            elif math.isinf(v):
                self.write("-inf" if v < 0 else "inf")
            else:
                s = format_float(v)
                self.write(s if ("e" in s or "." in s) else s + ".0")
        elif isinstance(v, (list, tuple)):
            self.write("[")
            for i, x in enumerate(v):
                self.element(x)
                if i != len(v) - 1:
                    self.write(", ")
            self.write("]")
        elif isinstance(v, dict):
            self.map([], v, inline=True)
        elif v is None:
            raise TOMLError("toml: cannot encode array with nil element")
        else:
            raise TOMLError(f"unexpected type: {type(v).__name__}")


def encode_toml(v: Any) -> str:
    """BurntSushi/toml `NewEncoder(w).Encode(v)` output. Raises TOMLError with Go's text."""
    if v is None:
        raise TOMLError("reflect: call of reflect.Value.Type on zero Value")
    enc = _Encoder()
    enc.encode([], v)
    return "".join(enc.out)


def decode_toml(text: str | bytes) -> dict[str, Any]:
    """A TOML document as BurntSushi/toml decodes it into map[string]interface{}.

    Integers become Go int64 (`Int64`), floats float64; date-times are returned as Python
    `datetime`/`date`/`time` objects for the caller to turn into Go times. Syntax errors
    raise TOMLError("toml: line N: ...") — the line is Go's, the wording is not always.
    """
    import tomllib

    from pilothouse.gotemplate.gotypes import Int64

    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        msg = str(e)
        line = None
        if "(at line " in msg:
            line = msg.rsplit("(at line ", 1)[1].split(",", 1)[0]
            msg = msg.rsplit(" (at line ", 1)[0]
        where = f"line {line}: " if line else ""
        raise TOMLError(f"toml: {where}{msg[:1].lower()}{msg[1:]}") from None

    def conv(x: Any) -> Any:
        if isinstance(x, bool):
            return x
        if isinstance(x, int):
            return Int64(x)
        if isinstance(x, dict):
            return {k: conv(y) for k, y in x.items()}
        if isinstance(x, list):
            return [conv(y) for y in x]
        return x

    return conv(data)
