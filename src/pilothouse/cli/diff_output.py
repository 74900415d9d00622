"""The output formats of `pilot diff` and `pilot drift`, as the helm-diff plugin prints them.

``diff`` (headers such as ``default, web, Deployment (apps) has changed:`` and ``+``/``-`` lines,
``--context`` folding with ``...``), ``simple`` (one line per object and a ``Plan:`` summary),
``template``/``json`` (a JSON list of api/kind/namespace/name/change; for ``template`` the Go
template in ``HELM_DIFF_TPL`` when set), ``dyff`` (a field-by-field report) and ``structured`` (the field changes as JSON).
"""

from __future__ import annotations

import json
import os
import re
import sys
from typing import IO, Any

# mgutz/ansi codes as helm-diff uses them
_COLORS = {"green": "\033[32m", "red": "\033[31m", "yellow": "\033[33m", "magenta": "\033[35m",
           "blue+h": "\033[94m"}
_RESET = "\033[0m"
_DIFF_STYLE = {
    "ADD": ("green", "has been added:"),
    "REMOVE": ("red", "has been removed:"),
    "MODIFY": ("yellow", "has changed:"),
    "OWNERSHIP": ("magenta", "changed ownership:"),
    "MODIFY_SUPPRESSED": ("blue+h", "has changed, but diff is empty after suppression."),
}
_SIMPLE_STYLE = {
    "ADD": ("green", "to be added."),
    "REMOVE": ("red", "to be removed."),
    "MODIFY": ("yellow", "to be changed."),
    "OWNERSHIP": ("magenta", "to change ownership."),
    "MODIFY_SUPPRESSED": ("blue+h", "has changed, but diff is empty after suppression."),
}
_KEY = re.compile(r"([a-z0-9-]+), ([a-z0-9.-]+), (\w+) \(([^)]+)\)")
FORMATS = ("diff", "simple", "template", "json", "dyff", "structured")


def use_color(no_color: bool, color: bool | str) -> bool:
    """helm-diff's rule: ``--color``/``HELM_DIFF_COLOR`` win, else a terminal whose TERM is not dumb.

    ``color`` is helm-diff's boolean ``--color`` or the value of the global ``--color``
    (never, auto, always; "auto" decides as if no flag was given)."""
    if no_color or color == "never":
        return False
    if color is True or color == "always":
        return True
    env = os.environ.get("HELM_DIFF_COLOR", "").lower()
    if env in ("1", "true", "t"):
        return True
    if env in ("0", "false", "f"):
        return False
    return sys.stdout.isatty() and os.environ.get("TERM", "") != "dumb"


def _c(text: str, color: str, on: bool) -> str:
    return f"{_COLORS[color]}{text}{_RESET}" if on and color in _COLORS else text


def _distances(records: list[tuple[str, str]]) -> list[int]:
    big = 1 << 31
    out = [big] * len(records)
    change = -1
    for i, (delta, _) in enumerate(records):
        if delta != " ":
            change = i
        if change != -1:
            out[i] = i - change
    change = -1
    for i in range(len(records) - 1, -1, -1):
        if records[i][0] != " ":
            change = i
        if change != -1:
            out[i] = min(out[i], change - i)
    return out


def _records(out: IO[str], entry: Any, suppressed: list[str], context: int, color: bool) -> None:
    if entry.kind in suppressed:
        out.write(_c(f"+ Changes suppressed on sensitive content of type {entry.kind}\n", "yellow", color))
        return
    records = entry.records
    visible = [True] * len(records)
    if context >= 0:
        dist = _distances(records)
        visible = [d <= context for d in dist]
    omitting = False
    for (delta, text), show in zip(records, visible, strict=True):
        if not show:
            if not omitting:
                out.write("...\n")
                omitting = True
            continue
        omitting = False
        if delta == "+":
            out.write(_c("+ " + text, "green", color) + "\n")
        elif delta == "-":
            out.write(_c("- " + text, "red", color) + "\n")
        else:
            out.write("\n" if text == "" else "  " + text + "\n")


def _template_entries(changes: list[Any]) -> list[dict[str, str]]:
    # helm-diff reads these back from the entry's key, so a cluster-scoped object shows the default namespace
    out = []
    for c in changes:
        m = _KEY.match(c.key)
        if m:
            out.append({"namespace": m[1], "name": m[2], "kind": m[3], "api": m[4], "change": c.change})
    return out


