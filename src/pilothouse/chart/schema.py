"""values.schema.json validation with the error report Helm prints.

Helm validates with santhosh-tekuri/jsonschema v6, whose report is a tree: one
``- at '<instance path>': <reason>`` line per failure, nested under ``allOf``/``anyOf``/
``oneOf``/``contains`` failures and under a value that failed in several ways. The evaluator
here walks a schema in that library's keyword order and builds the same tree, so the messages
match (``missing property 'age'``, ``got number, want string``, ``minimum: got -5, want 0``).
The schema itself is checked against its meta-schema with the `jsonschema` package.
Drafts 4, 6, 7, 2019-09 and 2020-12 are read (``$schema``; 2020-12 when absent).
"""

from __future__ import annotations

import json
import math
import os
import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any
from urllib.parse import urldefrag, urljoin

from pilothouse.errors import ValuesError
from pilothouse.lazylog import LazyLogger

if TYPE_CHECKING:
    from pilothouse.chart.model import Chart

log = LazyLogger("pilothouse.chart")
ROOT_URL = "file:///values.schema.json"

_DRAFTS = {
    "http://json-schema.org/draft-04/schema": 4,
    "http://json-schema.org/draft-06/schema": 6,
    "http://json-schema.org/draft-07/schema": 7,
    "https://json-schema.org/draft/2019-09/schema": 2019,
    "https://json-schema.org/draft/2020-12/schema": 2020,
}
_TYPE_ORDER = ["null", "boolean", "number", "integer", "string", "array", "object"]


class SchemaValidationError(ValuesError):
    """Values do not satisfy a chart's schema; the message is Helm's report."""


@dataclass
class _Err:
    """One node of the report tree (a library ValidationError)."""

    loc: list[str]
    message: str
    causes: list[_Err] = field(default_factory=list)
    kind: str = ""

    def display(self, out: list[str], indent: int) -> None:
        if not (self.kind == "ref" and len(self.causes) == 1):
            if indent > 0:
                out.append("\n" + "  " * (indent - 1) + "- ")
            indent += 1
            if self.kind == "schema":
                out.append(self.message)
            else:
                out.append(f"at {_quote(_json_ptr(self.loc))}: {self.message}")
        for cause in self.causes:
            cause.display(out, indent)


def _json_ptr(tokens: list[str]) -> str:
    return "".join("/" + t.replace("~", "~0").replace("/", "~1") for t in tokens)


def _quote(text: str) -> str:
    from pilothouse.gotemplate.gostrconv import quote as go_quote

    q = go_quote(text)[1:-1].replace('\\"', '"').replace("'", "\\'")
    return f"'{q}'"


def _group_digits(text: str) -> str:
    """x/text's English printer groups the integer part of numbers by thousands."""
    sign = "-" if text.startswith("-") else ""
    body = text.lstrip("-")
    if "e" in body or not body[:1].isdigit():
        return text
    whole, dot, frac = body.partition(".")
    grouped = f"{int(whole):,}"
    return sign + grouped + (dot + frac if dot else "")


def _float_text(val: float) -> str:
    """A float in the validator's messages: shortest digits, %e below 1e-4 and from 1e21 on."""
    from pilothouse.gotemplate.gostrconv import format_float

    a = abs(val)
    return format_float(val, "e" if a != 0 and (a < 1e-4 or a >= 1e21) else "f", -1, 64)


def _num(val: Any) -> str:
    if isinstance(val, Fraction):
        val = float(val)
    if isinstance(val, int) and not isinstance(val, bool):
        return _group_digits(str(int(val)))
    return _group_digits(_float_text(float(val)))


def _display(val: Any) -> str:
    from pilothouse.gotemplate.gofmt import format_value

    if isinstance(val, str):
        return _quote(val)
    if isinstance(val, list | dict):
        return "value"
    if isinstance(val, float):
        return _float_text(val)
    return format_value(val)


def _type_of(val: Any) -> str:
    if val is None:
        return "null"
    if isinstance(val, bool):
        return "boolean"
    if isinstance(val, int | float):
        return "number"
    if isinstance(val, str):
        return "string"
    if isinstance(val, list):
        return "array"
    if isinstance(val, dict):
        return "object"
    return "invalid"


def _is_integer(val: Any) -> bool:
    if isinstance(val, bool):
        return False
    if isinstance(val, int):
        return True
    return isinstance(val, float) and math.isfinite(val) and val.is_integer()


