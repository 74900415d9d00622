"""yaml.v2's scalar resolution (YAML 1.1 flavoured): what a plain scalar's text means.

The same table decides how Helm reads values (`yes` is true, `0755` is 493) and when
`toYaml` must quote a string (a string that would read back as something else).
"""

from __future__ import annotations

import math
import re
from datetime import datetime
from typing import Any

from pilothouse.gotemplate.gostrconv import NumError, parse_float, parse_int, parse_uint

STR_TAG = "tag:yaml.org,2002:str"
BOOL_TAG = "tag:yaml.org,2002:bool"
INT_TAG = "tag:yaml.org,2002:int"
FLOAT_TAG = "tag:yaml.org,2002:float"
NULL_TAG = "tag:yaml.org,2002:null"
TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
BINARY_TAG = "tag:yaml.org,2002:binary"
MERGE_TAG = "tag:yaml.org,2002:merge"
SEQ_TAG = "tag:yaml.org,2002:seq"
MAP_TAG = "tag:yaml.org,2002:map"

_LONG_PREFIX = "tag:yaml.org,2002:"

_RESOLVE_MAP: dict[str, tuple[str, Any]] = {}
for _v, _t, _words in (
    (True, BOOL_TAG, "y Y yes Yes YES true True TRUE on On ON"),
    (False, BOOL_TAG, "n N no No NO false False FALSE off Off OFF"),
    (None, NULL_TAG, "~ null Null NULL"),
    (math.nan, FLOAT_TAG, ".nan .NaN .NAN"),
    (math.inf, FLOAT_TAG, ".inf .Inf .INF +.inf +.Inf +.INF"),
    (-math.inf, FLOAT_TAG, "-.inf -.Inf -.INF"),
    ("<<", MERGE_TAG, "<<"),
):
    for _w in _words.split():
        _RESOLVE_MAP[_w] = (_t, _v)
_RESOLVE_MAP[""] = (NULL_TAG, None)

_HINT_MAP = set("yYnNtTfFoO~")
_YAML_STYLE_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_TIMESTAMP_FORMATS = (
    # Go layouts "2006-1-2T15:4:5.999999999Z07:00" (also with 't'), "2006-1-2 15:4:5.999999999", "2006-1-2".
    re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(\.\d+)?(Z|[-+]\d{2}:\d{2})"),
    re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{1,2}):(\d{1,2})(\.\d+)?"),
    re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"),
)


class ResolveError(ValueError):
    """An explicitly tagged scalar whose text does not fit its tag."""


def short_tag(tag: str) -> str:
    """`tag:yaml.org,2002:int` → `!!int`, as yaml.v2 prints tags in messages."""
    return "!!" + tag[len(_LONG_PREFIX):] if tag.startswith(_LONG_PREFIX) else tag


def long_tag(tag: str) -> str:
    """`!!int` → `tag:yaml.org,2002:int`."""
    return _LONG_PREFIX + tag[2:] if tag.startswith("!!") else tag


def is_timestamp(s: str) -> bool:
    """Whether yaml.v2 reads the plain scalar `s` as a timestamp (it stays a string in Helm)."""
    if len(s) < 5 or not s[:4].isdigit() or not s[:4].isascii() or s[4] != "-":
        return False
    for i, rx in enumerate(_TIMESTAMP_FORMATS):
        m = rx.fullmatch(s)
        if not m:
            continue
        year, month, day = int(m[1]), int(m[2]), int(m[3])
        try:
            datetime(year, month, day)
        except ValueError:
            continue
        if i < 2:
            hour, minute, sec = int(m[4]), int(m[5]), int(m[6])
            if hour > 23 or minute > 59 or sec > 59:
                continue
            if i == 0 and m[8] != "Z" and (int(m[8][1:3]) > 23 or int(m[8][4:]) > 59):
                continue
        return True
    return False


def _go_int(plain: str, *, unsigned: bool = False) -> int | None:
    """strconv.ParseInt(plain, 0, 64), or ParseUint: None where Go returns an error."""
    try:
        return parse_uint(plain) if unsigned else parse_int(plain)
    except NumError:
        return None


def _go_float(text: str) -> float | None:
    """strconv.ParseFloat(text, 64): None where Go returns an error."""
    try:
        return parse_float(text)
    except NumError:
        return None


def _resolve_int(plain: str) -> Any:
    v = _go_int(plain)
    if v is not None:
        return v
    return _go_int(plain, unsigned=True)


def resolve(tag: str, text: str) -> tuple[str, Any]:
    """yaml.v2 `resolve(tag, in)`: the resolved tag and value for a scalar.

    `tag` is "" for an untagged plain scalar, or an explicit long tag. Integers come back
    as Python ints (Go int/int64/uint64), floats as floats, timestamps as the text itself
    with TIMESTAMP_TAG. Raises ResolveError when an explicit tag cannot hold the text.
    """
    if tag not in ("", STR_TAG, BOOL_TAG, INT_TAG, FLOAT_TAG, NULL_TAG, TIMESTAMP_TAG):
        return tag, text
    rtag, out = _resolve_plain(tag, text)
    if tag in ("", rtag, STR_TAG, BINARY_TAG):
        return rtag, out
    if tag == FLOAT_TAG and rtag == INT_TAG:
        return FLOAT_TAG, float(out)
    raise ResolveError(f"cannot decode {short_tag(rtag)} `{text}` as a {short_tag(tag)}")


def _resolve_plain(tag: str, text: str) -> tuple[str, Any]:
    if tag in (STR_TAG, BINARY_TAG):
        return STR_TAG, text
    first = text[:1]
    if text == "" or first in _HINT_MAP or first == ".":
        hit = _RESOLVE_MAP.get(text)
        if hit is not None:
            return hit
        if first == ".":
            f = _go_float(text)
            if f is not None:
                return FLOAT_TAG, f
        return STR_TAG, text
    if first in "+-" or "0" <= first <= "9":
        hit = _RESOLVE_MAP.get(text)
        if hit is not None:
            return hit
        if tag in ("", TIMESTAMP_TAG) and is_timestamp(text):
            return TIMESTAMP_TAG, text
        plain = text.replace("_", "")
        iv = _resolve_int(plain)
        if iv is not None:
            return INT_TAG, iv
        if _YAML_STYLE_FLOAT.fullmatch(plain):
            f = _go_float(plain)
            if f is not None:
                return FLOAT_TAG, f
        if plain.startswith("0b"):
            iv = _go_int(plain) if plain[2:3] not in ("+", "-") else None
            if iv is not None:
                return INT_TAG, iv
        elif plain.startswith("-0b"):
            iv = _go_int("-0b" + plain[3:])
            if iv is not None:
                return INT_TAG, iv
    return STR_TAG, text


def resolves_to_string(text: str) -> bool:
    """Whether yaml.v2 reads `text`, written as a plain scalar, back as the same string."""
    return _resolve_plain("", text)[0] == STR_TAG
