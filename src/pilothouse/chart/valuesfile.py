"""Reading a values file (values.yaml, ``-f``) as Helm's ``loader.LoadValues`` does.

The text is cut into documents at ``---`` lines (Kubernetes' YAMLReader), each document is
decoded as a map with every number a float64, and the documents are deep-merged in order.
"""

from __future__ import annotations

from typing import Any

from pilothouse.errors import ValuesError


def split_documents(text: str) -> list[str]:
    """Kubernetes' YAMLReader: documents between ``---`` lines; empty ones are skipped.

    A separator line may be followed by spaces and a comment only; anything else is an error
    (``invalid Yaml document separator: ...``).
    """
    docs: list[str] = []
    buf: list[str] = []
    for line in text.splitlines(keepends=True):
        if line.startswith("---"):
            rest = line[3:].strip()
            if rest and not rest.startswith("#"):
                raise ValuesError(f"error reading yaml document: invalid Yaml document separator: {rest}")
            if buf:
                docs.append("".join(buf))
                buf = []
            continue
        buf.append(line)
    if buf:
        docs.append("".join(buf))
    return docs


def _decode_map(doc: str) -> dict[str, Any]:
    """sigs.k8s.io/yaml.Unmarshal of one document into map[string]interface{}."""
    from pilothouse import goyaml

    return goyaml.unmarshal(doc, "map") or {}


def read_values(data: bytes | str) -> dict[str, Any]:
    """Helm's LoadValues: every document of a values file, deep-merged (later documents win).

    Raises `ValuesError` with Helm's message (``cannot unmarshal yaml document: ...``).
    """
    text = data.decode("utf-8", errors="surrogateescape") if isinstance(data, bytes) else data
    values: dict[str, Any] = {}
    for doc in split_documents(text):
        try:
            current = _decode_map(doc)
        except ValuesError as err:
            raise ValuesError(f"cannot unmarshal yaml document: {err}") from None
        values = merge_maps(values, current)
    return values


def merge_maps(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """Helm's loader.MergeMaps: a new map; maps merge recursively, anything else from ``b`` wins."""
    out = dict(a)
    for key, val in b.items():
        if isinstance(val, dict):
            cur = out.get(key)
            if isinstance(cur, dict):
                out[key] = merge_maps(cur, val)
                continue
        out[key] = val
    return out
