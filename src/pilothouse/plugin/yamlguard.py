"""Refusing YAML aliasing bombs and runaway nesting before a document is built.

A "billion laughs" document is small on disk and explodes when its aliases are expanded: once
into Python objects, again into the JSON copy of the plugin index. go-yaml (which Helm uses)
refuses such documents with "document contains excessive aliasing"; this module applies the
same rule on the parser's event stream, before anything is built: it counts the nodes decoding
would visit (aliases expanded, each anchor's size computed once) and refuses the document when
the share that comes from alias expansion is larger than go-yaml allows. Recursive anchors and
nesting deeper than go-yaml's limit are refused too. The walk is iterative and its cost is
linear in the size of the text, whatever the aliases expand to.
"""

from __future__ import annotations

from typing import Any

MAX_DEPTH = 10_000  # go-yaml v3: "exceeded max depth of 10000"
# Go shares an aliased string; Python shares it too, but every JSON copy (the plugin index) spells
# it out: scalar text reached through aliases is bounded as well
MAX_ALIASED_BYTES = 16 << 20
_RANGE_LOW, _RANGE_HIGH = 400_000, 4_000_000


class YAMLBombError(ValueError):
    """The document expands too much, refers to itself, or nests too deeply."""


def _allowed_ratio(decoded: int) -> float:
    # go-yaml's allowance: 99% of decode work may come from aliases in small documents, falling
    # to 10% for very large ones
    if decoded <= _RANGE_LOW:
        return 0.99
    if decoded >= _RANGE_HIGH:
        return 0.10
    return 0.99 - 0.89 * (decoded - _RANGE_LOW) / (_RANGE_HIGH - _RANGE_LOW)


def _excessive(aliased: int, decoded: int) -> bool:
    return aliased > 100 and decoded > 1000 and aliased / decoded > _allowed_ratio(decoded)


def check(data: bytes | str) -> None:
    """Raise YAMLBombError when decoding ``data`` would expand aliases excessively.

    Syntax errors are left to the real parser: this raises only for what it recognises.
    """
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    sizes: dict[str, tuple[int, int]] = {}  # anchor -> (decode count, scalar bytes), aliases expanded
    # one frame per open collection: [anchor, decode count so far, scalar bytes so far]
    stack: list[list[Any]] = []
    open_anchors: set[str] = set()
    decoded = aliased = aliased_bytes = 0
    try:
        for ev in yaml.parse(data, Loader=loader):
            kind = type(ev).__name__
            if kind in ("StreamStartEvent", "StreamEndEvent", "DocumentStartEvent", "DocumentEndEvent"):
                if kind == "DocumentStartEvent":
                    sizes.clear()
                continue
            if kind == "AliasEvent":
                anchor = ev.anchor
                if anchor in open_anchors:
                    raise YAMLBombError(f"anchor '{anchor}' value contains itself")
                if anchor not in sizes:
                    raise YAMLBombError(f"unknown anchor '{anchor}' referenced")
                n, nbytes = sizes[anchor]
                decoded += 1 + n
                aliased += n
                aliased_bytes += nbytes
                if stack:
                    stack[-1][1] += 1 + n
                    stack[-1][2] += nbytes
                if _excessive(aliased, decoded):
                    raise YAMLBombError("document contains excessive aliasing")
                if aliased_bytes > MAX_ALIASED_BYTES:
                    raise YAMLBombError(f"document expands to more than {MAX_ALIASED_BYTES} bytes through aliases")
                continue
            if kind == "ScalarEvent":
                decoded += 1
                size = len(ev.value)
                if stack:
                    stack[-1][1] += 1
                    stack[-1][2] += size
                if ev.anchor is not None:
                    sizes[ev.anchor] = (1, size)
                continue
            if kind in ("SequenceStartEvent", "MappingStartEvent"):
                decoded += 1
                if len(stack) >= MAX_DEPTH:
                    raise YAMLBombError(f"exceeded max depth of {MAX_DEPTH}")
                stack.append([ev.anchor, 1, 0])
                if ev.anchor is not None:
                    open_anchors.add(ev.anchor)
                    sizes.pop(ev.anchor, None)
                continue
            if kind in ("SequenceEndEvent", "MappingEndEvent"):
                anchor, n, nbytes = stack.pop()
                if anchor is not None:
                    sizes[anchor] = (n, nbytes)
                    open_anchors.discard(anchor)
                if stack:
                    stack[-1][1] += n
                    stack[-1][2] += nbytes
            if _excessive(aliased, decoded):
                raise YAMLBombError("document contains excessive aliasing")
    except yaml.YAMLError:
        return  # a syntax error: the real parser reports it with its position
