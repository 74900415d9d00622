"""Helm's SortManifests: rendered files → plain manifests and hooks, each in kind order."""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pilothouse.errors import ManifestError
from pilothouse.manifest.hooks import (
    HOOK_ANNOTATION,
    HOOK_DELETE_ANNOTATION,
    HOOK_EVENTS,
    HOOK_OUTPUT_LOG_ANNOTATION,
    HOOK_WEIGHT_ANNOTATION,
    Hook,
    go_atoi,
)
from pilothouse.manifest.kinds import INSTALL_ORDER, kind_sort_key
from pilothouse.manifest.split import split_manifests


@dataclass
class Head:
    """The fields Helm reads from every document (`SimpleHead`)."""

    api_version: str = ""
    kind: str = ""
    name: str = ""
    annotations: dict[str, str] | None = None
    # the whole document as sigs.k8s.io/yaml decodes it (kept for policy/v1, not compared)
    data: Any = field(default=None, compare=False, repr=False)


@dataclass
class Manifest:
    """One non-hook document: the file it came from, its text, its head."""

    name: str
    content: str
    head: Head


def _json_type(v: Any) -> str:
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, list):
        return "array"
    if isinstance(v, dict):
        return "object"
    return "string"


def _field_str(obj: Mapping[str, Any], key: str, where: str) -> str:
    # sigs.k8s.io/yaml decodes into the struct case-insensitively, as encoding/json does.
    found: Any = None
    for k, v in obj.items():
        if k == key:
            found = v
            break
        if found is None and k.lower() == key.lower():
            found = v
    if found is None:
        return ""
    if not isinstance(found, str):
        raise ManifestError(f"error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {_json_type(found)} "
                            f"into Go struct field {where} of type string")
    return found


def parse_head(doc: str) -> Head:
    """Decode a document's apiVersion, kind, metadata.name and metadata.annotations as Helm does."""
    from pilothouse.goyaml import load_yaml

    data = load_yaml(doc)
    if data is None:
        return Head()
    if not isinstance(data, dict):
        raise ManifestError(f"error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {_json_type(data)} "
                            "into Go value of type util.SimpleHead")
    head = Head(api_version=_field_str(data, "apiVersion", "SimpleHead.apiVersion"),
                kind=_field_str(data, "kind", "SimpleHead.kind"), data=data)
    meta = next((v for k, v in data.items() if k.lower() == "metadata"), None)
    if isinstance(meta, dict):
        head.name = _field_str(meta, "name", "SimpleHead.metadata.name")
        ann = next((v for k, v in meta.items() if k.lower() == "annotations"), None)
        if isinstance(ann, dict):
            for v in ann.values():
                if v is not None and not isinstance(v, str):
                    raise ManifestError("error unmarshaling JSON: while decoding JSON: json: cannot unmarshal "
                                        f"{_json_type(v)} into Go struct field .metadata.annotations of type string")
            head.annotations = {k: ("" if v is None else v) for k, v in ann.items()}
        elif ann is not None:
            raise ManifestError("error unmarshaling JSON: while decoding JSON: json: cannot unmarshal "
                                f"{_json_type(ann)} into Go struct field .metadata.annotations of type map[string]string")
    elif meta is not None:
        raise ManifestError(f"error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {_json_type(meta)} "
                            "into Go struct field SimpleHead.metadata of type struct { Name string \"json:\\\"name\\\"\"; "
                            "Annotations map[string]string \"json:\\\"annotations\\\"\" }")
    return head


def _policies(annotations: Mapping[str, str], key: str) -> list[str]:
    value = annotations.get(key)
    if value is None:
        return []
    return [p.strip().lower() for p in value.split(",")]


def sort_manifests(files: Mapping[str, str], order: tuple[str, ...] = INSTALL_ORDER) -> tuple[list[Hook], list[Manifest]]:
    """Split every rendered file into documents and sort them into hooks and manifests.

    Partials (``_*``) and blank files are skipped. A document that is not valid YAML raises
    `ManifestError` with Helm's ``YAML parse error on <file>: …``. A hook naming an unknown event
    is dropped whole, as Helm does.
    """
    from pilothouse.goyaml import YAMLError

    hooks: list[Hook] = []
    manifests: list[Manifest] = []
    for path in sorted(files, key=lambda p: p.encode()):
        content = files[path]
        if posixpath.basename(path).startswith("_") or not content.strip():
            continue
        for doc in split_manifests(content):
            try:
                head = parse_head(doc)
            except (YAMLError, ManifestError) as err:
                raise ManifestError(f"YAML parse error on {path}: {err}") from None
            ann = head.annotations
            if not ann or HOOK_ANNOTATION not in ann:
                manifests.append(Manifest(path, doc, head))
                continue
            events = []
            for ev in ann[HOOK_ANNOTATION].split(","):
                mapped = HOOK_EVENTS.get(ev.strip().lower())
                if mapped is None:
                    events = None
                    break
                events.append(mapped)
            if events is None:
                continue
            hooks.append(Hook(
                name=head.name, kind=head.kind, path=path, manifest=doc, events=events,
                weight=go_atoi(ann.get(HOOK_WEIGHT_ANNOTATION, "")),
                delete_policies=_policies(ann, HOOK_DELETE_ANNOTATION),
                output_log_policies=_policies(ann, HOOK_OUTPUT_LOG_ANNOTATION),
            ))
    key = kind_sort_key(order)
    hooks.sort(key=lambda h: key(h.kind))
    manifests.sort(key=lambda m: key(m.head.kind))
    return hooks, manifests
