"""YAML, JSON and TOML exactly as Helm's Go libraries read and write them.

Reading follows sigs.k8s.io/yaml (yaml.v2 with YAML 1.1 scalars, then a JSON round trip, so
every number is a float); `to_yaml` is byte-identical to sigs.k8s.io/yaml.Marshal,
`to_yaml_pretty` to yaml.v3's encoder, `to_json` to Go's encoding/json, and the TOML pair
to BurntSushi/toml. Values follow `pilothouse.gotemplate.gotypes`.
"""

from __future__ import annotations

from typing import Any

from pilothouse.goyaml.errors import JSONError, TOMLError, YAMLError
from pilothouse.goyaml.reader import load_yaml, load_yaml_v2, unmarshal
from pilothouse.goyaml.values import load_values, load_yaml_all, merge_maps, split_documents

__all__ = [
    "JSONError",
    "TOMLError",
    "YAMLError",
    "from_json",
    "from_toml",
    "load_values",
    "load_yaml",
    "load_yaml_all",
    "load_yaml_v2",
    "merge_maps",
    "split_documents",
    "to_json",
    "to_toml",
    "to_yaml",
    "to_yaml_pretty",
    "unmarshal",
]


def to_yaml(v: Any) -> str:
    """sigs.k8s.io/yaml.Marshal(v): Go json.Marshal, re-read by yaml.v2, written by yaml.v2.

    The text ends with "\\n" (Helm's toYaml strips one). Raises JSONError for values Go's
    json.Marshal rejects (NaN, infinities, unsupported types).
    """
    from pilothouse.goyaml.emitter import marshal

    return marshal(v)


def to_yaml_pretty(v: Any) -> str:
    """yaml.v3 `Encoder` with `SetIndent(2)` applied to the Go value (no JSON step)."""
    from pilothouse.goyaml.emitter_v3 import marshal_v3

    return marshal_v3(v)


def to_json(v: Any, *, escape_html: bool = True, indent: str | None = None, prefix: str = "") -> str:
    """Go `json.Marshal` (or `MarshalIndent(v, prefix, indent)` when indent is given)."""
    from pilothouse.goyaml.gojson import marshal_json

    return marshal_json(v, escape_html=escape_html, indent=indent, prefix=prefix)


def from_json(text: str | bytes, target: str = "any") -> Any:
    """Go `json.Unmarshal` into interface{} (target "any"), map[string]interface{} ("map")
    or []interface{} ("list"); numbers become floats. Errors raise JSONError with Go's text."""
    from pilothouse.goyaml.gojson import unmarshal_json

    return unmarshal_json(text, target)


def to_toml(v: Any) -> str:
    """BurntSushi/toml v1.6 `Encoder.Encode(v)` output."""
    from pilothouse.goyaml.gotoml import encode_toml

    return encode_toml(v)


def from_toml(text: str | bytes) -> Any:
    """BurntSushi/toml v1.6 `Unmarshal` into map[string]interface{}."""
    from pilothouse.goyaml.gotoml import decode_toml

    return decode_toml(text)

