"""Values files as Helm reads them: split into documents, decode each, deep-merge them.

Helm (`loader.LoadValues`, used for a chart's values.yaml and for every `-f` file) splits
the text with Kubernetes' YAMLReader, decodes each document into a map with
sigs.k8s.io/yaml, and merges the maps: later documents win, nested maps merge.
"""

from __future__ import annotations

from typing import Any

from pilothouse.goyaml.errors import YAMLError
from pilothouse.goyaml.reader import unmarshal


def split_documents(text: str | bytes) -> list[bytes]:
    """Kubernetes `YAMLReader.Read` applied until EOF: the raw text of each document.

    A line starting with `---` ends the current document; only spaces or a comment may
    follow the dashes, anything else is an "invalid Yaml document separator". Empty
    chunks between separators are skipped, as Go's reader does.
    """
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    docs: list[bytes] = []
    buf: list[bytes] = []
    for line in data.splitlines(keepends=True) if b"\r" not in data else _lines(data):
        if line.startswith(b"---"):
            rest = line[3:].strip(b" \t\r\n\v\f")
            if rest and not rest.startswith(b"#"):
                shown = rest.decode("utf-8", "replace")
                raise YAMLError(f"error reading yaml document: invalid Yaml document separator: {shown}")
            if buf:
                docs.append(b"".join(buf))
                buf = []
                continue
        buf.append(line)
    if buf:
        docs.append(b"".join(buf))
    return docs


def _lines(data: bytes) -> list[bytes]:
    # Go's line reader splits on "\n" only; a "\r" stays part of its line.
    parts = data.split(b"\n")
    lines = [p + b"\n" for p in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def merge_maps(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """Helm's `MergeMaps`: a copy of `a` with `b` laid over it, nested maps merged."""
    out = dict(a)
    for k, v in b.items():
        if isinstance(v, dict):
            bv = out.get(k)
            if isinstance(bv, dict):
                out[k] = merge_maps(bv, v)
                continue
        out[k] = v
    return out


def load_values(text: str | bytes, *, filename: str | None = None) -> dict[str, Any]:
    """A values file as `helm -f FILE` (and a chart's values.yaml) reads it.

    Every document is decoded into a map and the maps are merged; an empty file gives {}.
    A document that is not a map raises YAMLError with Helm's text; with `filename` the
    message starts "failed to parse FILE: " as `helm -f` reports it.
    """
    values: dict[str, Any] = {}
    try:
        for doc in split_documents(text):
            try:
                current = unmarshal(doc, "map")
            except YAMLError as e:
                raise YAMLError(f"cannot unmarshal yaml document: {e}", e.line, e.column) from None
            values = merge_maps(values, current)
    except YAMLError as e:
        if filename is None:
            raise
        raise YAMLError(f"failed to parse {filename}: {e}", e.line, e.column) from None
    return values


def load_yaml_all(text: str | bytes) -> list[Any]:
    """Every document of a multi-document text (split as Helm splits values files), each
    decoded as `load_yaml` decodes one."""
    return [unmarshal(doc, "any") for doc in split_documents(text)]
