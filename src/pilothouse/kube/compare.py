"""Comparing Kubernetes objects: what a diff shows, field by field and line by line.

`strip` removes what the server maintains on its own (resourceVersion, managedFields, status…)
so that a live object and a dry-run result compare on what a user wrote. `field_changes` lists
the changed leaves by path (``spec.template.spec.containers[name=web].image``); `line_diff` is
the longest-common-subsequence line diff the helm-diff plugin prints.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from typing import Any

# metadata fields the server sets; a diff of them says nothing about the user's intent
SERVER_METADATA = ("managedFields", "resourceVersion", "uid", "creationTimestamp", "generation", "selfLink")
COMMON, LEFT, RIGHT = " ", "-", "+"
_MAX_LCS_CELLS = 4_000_000


def strip(obj: dict[str, Any] | None) -> dict[str, Any] | None:
    """``obj`` without status and the server-maintained metadata (``obj`` itself is not changed)."""
    if obj is None:
        return None
    # a shallow copy: the nested values are shared with ``obj``, only the top and metadata are new
    out = dict(obj)
    out.pop("status", None)
    meta = out.get("metadata")
    if isinstance(meta, dict):
        meta = out["metadata"] = dict(meta)
        for key in SERVER_METADATA:
            meta.pop(key, None)
        if not meta.get("annotations"):
            meta.pop("annotations", None)
    return out


@dataclass(frozen=True)
class FieldChange:
    """One changed leaf: its path, and its value before and after (``None``: absent).

    ``parts`` is the path as segments: ``("f", key)`` for a map key, ``("k", name)`` for the
    item of a named list.
    """

    path: str
    before: Any
    after: Any
    parts: tuple[tuple[str, str], ...] = ()


def _list_key(items: list[Any]) -> str | None:
    # lists of named items (containers, env, volumes, ports…) compare item by item
    if not items or not all(isinstance(i, dict) and isinstance(i.get("name"), str) for i in items):
        return None
    names = [i["name"] for i in items]
    return "name" if len(set(names)) == len(names) else None


def _join(base: str, key: str) -> str:
    if key.isidentifier() or key.replace("-", "_").isidentifier():
        return f"{base}.{key}" if base else key
    return f"{base}[{json.dumps(key)}]"


def field_changes(before: Any, after: Any, path: str = "",
                  parts: tuple[tuple[str, str], ...] = ()) -> list[FieldChange]:
    """Every changed leaf between two JSON values (maps by key, named lists by name)."""
    if before == after:
        return []
    if isinstance(before, dict) and isinstance(after, dict):
        out: list[FieldChange] = []
        for key in sorted(set(before) | set(after)):
            out.extend(field_changes(before.get(key), after.get(key), _join(path, str(key)),
                                     (*parts, ("f", str(key)))))
        return out
    if isinstance(before, list) and isinstance(after, list):
        key = _list_key(before) if before else _list_key(after)
        if key and (not after or _list_key(after)) and (not before or _list_key(before)):
            b = {i[key]: i for i in before}
            a = {i[key]: i for i in after}
            out = []
            for name in list(dict.fromkeys([*b, *a])):
                out.extend(field_changes(b.get(name), a.get(name), f"{path}[{key}={name}]", (*parts, ("k", name))))
            return out
    return [FieldChange(path, copy.deepcopy(before), copy.deepcopy(after), parts)]


def set_parts(obj: Any, parts: tuple[tuple[str, str], ...], present: bool, value: Any) -> None:
    """Set (or, when not ``present``, remove) the value at ``parts`` in ``obj``, creating maps on the way."""
    cur = obj
    for i, (kind, name) in enumerate(parts):
        last = i == len(parts) - 1
        if kind == "f":
            if not isinstance(cur, dict):
                return
            if last:
                if present:
                    cur[name] = copy.deepcopy(value)
                else:
                    cur.pop(name, None)
                return
            if name not in cur:
                if not present:
                    return
                cur[name] = [] if parts[i + 1][0] == "k" else {}
            cur = cur[name]
        else:
            if not isinstance(cur, list):
                return
            idx = next((j for j, it in enumerate(cur) if isinstance(it, dict) and it.get("name") == name), None)
            if last:
                if idx is not None:
                    cur.pop(idx)
                if present:
                    cur.append(copy.deepcopy(value))
                return
            if idx is None:
                if not present:
                    return
                cur.append({"name": name})
                idx = len(cur) - 1
            cur = cur[idx]


def owned_paths(obj: dict[str, Any], fields_v1: Any) -> set[tuple[tuple[str, str], ...]]:
    """The paths a managedFields entry owns, in `FieldChange.parts` form (items of named lists by name)."""
    out: set[tuple[tuple[str, str], ...]] = set()

    def walk(node: Any, value: Any, prefix: tuple[tuple[str, str], ...], depth: int) -> None:
        if not isinstance(node, dict) or depth > 64:
            return
        if not node or "." in node:
            out.add(prefix)
        for token, child in node.items():
            if token.startswith("f:"):
                name = token[2:]
                walk(child, value.get(name) if isinstance(value, dict) else None, (*prefix, ("f", name)), depth + 1)
            elif token.startswith("k:") and isinstance(value, list):
                try:
                    keys = json.loads(token[2:])
                except ValueError:
                    continue
                item = next((it for it in value if isinstance(it, dict)
                             and all(it.get(k) == v for k, v in keys.items())), None)
                if isinstance(item, dict) and isinstance(item.get("name"), str):
                    walk(child, item, (*prefix, ("k", item["name"])), depth + 1)
                else:
                    out.add(prefix)
            elif token.startswith(("v:", "i:")):
                out.add(prefix)

    walk(fields_v1, obj, (), 0)
    return out


def owns(paths: set[tuple[tuple[str, str], ...]], parts: tuple[tuple[str, str], ...]) -> bool:
    """Whether an owner of ``paths`` owns ``parts``: the field itself, a whole parent, or a child of it."""
    if any(parts[:i] in paths for i in range(1, len(parts) + 1)):
        return True
    n = len(parts)
    return any(len(p) > n and p[:n] == parts for p in paths)


def get_path(obj: Any, parts: list[str]) -> tuple[bool, Any]:
    """The value at a dotted path split into parts (``[*]`` matches nothing here)."""
    cur = obj
    for part in parts:
        if isinstance(cur, dict) and part in cur:
            cur = cur[part]
        else:
            return False, None
    return True, cur


# --- line diff ---------------------------------------------------------------------------------

def line_diff(before: list[str], after: list[str]) -> list[tuple[str, str]]:
    """The line diff as (delta, line) records: ``" "`` common, ``"-"`` only before, ``"+"`` only after."""
    start = 0
    while start < len(before) and start < len(after) and before[start] == after[start]:
        start += 1
    end = 0
    while (end < len(before) - start and end < len(after) - start
           and before[len(before) - 1 - end] == after[len(after) - 1 - end]):
        end += 1
    out = [(COMMON, line) for line in before[:start]]
    mid_b = before[start:len(before) - end]
    mid_a = after[start:len(after) - end]
    out.extend(_lcs(mid_b, mid_a))
    out.extend((COMMON, line) for line in before[len(before) - end:])
    return out


def _lcs(a: list[str], b: list[str]) -> list[tuple[str, str]]:
    if not a:
        return [(RIGHT, x) for x in b]
    if not b:
        return [(LEFT, x) for x in a]
    if len(a) * len(b) > _MAX_LCS_CELLS:
        return _matcher(a, b)
    n, m = len(a), len(b)
    # suffix table: table[i][j] = LCS length of a[i:], b[j:]
    table = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        row, nxt = table[i], table[i + 1]
        ai = a[i]
        for j in range(m - 1, -1, -1):
            row[j] = nxt[j + 1] + 1 if ai == b[j] else max(nxt[j], row[j + 1])
    out: list[tuple[str, str]] = []
    i = j = 0
    while i < n and j < m:
        if a[i] == b[j]:
            out.append((COMMON, a[i]))
            i += 1
            j += 1
        elif table[i + 1][j] >= table[i][j + 1]:
            out.append((LEFT, a[i]))
            i += 1
        else:
            out.append((RIGHT, b[j]))
            j += 1
    out.extend((LEFT, x) for x in a[i:])
    out.extend((RIGHT, x) for x in b[j:])
    return out


def _matcher(a: list[str], b: list[str]) -> list[tuple[str, str]]:
    # very large inputs: a linear-memory approximation rather than a quadratic table
    import difflib

    out: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            out.extend((COMMON, x) for x in a[i1:i2])
        else:
            out.extend((LEFT, x) for x in a[i1:i2])
            out.extend((RIGHT, x) for x in b[j1:j2])
    return out


def split_lines(text: str, strip_trailing_cr: bool = False) -> list[str]:
    """Lines as Go's strings.Split(text, "\\n") gives them (a final newline leaves an empty line)."""
    lines = text.split("\n")
    if strip_trailing_cr:
        lines = [line[:-1] if line.endswith("\r") else line for line in lines]
    return lines