def _rat(val: Any) -> Fraction:
    return Fraction(val) if isinstance(val, int | float) else Fraction(str(val))


def _equals(a: Any, b: Any) -> bool:
    ta, tb = _type_of(a), _type_of(b)
    if ta != tb:
        return False
    if ta == "number":
        return _rat(a) == _rat(b)
    if ta == "array":
        return len(a) == len(b) and all(_equals(x, y) for x, y in zip(a, b))
    if ta == "object":
        return a.keys() == b.keys() and all(_equals(a[k], b[k]) for k in a)
    return bool(a == b)


class _Resolver:
    """Finds the schema a ``$ref`` names: within the document, by ``$id``, or fetched."""

    def __init__(self, root: Any) -> None:
        self.docs: dict[str, Any] = {ROOT_URL: root}
        self.ids: dict[str, tuple[Any, str]] = {}
        self._index(root, ROOT_URL)

    def _index(self, node: Any, base: str) -> None:
        if isinstance(node, dict):
            sid = node.get("$id") or node.get("id")
            if isinstance(sid, str) and not sid.startswith("#"):
                base = urljoin(base, sid)
                self.ids[urldefrag(base)[0]] = (node, base)
            anchor = node.get("$anchor")
            if isinstance(anchor, str):
                self.ids[urldefrag(base)[0] + "#" + anchor] = (node, base)
            for key, val in node.items():
                if key not in ("enum", "const"):
                    self._index(val, base)
        elif isinstance(node, list):
            for item in node:
                self._index(item, base)

    def resolve(self, ref: str, base: str) -> tuple[Any, str]:
        url = urljoin(base, ref)
        doc_url, frag = urldefrag(url)
        if url in self.ids:
            return self.ids[url]
        if doc_url in self.ids:
            node, node_base = self.ids[doc_url]
        else:
            node, node_base = self._load(doc_url), doc_url
        if not frag:
            return node, node_base
        if not frag.startswith("/"):
            raise ValuesError(f"anchor {frag!r} not found in {doc_url}")
        for token in frag.split("/")[1:]:
            from urllib.parse import unquote

            token = unquote(token).replace("~1", "/").replace("~0", "~")
            if isinstance(node, list):
                node = node[int(token)]
            else:
                node = node[token]
        return node, node_base

    def _load(self, url: str) -> Any:
        if url in self.docs:
            return self.docs[url]
        scheme = url.split(":", 1)[0]
        if scheme == "urn":
            log.warning("unresolved URN reference ignored; using permissive schema urn=%s", url)
            doc: Any = True
        elif scheme in ("http", "https"):
            import httpx

            try:
                resp = httpx.get(url, timeout=15, follow_redirects=True)
            except httpx.HTTPError as err:
                raise ValuesError(f"HTTP request failed for {url}: {err}") from None
            if resp.status_code != 200:
                raise ValuesError(f"HTTP request to {url} returned status {resp.status_code} ({resp.reason_phrase})")
            doc = resp.json()
        elif scheme == "file":
            from urllib.parse import unquote, urlparse

            with open(unquote(urlparse(url).path), encoding="utf-8") as fh:
                doc = json.load(fh)
        else:
            raise ValuesError(f"no URLLoader registered for {url}")
        self.docs[url] = doc
        self._index(doc, url)
        return doc


