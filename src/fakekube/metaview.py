"""Metadata-only answers: `Accept: application/json;as=PartialObjectMetadata[List];g=meta.k8s.io;v=v1`.

The real server then sends, for a GET of one object, a `PartialObjectMetadata` and, for a list, a
`PartialObjectMetadataList` whose items carry only `metadata` (kind and apiVersion
`meta.k8s.io/v1`). Clients use it to find objects by their labels without transferring their data.
"""

from __future__ import annotations

import copy
from typing import Any

API_VERSION = "meta.k8s.io/v1"


def requested(accept: str) -> str:
    """'PartialObjectMetadata', 'PartialObjectMetadataList' or '' for an Accept header.

    The first JSON media range naming a meta.k8s.io/v1 metadata view wins; a plain
    `application/json` listed before it means the whole objects were preferred.
    """
    for media in accept.split(","):
        params = [p.strip() for p in media.split(";")]
        if params[0] not in ("application/json", "*/*", "application/*"):
            continue
        opts = dict(p.split("=", 1) for p in params[1:] if "=" in p)
        view = opts.get("as", "")
        if not view:
            return ""
        if view in ("PartialObjectMetadata", "PartialObjectMetadataList") and opts.get("g") == "meta.k8s.io" \
                and opts.get("v") in ("v1", "v1beta1"):
            return view
    return ""


def partial(obj: dict[str, Any]) -> dict[str, Any]:
    """One object reduced to its metadata."""
    return {"kind": "PartialObjectMetadata", "apiVersion": API_VERSION,
            "metadata": copy.deepcopy(obj.get("metadata") or {})}


def partial_list(items: list[dict[str, Any]], meta: dict[str, Any]) -> dict[str, Any]:
    """A list answer reduced to its items' metadata (``items`` are copies already: not copied again)."""
    return {"kind": "PartialObjectMetadataList", "apiVersion": API_VERSION, "metadata": meta,
            "items": [{"kind": "PartialObjectMetadata", "apiVersion": API_VERSION, "metadata": o.get("metadata") or {}}
                      for o in items]}
