"""Readiness a chart declares: HIP-0025's ``helm.sh/readiness-success`` and ``helm.sh/readiness-failure``.

Each is a list (JSON array, or one expression) of ``{<jsonpath>} <op> <value>``, the JSONPath
scoped to the object's ``.status``, ``op`` one of ``== != < <= > >=``, ``value`` a scalar. The
object is failed when any failure expression holds (failure wins), ready when any success
expression holds, in progress otherwise. Both annotations must be given; with one alone the
kstatus rules apply (and lint reports it).
"""

from __future__ import annotations

import json
import re
from typing import Any

from pilothouse.errors import KubeError

SUCCESS = "helm.sh/readiness-success"
FAILURE = "helm.sh/readiness-failure"
_EXPR = re.compile(r"^\s*(\{.*\})\s*(==|!=|<=|>=|<|>)\s*(.*?)\s*$")
_MAX_EXPRS = 64
_MAX_EXPR_LEN = 1024


def _exprs(raw: str, where: str) -> list[str]:
    text = raw.strip()
    if text.startswith("["):
        try:
            items = json.loads(text)
        except ValueError:
            raise KubeError(f"{where}: not a JSON list of expressions: {text}") from None
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise KubeError(f"{where}: not a JSON list of expressions: {text}")
        return items[:_MAX_EXPRS]
    return [text] if text else []


def _scalar(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text.strip("'\"")


def _holds(expr: str, status: Any, where: str) -> bool:
    from pilothouse.chart.jsonpath import JSONPathError, execute

    if len(expr) > _MAX_EXPR_LEN:
        raise KubeError(f"{where}: expression longer than {_MAX_EXPR_LEN} characters")
    m = _EXPR.match(expr)
    if not m:
        raise KubeError(f"{where}: {expr!r} is not of the form '{{.path}} <op> <value>'")
    path, op, want = m.group(1), m.group(2), _scalar(m.group(3))
    try:
        got_text = execute(path, status if status is not None else {})
    except JSONPathError:
        return False  # a field not there yet is not a match
    if got_text == "":
        return False
    if isinstance(want, bool):
        got: Any = got_text == "true"
    elif isinstance(want, (int, float)):
        try:
            got = float(got_text)
        except ValueError:
            return op == "!="
    else:
        got, want = got_text, str(want)
    if op == "==":
        return bool(got == want)
    if op == "!=":
        return bool(got != want)
    try:
        return bool({"<": got < want, "<=": got <= want, ">": got > want, ">=": got >= want}[op])
    except TypeError:
        return False


def declared(obj: dict[str, Any]) -> tuple[list[str], list[str]] | None:
    """The success and failure expressions of an object, or None when it does not declare both."""
    ann = (obj.get("metadata") or {}).get("annotations") or {}
    if SUCCESS not in ann or FAILURE not in ann:
        return None
    name = (obj.get("metadata") or {}).get("name", "")
    return _exprs(str(ann[SUCCESS]), f"{obj.get('kind')}/{name}: {SUCCESS}"), \
        _exprs(str(ann[FAILURE]), f"{obj.get('kind')}/{name}: {FAILURE}")


def evaluate(obj: dict[str, Any], exprs: tuple[list[str], list[str]]) -> tuple[str, str]:
    """(kstatus status, message) from the declared expressions."""
    from pilothouse.kube import status as kstatus

    ok, bad = exprs
    st = obj.get("status")
    name = (obj.get("metadata") or {}).get("name", "")
    for e in bad:
        if _holds(e, st, f"{obj.get('kind')}/{name}: {FAILURE}"):
            return kstatus.FAILED, f"readiness failure condition holds: {e}"
    for e in ok:
        if _holds(e, st, f"{obj.get('kind')}/{name}: {SUCCESS}"):
            return kstatus.CURRENT, f"readiness success condition holds: {e}"
    return kstatus.IN_PROGRESS, "waiting for a readiness success condition"