class _Validator:
    def __init__(self, root: Any) -> None:
        self.resolver = _Resolver(root)
        self.draft = _draft_of(root)
        self._active_refs: set[tuple[int, tuple[str, ...]]] = set()

    def validate(self, sch: Any, val: Any, loc: list[str], base: str) -> _Err | None:
        """Validate ``val`` against ``sch``; None, one error, or a group of errors."""
        if sch is True or sch == {}:
            return None
        if sch is False:
            return _Err(loc, "false schema")
        if not isinstance(sch, dict):
            return None
        sid = sch.get("$id") if self.draft >= 6 else sch.get("id")
        if isinstance(sid, str) and not sid.startswith("#"):
            base = urljoin(base, sid)
        errors: list[_Err] = []
        t = _type_of(val)
        types = _types(sch.get("type"))
        if types:
            if not (t in types or ("integer" in types and t == "number" and _is_integer(val))):
                return _Err(loc, f"got {t}, want {' or '.join(x for x in _TYPE_ORDER if x in types)}")
        if "const" in sch and self.draft >= 6 and not _equals(val, sch["const"]):
            want = sch["const"]
            msg = "'const' failed" if isinstance(want, list | dict) else f"value must be {_display(want)}"
            return _Err(loc, msg)
        if isinstance(sch.get("enum"), list):
            enum = sch["enum"]
            if not any(_equals(val, item) for item in enum):
                if any(isinstance(x, list | dict) for x in enum):
                    msg = "'enum' failed"
                elif len(enum) == 1:
                    msg = f"value must be {_display(enum[0])}"
                else:
                    msg = "value must be one of " + ", ".join(_display(x) for x in enum)
                return _Err(loc, msg)
        if isinstance(sch.get("format"), str) and self.draft < 2019:
            problem = _check_format(sch["format"], val)
            if problem is not None:
                return _Err(loc, f"{_display(val)} is not valid {sch['format']}: {problem}")
        if isinstance(sch.get("$ref"), str):
            err = self._ref(sch["$ref"], val, loc, base)
            if self.draft < 2019:
                return err
            if err is not None:
                errors.append(err)
        if t == "object":
            self._object(sch, val, loc, base, errors)
        elif t == "array":
            self._array(sch, val, loc, base, errors)
        elif t == "string":
            self._string(sch, val, loc, errors)
        elif t == "number":
            self._number(sch, val, loc, errors)
        self._conditions(sch, val, loc, base, errors)
        if not errors:
            return None
        if len(errors) == 1:
            return errors[0]
        return _Err(loc, "validation failed", errors, kind="group")

    def _ref(self, ref: str, val: Any, loc: list[str], base: str) -> _Err | None:
        try:
            target, target_base = self.resolver.resolve(ref, base)
        except (KeyError, IndexError, ValueError, TypeError) as err:
            if isinstance(err, ValuesError):
                raise
            raise ValuesError(f"json-pointer in {_go_quoted(urljoin(base, ref))} not found") from None
        # the same schema reached again for the same value can only recurse for ever (the schema
        # library Helm uses reports this as a reference cycle)
        key = (id(target), tuple(loc))
        if key in self._active_refs:
            return _Err(loc, f"$ref to {_go_quoted(urljoin(base, ref))} causing reference cycle")
        self._active_refs.add(key)
        try:
            err = self.validate(target, val, loc, target_base)
        finally:
            self._active_refs.discard(key)
        if err is None:
            return None
        causes = err.causes if err.kind == "group" else [err]
        return _Err(loc, "validation failed", causes, kind="ref")

    def _object(self, sch: dict[str, Any], obj: dict[str, Any], loc: list[str], base: str,
                errors: list[_Err]) -> None:
        if isinstance(sch.get("minProperties"), int | float) and len(obj) < sch["minProperties"]:
            errors.append(_Err(loc, f"minProperties: got {_num(len(obj))}, want {_num(int(sch['minProperties']))}"))
        if isinstance(sch.get("maxProperties"), int | float) and len(obj) > sch["maxProperties"]:
            errors.append(_Err(loc, f"maxProperties: got {_num(len(obj))}, want {_num(int(sch['maxProperties']))}"))
        required = sch.get("required")
        if isinstance(required, list) and required:
            missing = [r for r in required if isinstance(r, str) and r not in obj]
            if missing:
                errors.append(_Err(loc, _missing_message(missing)))
        deps = sch.get("dependencies")
        if isinstance(deps, dict):
            for pname in sorted(deps):
                if pname not in obj:
                    continue
                dep = deps[pname]
                if isinstance(dep, list):
                    missing = [d for d in dep if d not in obj]
                    if missing:
                        errors.append(_Err(loc, f"properties {_join_quoted(missing)} required, if {_quote(pname)} exists"))
                else:
                    _add(errors, self.validate(dep, obj, loc, base))
        props = sch.get("properties") if isinstance(sch.get("properties"), dict) else {}
        patterns = sch.get("patternProperties") if isinstance(sch.get("patternProperties"), dict) else {}
        additional = sch.get("additionalProperties")
        extra: list[str] = []
        for pname in sorted(obj):
            pval = obj[pname]
            evaluated = False
            if pname in props:
                evaluated = True
                _add(errors, self.validate(props[pname], pval, [*loc, pname], base))
            for regex, psch in patterns.items():
                if _regex(regex).search(pname):
                    evaluated = True
                    _add(errors, self.validate(psch, pval, [*loc, pname], base))
            if not evaluated and additional is not None:
                if additional is False:
                    extra.append(pname)
                elif isinstance(additional, dict):
                    _add(errors, self.validate(additional, pval, [*loc, pname], base))
        if extra:
            errors.append(_Err(loc, f"additional properties {_join_quoted(extra)} not allowed"))
        if self.draft == 4:
            return
        if "propertyNames" in sch:
            for pname in sorted(obj):
                # the name is validated on its own, so its report starts again at the root
                err = self.validate(sch["propertyNames"], pname, [], base)
                if err is not None:
                    causes = err.causes if err.kind == "group" else [err]
                    errors.append(_Err([], f"invalid propertyName {_quote(pname)}", causes))
        if self.draft == 6:
            return
        dep_schemas = sch.get("dependentSchemas")
        if isinstance(dep_schemas, dict):
            for pname in sorted(dep_schemas):
                if pname in obj:
                    _add(errors, self.validate(dep_schemas[pname], obj, loc, base))
        dep_required = sch.get("dependentRequired")
        if isinstance(dep_required, dict):
            for pname in sorted(dep_required):
                if pname in obj:
                    missing = [d for d in dep_required[pname] if d not in obj]
                    if missing:
                        errors.append(_Err(loc, f"properties {_join_quoted(missing)} required, if {_quote(pname)} exists"))

    def _array(self, sch: dict[str, Any], arr: list[Any], loc: list[str], base: str, errors: list[_Err]) -> None:
        if isinstance(sch.get("minItems"), int | float) and len(arr) < sch["minItems"]:
            errors.append(_Err(loc, f"minItems: got {_num(len(arr))}, want {_num(int(sch['minItems']))}"))
        if isinstance(sch.get("maxItems"), int | float) and len(arr) > sch["maxItems"]:
            errors.append(_Err(loc, f"maxItems: got {_num(len(arr))}, want {_num(int(sch['maxItems']))}"))
        if sch.get("uniqueItems") is True and len(arr) > 1:
            dup = _duplicates(arr)
            if dup is not None:
                errors.append(_Err(loc, f"items at {dup[0]} and {dup[1]} are equal"))
        if self.draft < 2020:
            items = sch.get("items")
            evaluated = 0
            if isinstance(items, dict | bool):
                for i, item in enumerate(arr):
                    _add(errors, self.validate(items, item, [*loc, str(i)], base))
                evaluated = len(arr)
            elif isinstance(items, list):
                evaluated = min(len(arr), len(items))
                for i in range(evaluated):
                    _add(errors, self.validate(items[i], arr[i], [*loc, str(i)], base))
            additional = sch.get("additionalItems")
            if additional is False and isinstance(items, list) and evaluated != len(arr):
                errors.append(_Err(loc, f"last {len(arr) - evaluated} additionalItem(s) not allowed"))
            elif isinstance(additional, dict) and isinstance(items, list):
                for i, item in enumerate(arr[evaluated:]):
                    _add(errors, self.validate(additional, item, [*loc, str(i)], base))
        else:
            prefix = sch.get("prefixItems") if isinstance(sch.get("prefixItems"), list) else []
            evaluated = min(len(prefix), len(arr))
            for i in range(evaluated):
                _add(errors, self.validate(prefix[i], arr[i], [*loc, str(i)], base))
            if "items" in sch:
                for i, item in enumerate(arr[evaluated:]):
                    _add(errors, self.validate(sch["items"], item, [*loc, str(i)], base))
        if "contains" in sch and self.draft >= 6:
            failures: list[_Err] = []
            matched: list[int] = []
            for i, item in enumerate(arr):
                err = self.validate(sch["contains"], item, [*loc, str(i)], base)
                if err is None:
                    matched.append(i)
                else:
                    failures.append(err)
            min_contains = sch.get("minContains") if self.draft >= 2019 else None
            max_contains = sch.get("maxContains") if self.draft >= 2019 else None
            if isinstance(min_contains, int | float):
                if len(matched) < min_contains:
                    if not matched:
                        msg = f"min {_num(int(min_contains))} items required to match contains schema, but none matched"
                    else:
                        msg = (f"min {_num(int(min_contains))} items required to match contains schema, but matched "
                               f"{_num(len(matched))} items at {' '.join(map(str, matched))}")
                    errors.append(_Err(loc, msg, failures))
            elif not matched:
                errors.append(_Err(loc, "no items match contains schema", failures))
            if isinstance(max_contains, int | float) and len(matched) > max_contains:
                errors.append(_Err(loc, f"max {_num(int(max_contains))} items required to match contains schema, "
                                        f"but matched {_num(len(matched))} items at {' '.join(map(str, matched))}"))

    def _string(self, sch: dict[str, Any], text: str, loc: list[str], errors: list[_Err]) -> None:
        length = len(text)
        if isinstance(sch.get("minLength"), int | float) and length < sch["minLength"]:
            errors.append(_Err(loc, f"minLength: got {_num(length)}, want {_num(int(sch['minLength']))}"))
        if isinstance(sch.get("maxLength"), int | float) and length > sch["maxLength"]:
            errors.append(_Err(loc, f"maxLength: got {_num(length)}, want {_num(int(sch['maxLength']))}"))
        if isinstance(sch.get("pattern"), str) and not _regex(sch["pattern"]).search(text):
            errors.append(_Err(loc, f"{_quote(text)} does not match pattern {_quote(sch['pattern'])}"))

    def _number(self, sch: dict[str, Any], val: Any, loc: list[str], errors: list[_Err]) -> None:
        num = _rat(val)

        def bound(key: str) -> Fraction | None:
            b = sch.get(key)
            return _rat(b) if isinstance(b, int | float) and not isinstance(b, bool) else None

        lo, hi = bound("minimum"), bound("maximum")
        xlo, xhi = bound("exclusiveMinimum"), bound("exclusiveMaximum")
        if self.draft == 4:
            # draft 4 spells exclusivity as booleans beside minimum/maximum
            if sch.get("exclusiveMinimum") is True and lo is not None:
                xlo, lo = lo, None
            if sch.get("exclusiveMaximum") is True and hi is not None:
                xhi, hi = hi, None
        if lo is not None and num < lo:
            errors.append(_Err(loc, f"minimum: got {_num(num)}, want {_num(lo)}"))
        if hi is not None and num > hi:
            errors.append(_Err(loc, f"maximum: got {_num(num)}, want {_num(hi)}"))
        if xlo is not None and num <= xlo:
            errors.append(_Err(loc, f"exclusiveMinimum: got {_num(num)}, want {_num(xlo)}"))
        if xhi is not None and num >= xhi:
            errors.append(_Err(loc, f"exclusiveMaximum: got {_num(num)}, want {_num(xhi)}"))
        mult = bound("multipleOf")
        if mult is not None and mult != 0 and (num / mult).denominator != 1:
            errors.append(_Err(loc, f"multipleOf: got {_num(num)}, want {_num(mult)}"))

    def _conditions(self, sch: dict[str, Any], val: Any, loc: list[str], base: str, errors: list[_Err]) -> None:
        if "not" in sch and self.validate(sch["not"], val, loc, base) is None:
            errors.append(_Err(loc, "'not' failed"))
        if isinstance(sch.get("allOf"), list) and sch["allOf"]:
            failed = [e for e in (self.validate(s, val, loc, base) for s in sch["allOf"]) if e is not None]
            if failed:
                errors.append(_Err(loc, "'allOf' failed", failed))
        if isinstance(sch.get("anyOf"), list) and sch["anyOf"]:
            failed = []
            for s in sch["anyOf"]:
                err = self.validate(s, val, loc, base)
                if err is None:
                    break
                failed.append(err)
            else:
                errors.append(_Err(loc, "'anyOf' failed", failed))
        if isinstance(sch.get("oneOf"), list) and sch["oneOf"]:
            matched = -1
            failed = []
            for i, s in enumerate(sch["oneOf"]):
                err = self.validate(s, val, loc, base)
                if err is not None:
                    if matched == -1:
                        failed.append(err)
                elif matched == -1:
                    matched = i
                else:
                    errors.append(_Err(loc, f"'oneOf' failed, subschemas {matched}, {i} matched"))
                    break
            if matched == -1:
                errors.append(_Err(loc, "'oneOf' failed, none matched", failed))
        if "if" in sch and self.draft >= 7:
            if self.validate(sch["if"], val, loc, base) is None:
                if "then" in sch:
                    _add(errors, self.validate(sch["then"], val, loc, base))
            elif "else" in sch:
                _add(errors, self.validate(sch["else"], val, loc, base))


