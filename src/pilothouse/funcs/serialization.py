"""Helm's and Sprig's YAML, JSON and TOML template functions.

Helm (`pkg/engine/funcs.go`) overrides Sprig's versions of most of these. The contract
that charts see: `toYaml`/`toJson`/`toYamlPretty` swallow errors into "", `toToml`
returns the error text, the `must*` forms abort the template, and `fromYaml`/`fromJson`/
`fromToml` put the error text under an `Error` key (the `*Array` forms return it as the
only element).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pilothouse.gotemplate.gotypes import FuncError, gofunc
from pilothouse.goyaml import JSONError, TOMLError, YAMLError


def _trim_nl(s: str) -> str:
    return s[:-1] if s.endswith("\n") else s


# --- YAML ------------------------------------------------------------------------------------


@gofunc("interface {}")
def to_yaml(v: Any) -> str:
    """toYaml: sigs.k8s.io/yaml.Marshal without its final newline; "" on error."""
    from pilothouse.goyaml import to_yaml as marshal

    try:
        return _trim_nl(marshal(v))
    except (JSONError, YAMLError):
        return ""


@gofunc("interface {}")
def must_to_yaml(v: Any) -> str:
    """mustToYaml: like toYaml, but an error aborts the template."""
    from pilothouse.goyaml import to_yaml as marshal

    try:
        return _trim_nl(marshal(v))
    except (JSONError, YAMLError) as e:
        raise FuncError(str(e)) from None


@gofunc("interface {}")
def to_yaml_pretty(v: Any) -> str:
    """toYamlPretty: yaml.v3 with 2-space indentation, final newline removed; "" on error."""
    from pilothouse.goyaml import to_yaml_pretty as marshal

    try:
        return _trim_nl(marshal(v))
    except (JSONError, YAMLError):
        return ""


@gofunc("string")
def from_yaml(s: str) -> dict[str, Any]:
    """fromYaml: the first document as a map; errors go under the "Error" key."""
    from pilothouse.goyaml import unmarshal

    try:
        return unmarshal(s, "map")
    except YAMLError as e:
        return {"Error": str(e)}


@gofunc("string")
def from_yaml_array(s: str) -> list[Any]:
    """fromYamlArray: the first document as a list; an error becomes the only element."""
    from pilothouse.goyaml import unmarshal

    try:
        return unmarshal(s, "list")
    except YAMLError as e:
        return [str(e)]


# --- JSON ------------------------------------------------------------------------------------


def _json(v: Any, **kw: Any) -> str:
    from pilothouse.goyaml import to_json

    return to_json(v, **kw)


@gofunc("interface {}")
def to_json(v: Any) -> str:
    """toJson: Go json.Marshal; "" on error."""
    try:
        return _json(v)
    except JSONError:
        return ""


@gofunc("interface {}")
def must_to_json(v: Any) -> str:
    """mustToJson: Go json.Marshal; an error aborts the template."""
    try:
        return _json(v)
    except JSONError as e:
        raise FuncError(str(e)) from None


@gofunc("interface {}")
def to_pretty_json(v: Any) -> str:
    """toPrettyJson (Sprig): MarshalIndent with two spaces; "" on error."""
    try:
        return _json(v, indent="  ")
    except JSONError:
        return ""


@gofunc("interface {}")
def must_to_pretty_json(v: Any) -> str:
    """mustToPrettyJson (Sprig): MarshalIndent with two spaces; an error aborts."""
    try:
        return _json(v, indent="  ")
    except JSONError as e:
        raise FuncError(str(e)) from None


@gofunc("interface {}")
def to_raw_json(v: Any) -> str:
    """toRawJson (Sprig): json.Encoder without HTML escaping; an error aborts (Sprig panics)."""
    try:
        return _json(v, escape_html=False)
    except JSONError as e:
        raise FuncError(str(e)) from None


@gofunc("interface {}")
def must_to_raw_json(v: Any) -> str:
    """mustToRawJson (Sprig): json.Encoder without HTML escaping; an error aborts."""
    try:
        return _json(v, escape_html=False)
    except JSONError as e:
        raise FuncError(str(e)) from None


@gofunc("string")
def from_json(s: str) -> dict[str, Any]:
    """fromJson (Helm's): a JSON object as a map; errors go under the "Error" key."""
    from pilothouse.goyaml import from_json as unmarshal

    try:
        return unmarshal(s, "map")
    except JSONError as e:
        partial = getattr(e, "partial", None)
        out = dict(partial) if isinstance(partial, dict) else {}
        out["Error"] = str(e)
        return out


@gofunc("string")
def from_json_array(s: str) -> list[Any]:
    """fromJsonArray: a JSON array as a list; an error becomes the only element."""
    from pilothouse.goyaml import from_json as unmarshal

    try:
        return unmarshal(s, "list")
    except JSONError as e:
        return [str(e)]


@gofunc("string")
def must_from_json(s: str) -> Any:
    """mustFromJson (Sprig): any JSON value; an error aborts the template."""
    from pilothouse.goyaml import from_json as unmarshal

    try:
        return unmarshal(s, "any")
    except JSONError as e:
        raise FuncError(str(e)) from None


# --- TOML ------------------------------------------------------------------------------------


@gofunc("interface {}")
def to_toml(v: Any) -> str:
    """toToml: BurntSushi/toml encoding; on error the error's text is returned."""
    from pilothouse.goyaml import to_toml as encode

    try:
        return encode(v)
    except TOMLError as e:
        return str(e)


@gofunc("interface {}")
def must_to_toml(v: Any) -> str:
    """mustToToml: BurntSushi/toml encoding; an error aborts the template."""
    from pilothouse.goyaml import to_toml as encode

    try:
        return encode(v)
    except TOMLError as e:
        raise FuncError(str(e)) from None


@gofunc("string")
def from_toml(s: str) -> dict[str, Any]:
    """fromToml: a TOML document as a map; errors go under the "Error" key."""
    from pilothouse.goyaml import from_toml as decode

    try:
        return _go_times(decode(s))
    except TOMLError as e:
        return {"Error": str(e)}


def _go_times(v: Any) -> Any:
    """TOML date-times as Go time.Time values, in the zones BurntSushi/toml gives them."""
    import datetime as dt
    import time as pytime

    from pilothouse.funcs.gotime import UTC, FixedZone, GoTime

    if isinstance(v, dict):
        return {k: _go_times(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_go_times(x) for x in v]
    local_off = pytime.localtime().tm_gmtoff
    if isinstance(v, dt.datetime):
        if v.tzinfo is None:
            loc = FixedZone("datetime-local", local_off)
        else:
            off = int(v.utcoffset().total_seconds())  # type: ignore[union-attr]
            loc = UTC if v.tzinfo is dt.UTC else FixedZone("", off)
        return GoTime.date(v.year, v.month, v.day, v.hour, v.minute, v.second, v.microsecond * 1000, loc)
    if isinstance(v, dt.date):
        return GoTime.date(v.year, v.month, v.day, 0, 0, 0, 0, FixedZone("date-local", local_off))
    if isinstance(v, dt.time):
        return GoTime.date(0, 1, 1, v.hour, v.minute, v.second, v.microsecond * 1000, FixedZone("time-local", local_off))
    return v


FUNCS: dict[str, Callable[..., Any]] = {
    "toYaml": to_yaml,
    "mustToYaml": must_to_yaml,
    "toYamlPretty": to_yaml_pretty,
    "fromYaml": from_yaml,
    "fromYamlArray": from_yaml_array,
    "toJson": to_json,
    "mustToJson": must_to_json,
    "toPrettyJson": to_pretty_json,
    "mustToPrettyJson": must_to_pretty_json,
    "toRawJson": to_raw_json,
    "mustToRawJson": must_to_raw_json,
    "fromJson": from_json,
    "fromJsonArray": from_json_array,
    "mustFromJson": must_from_json,
    "toToml": to_toml,
    "mustToToml": must_to_toml,
    "fromToml": from_toml,
}