def write_report(out: IO[str], changes: list[Any], *, output: str = "diff", suppressed: list[str] | None = None,
                 context: int = -1, color: bool = False) -> None:
    """Print ``changes`` (a `DiffResult`'s) in one of helm-diff's formats."""
    suppressed = list(suppressed or [])
    if output == "simple":
        counts = {k: 0 for k in _SIMPLE_STYLE}
        for c in changes:
            col, msg = _SIMPLE_STYLE[c.change]
            out.write(_c(f"{c.key} {msg}", col, color) + "\n")
            counts[c.change] += 1
        out.write(f"Plan: {counts['ADD']} to add, {counts['MODIFY']} to change, {counts['REMOVE']} to destroy, "
                  f"{counts['OWNERSHIP']} to change ownership.\n")
    elif output == "template" and os.environ.get("HELM_DIFF_TPL"):
        out.write(_custom_template(os.environ["HELM_DIFF_TPL"], _template_entries(changes)) + "\n")
    elif output in ("template", "json"):
        out.write(_json_template(_template_entries(changes)) + "\n")
    elif output == "structured":
        data = [_structured(c, suppressed) for c in changes]
        out.write(json.dumps(data, indent=2) + "\n")
    elif output == "dyff":
        _dyff(out, changes, color)
    else:
        for c in changes:
            col, msg = _DIFF_STYLE[c.change]
            out.write(_c(f"{c.key} {msg}", col, color) + "\n")
            _records(out, c, suppressed, context, color)


def _structured(c: Any, suppressed: list[str]) -> dict[str, Any]:
    # helm-diff's "structured" entry: field changes as a parent path and a field name
    entry: dict[str, Any] = {"apiVersion": c.api_version, "kind": c.kind, "namespace": c.namespace, "name": c.name,
                             "changeType": c.change,
                             "resourceStatus": {"oldExists": c.before is not None, "newExists": c.after is not None}}
    if c.kind in suppressed:
        entry["changesSuppressed"] = True
        return entry
    if c.change == "MODIFY" and c.fields:
        out = []
        for f in c.fields:
            tokens = [name if kind == "f" else f"[name={name}]" for kind, name in f.parts]
            change = {"path": "/" + "/".join(t.replace("~", "~0").replace("/", "~1") for t in tokens[:-1]),
                      "field": tokens[-1] if tokens else "",
                      "change": "add" if f.before is None else "remove" if f.after is None else "replace"}
            if f.before is not None:
                change["oldValue"] = f.before
            if f.after is not None:
                change["newValue"] = f.after
            out.append(change)
        entry["changes"] = out
    return entry


def _custom_template(path: str, entries: list[dict[str, str]]) -> str:
    """``HELM_DIFF_TPL``: a Go template over the entries (fields Namespace, Name, Kind, API, Change)."""
    from pilothouse.errors import PilothouseError
    from pilothouse.gotemplate import ExecError, ParseError, TemplateSet

    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read(1 << 20)
    except OSError as err:
        raise PilothouseError(f"HELM_DIFF_TPL: cannot read {path}: {err.strerror}") from None
    data = [{"Namespace": e["namespace"], "Name": e["name"], "Kind": e["kind"], "API": e["api"],
             "Change": e["change"]} for e in entries]
    ts = TemplateSet(funcs={"last": lambda i, seq: int(i) == len(seq) - 1})
    name = os.path.basename(path)
    try:
        ts.parse(name, text)
        return ts.execute(name, data)
    except (ParseError, ExecError) as err:
        raise PilothouseError(f"HELM_DIFF_TPL: {err}") from None


def _json_template(entries: list[dict[str, str]]) -> str:
    # the exact text helm-diff's default template produces (no escaping, its own layout)
    parts = []
    for e in entries:
        fields = ",\n".join(f'  "{k}": "{e[k]}"' for k in ("api", "kind", "namespace", "name", "change"))
        parts.append("{\n" + fields + "\n}")
    return "[" + ",".join(parts) + "]"


def _scalar(v: Any) -> str:
    if v is None:
        return "<none>"
    if isinstance(v, (dict, list)):
        return json.dumps(v, sort_keys=True)
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def _dyff(out: IO[str], changes: list[Any], color: bool) -> None:
    for c in changes:
        where = f"({c.api_version}/{c.kind}/{c.name})"
        if c.change in ("ADD", "REMOVE"):
            sign, col = ("+", "green") if c.change == "ADD" else ("-", "red")
            word = "one document added:" if c.change == "ADD" else "one document removed:"
            out.write(f"\n{_c(sign, col, color)} {word}\n  ---\n")
            text = "\n".join(t for _, t in c.records)
            for line in text.split("\n"):
                out.write(f"  {line}\n")
            continue
        for f in c.fields:
            out.write(f"\n{f.path}  {where}\n")
            if f.before is None:
                out.write(f"  {_c('+', 'green', color)} one field added:\n    {_scalar(f.after)}\n")
            elif f.after is None:
                out.write(f"  {_c('-', 'red', color)} one field removed:\n    {_scalar(f.before)}\n")
            else:
                out.write(f"  ± value change\n    {_c('- ' + _scalar(f.before), 'red', color)}\n"
                          f"    {_c('+ ' + _scalar(f.after), 'green', color)}\n")