def _add(errors: list[_Err], err: _Err | None) -> None:
    if err is not None:
        errors.append(err)


def _types(spec: Any) -> set[str]:
    if isinstance(spec, str):
        return {spec} if spec in _TYPE_ORDER else set()
    if isinstance(spec, list):
        return {s for s in spec if isinstance(s, str) and s in _TYPE_ORDER}
    return set()


def _missing_message(missing: list[str]) -> str:
    if len(missing) == 1:
        return f"missing property {_quote(missing[0])}"
    return f"missing properties {_join_quoted(missing)}"


def _go_quoted(text: str) -> str:
    from pilothouse.gotemplate.gostrconv import quote as go_quote

    return go_quote(text)


def _join_quoted(items: list[str]) -> str:
    return ", ".join(_quote(i) for i in items)


def _duplicates(arr: list[Any]) -> tuple[int, int] | None:
    for i in range(len(arr)):
        for j in range(i + 1, len(arr)):
            if _equals(arr[i], arr[j]):
                return i, j
    return None


_REGEX_CACHE: dict[str, Any] = {}


def _regex(pattern: str) -> Any:
    """A compiled ``pattern`` (or patternProperties key) with Go regexp's semantics.

    The schema library Helm uses compiles patterns with Go's regexp, which is RE2: matching is
    linear in the input, so a pattern like ``^(a+)+$`` answers at once where a backtracking
    engine would run for ever. RE2 itself is used here for the same guarantee and syntax.
    """
    cached = _REGEX_CACHE.get(pattern)
    if cached is None:
        import re2

        opts = re2.Options()
        opts.log_errors = False  # its parse errors are reported by us, not on stderr
        try:
            cached = re2.compile(pattern, opts)
        except re2.error as err:
            msg = err.args[0] if err.args else str(err)
            if isinstance(msg, bytes):
                msg = msg.decode("utf-8", "replace")
            raise ValuesError(f"invalid regex {pattern!r}: {msg}") from None
        _REGEX_CACHE[pattern] = cached
    return cached


