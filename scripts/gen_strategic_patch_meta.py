"""Regenerate src/pilothouse/kube/strategicpatch_meta.json from the Kubernetes API type definitions.

Usage: gen_strategic_patch_meta.py API_DIR META_DIR > strategicpatch_meta.json

API_DIR is a checkout of k8s.io/api (the version Helm builds with), META_DIR the directory holding
k8s.io/apimachinery's pkg/apis/meta/v1. The struct tags ``patchStrategy``/``patchMergeKey`` are the
facts strategic merge patch creation needs; this keeps only the struct fields on a path to one of
them, so the table stays small. Kinds are the types each group/version registers.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

_TYPE_RE = re.compile(r"^type\s+(\w+)\s+(.*)$")
_FIELD_RE = re.compile(r"^(?:(\w+)\s+)?([\w.\[\]*]+(?:\[[\w.]+\][\w.*\[\]]+)?)\s*`([^`]*)`")
_IMPORT_RE = re.compile(r'^\s*(\w+)?\s*"k8s\.io/(?:api/([\w/]+)|apimachinery/pkg/apis/(meta/v1))"')
_SKIP_GROUPS = {"admission", "imagepolicy", "apidiscovery"}


def _tag(tags: str, name: str) -> str:
    m = re.search(name + r':"([^"]*)"', tags)
    return m.group(1) if m else ""


def parse_package(pkg: str, directory: Path, structs: dict, named: dict) -> None:
    """Read every struct (fields with json names, types, patch tags) and named type of one package."""
    for path in sorted(directory.glob("*.go")):
        if path.name.endswith("_test.go") or "generated" in path.name:
            continue
        imports: dict[str, str] = {}
        current: str | None = None
        depth = 0
        for raw in path.read_text().splitlines():
            if raw.lstrip().startswith("//"):
                continue
            line = raw.split("//")[0].rstrip() if "`" not in raw else raw.rstrip()
            if not line.strip():
                continue
            im = _IMPORT_RE.match(line)
            if im and current is None:
                target = im.group(2) or im.group(3)
                alias = im.group(1) or target.split("/")[-1]
                imports[alias] = target
                continue
            if current is None:
                tm = _TYPE_RE.match(line)
                if not tm:
                    continue
                name, rest = tm.groups()
                if rest.startswith("struct {") and not rest.endswith("}"):
                    current = f"{pkg}.{name}"
                    structs[current] = {"fields": {}, "imports": imports, "pkg": pkg}
                    depth = 1
                elif not rest.startswith(("interface", "=", "func")):
                    named[f"{pkg}.{name}"] = (rest.split()[0], imports, pkg)
                continue
            depth += line.count("{") - line.count("}")
            if depth <= 0:
                current = None
                continue
            if depth != 1:
                continue
            fm = _FIELD_RE.match(line.strip())
            if not fm:
                continue
            fname, ftype, tags = fm.groups()
            jname = _tag(tags, "json").split(",")[0]
            if jname == "-":
                continue
            if fname is None:
                # An embedded struct: its fields are promoted unless it has a json name of its own.
                if not jname:
                    structs[current]["fields"].setdefault("", []).append(ftype)
                    continue
            elif not jname:
                jname = fname
            structs[current]["fields"][jname] = {
                "type": ftype,
                "strategy": _tag(tags, "patchStrategy"),
                "key": _tag(tags, "patchMergeKey"),
            }


def resolve(expr: str, imports: dict[str, str], pkg: str, structs: dict, named: dict) -> str | None:
    """The struct a field's type refers to (through pointers, slices and named types), or None."""
    for _ in range(5):
        expr = expr.lstrip("*")
        while expr.startswith("[]"):
            expr = expr[2:].lstrip("*")
        if expr.startswith("map["):
            return None
        if "." in expr:
            alias, name = expr.split(".", 1)
            if alias not in imports:
                return None
            ident = f"{imports[alias]}.{name}"
        else:
            ident = f"{pkg}.{expr}"
        if ident in structs:
            return ident
        if ident not in named:
            return None
        expr, imports, pkg = named[ident]
    return None


def build(api_dir: Path, meta_dir: Path) -> dict:
    """The table: kinds by group/version, and the pruned struct graph with patch metadata."""
    structs: dict = {}
    named: dict = {}
    parse_package("meta/v1", meta_dir, structs, named)
    kinds: dict[str, dict[str, str]] = {}
    for register in sorted(api_dir.glob("*/*/register.go")):
        pkg = f"{register.parent.parent.name}/{register.parent.name}"
        if register.parent.parent.name in _SKIP_GROUPS:
            continue
        parse_package(pkg, register.parent, structs, named)
        text = register.read_text()
        group = re.search(r'GroupName\s*=\s*"([^"]*)"', text).group(1)
        version = re.search(r'Version:\s*"([^"]*)"', text).group(1)
        block = re.search(r"AddKnownTypes\(SchemeGroupVersion,(.*?)\)\n", text, re.S)
        names = re.findall(r"&(\w+)\{\}", block.group(1)) if block else []
        gv = f"{group}/{version}" if group else version
        kinds[gv] = {n: f"{pkg}.{n}" for n in names if not n.endswith("List") and f"{pkg}.{n}" in structs}

    # Flatten promoted fields of embedded structs, then resolve field types.
    def fields_of(ident: str, seen: frozenset = frozenset()) -> dict:
        s = structs[ident]
        out = {}
        for emb in s["fields"].get("", []):
            target = resolve(emb, s["imports"], s["pkg"], structs, named)
            if target and target not in seen:
                for k, v in fields_of(target, seen | {ident}).items():
                    out.setdefault(k, v)
        for k, v in s["fields"].items():
            if k == "":
                continue
            out[k] = (resolve(v["type"], s["imports"], s["pkg"], structs, named), v["strategy"], v["key"])
        return out

    graph = {ident: fields_of(ident) for ident in structs}
    relevant: set[str] = set()
    changed = True
    while changed:
        changed = False
        for ident, fields in graph.items():
            if ident in relevant:
                continue
            if any(strategy or key or (target in relevant) for target, strategy, key in fields.values()):
                relevant.add(ident)
                changed = True
    types: dict[str, dict[str, list[str]]] = {}
    for ident in sorted(relevant):
        entry = {}
        for name, (target, strategy, key) in sorted(graph[ident].items()):
            if strategy or key or target in relevant:
                row = [target if target in relevant else "", strategy, key]
                while row and not row[-1]:
                    row.pop()
                entry[name] = row
        types[ident] = entry
    roots = {}
    for gv, names in sorted(kinds.items()):
        roots[gv] = {n: (ident if ident in relevant else "") for n, ident in sorted(names.items())}
    return {"kinds": roots, "types": types}


def main() -> None:
    table = build(Path(sys.argv[1]), Path(sys.argv[2]))
    json.dump(table, sys.stdout, indent=0, sort_keys=True, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
