"""The JSONPath template subset `helm show values --jsonpath` accepts (client-go's util/jsonpath semantics).

Supported: literal text, `{.a.b}`, `{.a[0]}`, `{.a[1:3]}`, `{.a[*]}`, `{.*}`, `{..name}`, `{range .x[*]}…{end}`
and filters `[?(@.k == "v")]` with ==, !=, <, <=, >, >= or bare existence. Scalars print as Go's fmt does;
maps and lists print as compact JSON; several results are joined by one space.
"""

from __future__ import annotations

import re
from typing import Any

from pilothouse.errors import PilothouseError

_MISSING = object()
_TOKEN = re.compile(r"\.\.|\.\*|\.?([A-Za-z0-9_\-/]+)|\[([^\]]*)\]|\.")


class JSONPathError(PilothouseError):
    """A JSONPath template that cannot be parsed or evaluated."""


def _split(template: str) -> list[tuple[str, str]]:
    """Template → [("text", s) | ("expr", s)] pieces."""
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(template):
        j = template.find("{", i)
        if j < 0:
            out.append(("text", template[i:]))
            break
        if j > i:
            out.append(("text", template[i:j]))
        k = template.find("}", j)
        if k < 0:
            raise JSONPathError("unclosed action")
        out.append(("expr", template[j + 1:k].strip()))
        i = k + 1
    return out


def _steps(expr: str) -> list[tuple[str, Any]]:
    expr = expr.strip()
    if expr.startswith("$"):
        expr = expr[1:]
    if expr and not expr.startswith((".", "[")):
        expr = "." + expr
    steps: list[tuple[str, Any]] = []
    pos = 0
    while pos < len(expr):
        m = _TOKEN.match(expr, pos)
        if m is None:
            raise JSONPathError(f"unrecognized character in action: {expr[pos:]!r}")
        tok = m.group(0)
        if tok == "..":
            steps.append(("recursive", None))
        elif tok == ".*":
            steps.append(("wildcard", None))
        elif m.group(1) is not None:
            steps.append(("field", m.group(1)))
        elif m.group(2) is not None:
            steps.append(_bracket(m.group(2).strip()))
        pos = m.end()
    return steps


def _bracket(body: str) -> tuple[str, Any]:
    if body == "*":
        return ("wildcard", None)
    if body.startswith("?(") and body.endswith(")"):
        m = re.fullmatch(r"@(\S*)\s*(==|!=|<=|>=|<|>)\s*(.+)", body[2:-1].strip())
        if m is None:
            return ("filter", (_steps(body[3:-1].strip()), "exists", None))
        return ("filter", (_steps(m.group(1)), m.group(2), _literal(m.group(3).strip())))
    if body.startswith(("'", '"')):
        return ("field", body[1:-1])
    parts = body.split(":")
    try:
        nums = [int(p) if p.strip() else None for p in parts]
    except ValueError as err:
        raise JSONPathError(f"invalid array index {body}") from err
    return ("index", nums)


def _literal(text: str) -> Any:
    if text[:1] in "'\"":
        return text[1:-1]
    if text in ("true", "false"):
        return text == "true"
    try:
        return float(text)
    except ValueError as err:
        raise JSONPathError(f"unrecognized filter value {text}") from err


def _children(v: Any) -> list[Any]:
    if isinstance(v, dict):
        return list(v.values())
    if isinstance(v, (list, str)):
        return list(v)
    return []


def _walk(values: list[Any], steps: list[tuple[str, Any]]) -> list[Any]:
    for kind, arg in steps:
        out: list[Any] = []
        for v in values:
            if v is None:
                continue
            if kind == "field":
                if isinstance(v, dict) and arg in v:
                    out.append(v[arg])
            elif kind == "wildcard":
                out.extend(_children(v))
            elif kind == "recursive":
                out.extend(_recurse(v))
            elif kind == "index":
                out.extend(_index(v, arg))
            elif kind == "filter":
                out.extend(_filter(v, *arg))
        if kind == "field" and not out:
            raise JSONPathError(f"{arg} is not found")
        values = out
    return values


