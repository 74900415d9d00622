"""Chart.yaml, Chart.lock and requirements.yaml: decoding into the model, and validation.

Helm decodes these with sigs.k8s.io/yaml into Go structs, which gives them three traits a
reader notices: keys match fields case-insensitively, numbers written where a string is
expected become strings (floats through float32 formatting: ``appVersion: 1.10`` is ``"1.1"``),
and unknown keys are ignored. `validate_metadata` then sanitises strings and applies Helm's
rules with Helm's messages (``validation: chart.metadata.name is required``).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from pilothouse.chart._chartyaml import Uint64, decode
from pilothouse.chart.model import Dependency, Lock, Maintainer, Metadata
from pilothouse.errors import ChartError
from pilothouse.gotemplate.gostrconv import format_float

_ALIAS = re.compile(r"^[a-zA-Z0-9_-]+\Z")

# JSON name -> (attribute, kind) in Go declaration order
_METADATA_FIELDS: dict[str, tuple[str, str]] = {
    "name": ("name", "string"),
    "home": ("home", "string"),
    "sources": ("sources", "[]string"),
    "version": ("version", "string"),
    "description": ("description", "string"),
    "keywords": ("keywords", "[]string"),
    "maintainers": ("maintainers", "[]maintainer"),
    "icon": ("icon", "string"),
    "apiVersion": ("api_version", "string"),
    "condition": ("condition", "string"),
    "tags": ("tags", "string"),
    "appVersion": ("app_version", "string"),
    "deprecated": ("deprecated", "bool"),
    "annotations": ("annotations", "map[string]string"),
    "kubeVersion": ("kube_version", "string"),
    "dependencies": ("dependencies", "[]dependency"),
    "type": ("type", "string"),
}
_DEPENDENCY_FIELDS: dict[str, tuple[str, str]] = {
    "name": ("name", "string"),
    "version": ("version", "string"),
    "repository": ("repository", "string"),
    "condition": ("condition", "string"),
    "tags": ("tags", "[]string"),
    "enabled": ("enabled", "bool"),
    "import-values": ("import_values", "[]interface {}"),
    "alias": ("alias", "string"),
}
_MAINTAINER_FIELDS: dict[str, tuple[str, str]] = {
    "name": ("name", "string"),
    "email": ("email", "string"),
    "url": ("url", "string"),
}
_LOCK_FIELDS: dict[str, tuple[str, str]] = {
    "generated": ("generated", "time"),
    "digest": ("digest", "string"),
    "dependencies": ("dependencies", "[]dependency"),
}
_GO_STRUCT = {"Metadata": "v2.Metadata", "Dependency": "v2.Dependency", "Maintainer": "v2.Maintainer",
              "Lock": "v2.Lock"}


def format_float32(value: float) -> str:
    """Go's ``strconv.FormatFloat(v, 'g', -1, 32)``: shortest float32 digits, %e below 1e-4 and from 1e6."""
    return format_float(value, "g", -1, 32)


def _go_type_name(val: Any) -> str:
    if isinstance(val, dict):
        return "object"
    if isinstance(val, list):
        return "array"
    if isinstance(val, bool):
        return "bool"
    if isinstance(val, int | float):
        return "number"
    return "string"


def _as_string(val: Any, where: str) -> str:
    """A scalar for a Go string field, stringified as sigs.k8s.io/yaml does."""
    if isinstance(val, bool):
        return "true" if val else "false"
    if isinstance(val, Uint64 | int):
        return str(int(val))
    if isinstance(val, float):
        return format_float32(val)
    if isinstance(val, str):
        return val
    raise _type_error(val, where, "string")


def _type_error(val: Any, where: str, gotype: str) -> ChartError:
    return ChartError(f"json: cannot unmarshal {_go_type_name(val)} into Go struct field {where} of type {gotype}")


def _fold_lookup(fields: dict[str, tuple[str, str]], key: str) -> tuple[str, str] | None:
    if key in fields:
        return fields[key]
    low = key.casefold()
    for name, spec in fields.items():
        if name.casefold() == low:
            return spec
    return None


def _key_str(key: Any) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, float):
        return format_float32(key)
    if key is None:
        raise ChartError("error converting YAML to JSON: unsupported map key of type: %!s(<nil>)")
    return str(key)