def _check_format(name: str, val: Any) -> str | None:
    """The reason a string fails a format check (None when valid or not checked)."""
    if not isinstance(val, str):
        return None
    import ipaddress

    if name == "ipv4":
        try:
            ipaddress.IPv4Address(val)
        except ValueError:
            return "invalid ipv4 address"
    elif name == "ipv6":
        try:
            ipaddress.IPv6Address(val)
        except ValueError:
            return "invalid ipv6 address"
    elif name == "email":
        if "@" not in val:
            return "missing @"
    elif name == "date":
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", val):
            return "invalid date"
    elif name == "uuid":
        if not re.fullmatch(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", val):
            return "invalid uuid"
    return None


def _draft_of(schema: Any) -> int:
    if isinstance(schema, dict) and isinstance(schema.get("$schema"), str):
        url = urldefrag(schema["$schema"])[0].rstrip("#")
        url = url.replace("https://json-schema.org/draft-0", "http://json-schema.org/draft-0")
        return _DRAFTS.get(url, 2020)
    return 2020


def _check_against_metaschema(schema: Any) -> None:
    """Refuse a schema its meta-schema rejects, in the library's message shape."""
    from jsonschema import exceptions, validators

    draft = _draft_of(schema)
    meta_url = {4: "http://json-schema.org/draft-04/schema", 6: "http://json-schema.org/draft-06/schema",
                7: "http://json-schema.org/draft-07/schema", 2019: "https://json-schema.org/draft/2019-09/schema",
                2020: "https://json-schema.org/draft/2020-12/schema"}[draft]
    cls = validators.validator_for({"$schema": meta_url})
    try:
        cls.check_schema(schema)
    except exceptions.SchemaError as err:
        inner = _Err(list(map(str, err.path)), _metaschema_reason(err))
        report = _Err([], f"jsonschema validation failed with {_quote(meta_url + '#')}", [inner], kind="schema")
        out: list[str] = []
        report.display(out, 0)
        raise ValuesError(f'"{ROOT_URL}#" is not valid against metaschema: ' + "".join(out)) from None


def _metaschema_reason(err: Any) -> str:
    if err.validator == "type":
        want = err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]
        return f"got {_type_of(err.instance)}, want {' or '.join(x for x in _TYPE_ORDER if x in want)}"
    if err.validator == "minimum":
        return f"minimum: got {_num(err.instance)}, want {_num(err.validator_value)}"
    if err.validator == "enum":
        return "value must be one of " + ", ".join(_display(x) for x in err.validator_value)
    return str(err.message)