def _recurse(v: Any) -> list[Any]:
    # Go walks a string's bytes, which hold no fields, so strings end the descent here.
    kids = [] if isinstance(v, str) else _children(v)
    if not kids:
        return []
    out = [v]
    for k in kids:
        out.extend(_recurse(k))
    return out


def _index(v: Any, nums: list[int | None]) -> list[Any]:
    if not isinstance(v, list):
        raise JSONPathError(f"{type(v).__name__} is not array or slice")
    n = len(v)
    start = nums[0] or 0
    if start < 0:
        start += n
    if len(nums) == 1:
        end = start + 1
    else:
        end = n if nums[1] is None else nums[1]
        if end < 0:
            end += n
    if end == start:
        return []
    if not 0 <= start < n or not 0 <= end <= n:
        raise JSONPathError(f"array index out of bounds: index {start if not 0 <= start < n else end - 1}, "
                            f"length {n}")
    if start > end:
        raise JSONPathError(f"starting index {start} is greater than ending index {end}")
    step = nums[2] if len(nums) > 2 and nums[2] is not None else 1
    if step <= 0:
        raise JSONPathError("step must be > 0")
    return v[start:end:step]


def _filter(v: Any, left: list[tuple[str, Any]], op: str, right: Any) -> list[Any]:
    if not isinstance(v, list):
        raise JSONPathError(f"{v} is not array or slice and cannot be filtered")
    out = []
    for item in v:
        try:
            lefts = _walk([item], left)
        except JSONPathError:
            lefts = []
        if op == "exists":
            if lefts:
                out.append(item)
            continue
        if not lefts:
            continue
        if len(lefts) > 1:
            raise JSONPathError("can only compare one element at a time")
        a = float(lefts[0]) if isinstance(lefts[0], int) and not isinstance(lefts[0], bool) else lefts[0]
        try:
            ok = {"==": a == right, "!=": a != right}.get(op)
            if ok is None:
                ok = {"<": a < right, "<=": a <= right, ">": a > right, ">=": a >= right}[op]
        except TypeError:
            ok = False
        if ok:
            out.append(item)
    return out


def _text(v: Any) -> str:
    from pilothouse.gotemplate.gostrconv import format_float_v
    from pilothouse.goyaml.gojson import marshal_json

    if isinstance(v, (dict, list)):
        return marshal_json(v)
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        # Helm's values hold every number as a float64.
        return format_float_v(float(v))
    return str(v)


def execute(template: str, data: Any) -> str:
    """Evaluate ``template`` against ``data``; raise JSONPathError on a parse or evaluation error."""
    pieces = _split(template)
    out: list[str] = []
    _run(pieces, 0, data, out, False)
    return "".join(out)


def _run(pieces: list[tuple[str, str]], i: int, data: Any, out: list[str], nested: bool) -> int:
    """Emit pieces from ``i`` until the matching {end} (when ``nested``); returns the index after it."""
    while i < len(pieces):
        kind, s = pieces[i]
        if kind == "text":
            out.append(s)
            i += 1
            continue
        if s == "end":
            if not nested:
                raise JSONPathError("not in range, nothing to end")
            return i + 1
        if s.startswith("range ") or s == "range":
            items = _walk([data], _steps(s[5:]))
            end = _skip_range(pieces, i + 1)
            for item in items:
                _run(pieces, i + 1, item, out, True)
            i = end
            continue
        if s[:1] in "'\"" and len(s) > 1 and s[-1] == s[0]:
            # A quoted string inside braces is literal text, with Go escapes such as \n.
            out.append(s[1:-1].encode("utf-8").decode("unicode_escape") if s[0] == '"' else s[1:-1])
            i += 1
            continue
        results = _walk([data], _steps(s)) if s not in ("", "@") else [data]
        out.append(" ".join(_text(r) for r in results))
        i += 1
    if nested:
        raise JSONPathError("unclosed range")
    return i


def _skip_range(pieces: list[tuple[str, str]], i: int) -> int:
    depth = 1
    while i < len(pieces):
        kind, s = pieces[i]
        if kind == "expr" and (s == "range" or s.startswith("range ")):
            depth += 1
        elif kind == "expr" and s == "end":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise JSONPathError("unclosed range")