def _fill(obj: Any, data: dict[Any, Any], fields: dict[str, tuple[str, str]], struct_name: str) -> None:
    # JSON objects are decoded in key order after sigs.k8s.io/yaml turned the map into JSON,
    # whose keys come out sorted: among case variants of one field, the last sorted one wins
    items = sorted(((_key_str(k), v) for k, v in data.items()), key=lambda kv: kv[0])
    for key, val in items:
        spec = _fold_lookup(fields, key)
        if spec is None:
            continue
        attr, kind = spec
        where = f"{struct_name}.{key}"
        if val is None:
            # JSON null leaves a Go field untouched (slices and maps become nil)
            if kind.startswith("[]") or kind.startswith("map"):
                setattr(obj, attr, [] if kind.startswith("[]") else None)
            continue
        setattr(obj, attr, _convert(val, kind, where))


def _convert(val: Any, kind: str, where: str) -> Any:
    if kind in ("string", "time"):
        return _as_string(val, where)
    if kind == "bool":
        if isinstance(val, bool):
            return val
        raise _type_error(val, where, "bool")
    if kind == "[]string":
        if not isinstance(val, list):
            raise _type_error(val, where, "[]string")
        return ["" if v is None else _as_string(v, where) for v in val]
    if kind == "map[string]string":
        if not isinstance(val, dict):
            raise _type_error(val, where, "map[string]string")
        return {_key_str(k): ("" if v is None else _as_string(v, where)) for k, v in val.items()}
    if kind == "[]interface {}":
        if not isinstance(val, list):
            raise _type_error(val, where, "[]interface {}")
        return [_jsonish(v) for v in val]
    if kind in ("[]maintainer", "[]dependency"):
        if not isinstance(val, list):
            raise _type_error(val, where, "[]*v2." + ("Maintainer" if kind == "[]maintainer" else "Dependency"))
        out: list[Any] = []
        for item in val:
            if item is None:
                out.append(None)
                continue
            if not isinstance(item, dict):
                raise _type_error(item, where, "v2." + ("Maintainer" if kind == "[]maintainer" else "Dependency"))
            if kind == "[]maintainer":
                m = Maintainer()
                _fill(m, item, _MAINTAINER_FIELDS, "Maintainer")
                out.append(m)
            else:
                d = Dependency()
                _fill(d, item, _DEPENDENCY_FIELDS, "Dependency")
                out.append(d)
        return out
    raise AssertionError(kind)


def _jsonish(val: Any) -> Any:
    """A value as encoding/json gives it back for interface{}: numbers float64, keys strings."""
    if isinstance(val, bool) or val is None or isinstance(val, str):
        return val
    if isinstance(val, int | float):
        return float(val)
    if isinstance(val, list):
        return [_jsonish(v) for v in val]
    if isinstance(val, dict):
        return {_key_str(k): _jsonish(v) for k, v in val.items()}
    return val


def _decode_doc(data: bytes, filename: str) -> Any:
    try:
        doc = decode(data, filename)
    except ValueError as err:
        raise ChartError(str(err)) from None
    return doc


def _unmarshal_error(doc: Any, struct_name: str) -> ChartError:
    return ChartError(
        "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal "
        f"{_go_type_name(doc)} into Go value of type {_GO_STRUCT[struct_name]}"
    )


def load_metadata(data: bytes, into: Metadata | None = None, filename: str = "Chart.yaml") -> Metadata:
    """Decode Chart.yaml (or requirements.yaml, which fills the same struct) into ``into``."""
    md = into if into is not None else Metadata()
    doc = _decode_doc(data, filename)
    if doc is None:
        return md
    if not isinstance(doc, dict):
        raise _unmarshal_error(doc, "Metadata")
    try:
        _fill(md, doc, _METADATA_FIELDS, "Metadata")
    except ChartError as err:
        raise ChartError(f"error unmarshaling JSON: while decoding JSON: {err}") from None
    return md


def metadata_from_dict(doc: dict[Any, Any], into: Metadata | None = None) -> Metadata:
    """Fill a Metadata from an already decoded map (an index.yaml entry, an OCI config blob)."""
    md = into if into is not None else Metadata()
    try:
        _fill(md, doc, _METADATA_FIELDS, "Metadata")
    except ChartError as err:
        raise ChartError(f"error unmarshaling JSON: while decoding JSON: {err}") from None
    return md