# Parsing a schema and checking it against its meta-schema costs far more than validating values
# with it, and the same schema is used on every render of a chart: keep the checked result.
_CHECKED: dict[bytes, Any] = {}
_CHECKED_MAX = 256


def _marker(schema_json: bytes) -> str | None:
    """A file whose presence records that this exact schema passed its meta-schema check.

    Checking needs the `jsonschema` package, whose import alone costs ~70 ms of every one-shot
    `pilot template`; a schema that passed once passes again, so the result is kept on disk
    beside the compiled templates (same directory rules, same off switch).
    """
    import hashlib

    from pilothouse.gotemplate.cache import cache_dir

    base = cache_dir()
    if base is None:
        return None
    digest = hashlib.sha256(b"metaschema-v1\0" + schema_json).hexdigest()
    return os.path.join(os.path.dirname(base), "schemas", digest)


def _checked_schema(schema_json: bytes) -> Any:
    schema = _CHECKED.get(schema_json)
    if schema is None:
        try:
            schema = json.loads(schema_json)
        except ValueError as err:
            raise ValuesError(_json_error(err)) from None
        except RecursionError:
            raise ValuesError("the values schema is nested too deeply to be read") from None
        marker = _marker(schema_json)
        if marker is None or not os.path.exists(marker):
            _check_against_metaschema(schema)
            if marker is not None:
                try:
                    os.makedirs(os.path.dirname(marker), exist_ok=True)
                    open(marker, "a").close()
                except OSError:
                    pass  # an unusable cache directory only costs the check next time
        if len(_CHECKED) >= _CHECKED_MAX:
            _CHECKED.clear()
        _CHECKED[bytes(schema_json)] = schema
    return schema