def load_lock(data: bytes, filename: str = "Chart.lock") -> Lock:
    """Decode Chart.lock / requirements.lock."""
    lock = Lock()
    doc = _decode_doc(data, filename)
    if doc is None:
        return lock
    if not isinstance(doc, dict):
        raise _unmarshal_error(doc, "Lock")
    try:
        _fill(lock, doc, _LOCK_FIELDS, "Lock")
    except ChartError as err:
        raise ChartError(f"error unmarshaling JSON: while decoding JSON: {err}") from None
    return lock


def sanitize(text: str) -> str:
    """Helm's sanitizeString: every Unicode space becomes ' ', non-printable runes are dropped."""
    out = []
    for ch in text:
        if ch.isspace() or ch in "\x1c\x1d\x1e\x1f\x85":
            out.append(" ")
        elif _go_is_print(ch):
            out.append(ch)
    return "".join(out)


def _go_is_print(ch: str) -> bool:
    # Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and ASCII space
    return ch == " " or unicodedata.category(ch)[0] in "LMNPS"


def is_valid_semver(version: str) -> bool:
    """Masterminds semver's lenient NewVersion (``1``, ``1.2``, ``v1.2.3`` are accepted)."""
    from pilothouse.semver import Version

    try:
        Version.parse(version)
    except Exception:  # noqa: BLE001 - any parse failure means "not a version"
        return False
    return True


def validate_dependency(dep: Dependency | None) -> None:
    """Sanitise one dependency entry and check its alias."""
    if dep is None:
        raise ChartError("validation: dependencies must not contain empty or null nodes")
    dep.name = sanitize(dep.name)
    dep.version = sanitize(dep.version)
    dep.repository = sanitize(dep.repository)
    dep.condition = sanitize(dep.condition)
    dep.tags = [sanitize(t) for t in dep.tags]
    if dep.alias and not _ALIAS.match(dep.alias):
        raise ChartError(f"validation: dependency {_go_quote(dep.name)} has disallowed characters in the alias")


def validate_metadata(md: Metadata | None) -> None:
    """Helm's Metadata.Validate: sanitises in place and raises `ChartError` with Helm's message."""
    if md is None:
        raise ChartError("validation: chart.metadata is required")
    md.name = sanitize(md.name)
    md.description = sanitize(md.description)
    md.home = sanitize(md.home)
    md.icon = sanitize(md.icon)
    md.condition = sanitize(md.condition)
    md.tags = sanitize(md.tags)
    md.app_version = sanitize(md.app_version)
    md.kube_version = sanitize(md.kube_version)
    md.sources = [sanitize(s) for s in md.sources]
    md.keywords = [sanitize(k) for k in md.keywords]
    if not md.api_version:
        raise ChartError("validation: chart.metadata.apiVersion is required")
    if not md.name:
        raise ChartError("validation: chart.metadata.name is required")
    if md.name in (".", ".."):
        raise ChartError(f"validation: chart.metadata.name {_go_quote(md.name)} is not allowed")
    if md.name != _go_base(md.name):
        raise ChartError(f"validation: chart.metadata.name {_go_quote(md.name)} is invalid")
    if not md.version:
        raise ChartError("validation: chart.metadata.version is required")
    if not is_valid_semver(md.version):
        raise ChartError(f"validation: chart.metadata.version {_go_quote(md.version)} is invalid")
    if md.type not in ("", "application", "library"):
        raise ChartError("validation: chart.metadata.type must be application or library")
    for m in md.maintainers:
        if m is None:
            raise ChartError("validation: maintainers must not contain empty or null nodes")
        m.name, m.email, m.url = sanitize(m.name), sanitize(m.email), sanitize(m.url)
    seen: set[str] = set()
    for dep in md.dependencies:
        validate_dependency(dep)
        assert dep is not None
        key = dep.alias or dep.name
        if key in seen:
            raise ChartError(f"validation: more than one dependency with name or alias {_go_quote(key)}")
        seen.add(key)


def _go_base(name: str) -> str:
    if name == "":
        return "."
    stripped = name.rstrip("/")
    if stripped == "":
        return "/"
    return stripped.rsplit("/", 1)[-1]


def _go_quote(text: str) -> str:
    """Go's %q for a string (strconv.Quote)."""
    from pilothouse.gotemplate.gostrconv import quote as go_quote

    return go_quote(text)