def validate_single(values: dict[str, Any], schema_json: bytes) -> None:
    """Validate values against one schema document; raises `ValuesError` with the report."""
    schema = _checked_schema(schema_json)
    from pilothouse import slog

    slog.debug("unmarshalled JSON schema", schema=schema_json.decode("utf-8", "replace")
               if isinstance(schema_json, bytes) else schema_json)
    err = _Validator(schema).validate(schema, values, [], ROOT_URL)
    if err is None:
        return
    causes = err.causes if err.kind == "group" else [err]
    out: list[str] = []
    for cause in causes:
        cause.display(out, 1)
    raise SchemaValidationError("".join(out).lstrip("\n") + "\n")


def _json_error(err: ValueError) -> str:
    msg = str(err)
    if "Expecting value" in msg:
        return "invalid character looking for beginning of value"
    return msg


def validate_against_schema(chart: Chart, values: dict[str, Any]) -> str:
    """The report for ``chart`` and its enabled subcharts ("" when everything is valid)."""
    from pilothouse import slog
    from pilothouse.gotemplate.gofmt import type_name as go_type

    report: list[str] = []
    if chart.schema is not None:
        slog.debug("chart name", **{"chart-name": chart.name()})
        try:
            validate_single(values, chart.schema)
        except ValuesError as err:
            report.append(f"{chart.name()}:\n{err}")
    slog.debug("number of dependencies in the chart", chart=chart.name(), dependencies=len(chart.dependencies()))
    for sub in chart.dependencies():
        raw = values.get(sub.name())
        if raw is None:
            continue
        if not isinstance(raw, dict):
            report.append(f"{sub.name()}:\ninvalid type for values: expected object (map), got {go_type(raw)}\n")
            continue
        report.append(validate_against_schema(sub, raw))
    return "".join(report)


def validate_schemas(chart: Chart, values: dict[str, Any]) -> None:
    """Helm's schema step: raise `ValuesError` with Helm's full message when values do not fit."""
    report = validate_against_schema(chart, values)
    if report:
        raise SchemaValidationError(
            "values don't meet the specifications of the schema(s) in the following chart(s):\n" + report
        )
