"""``pilot lint``: Helm's chart lint rules and its message format.

Messages read ``[SEVERITY] path: problem`` (``[ERROR] templates/x.yaml: unable to parse YAML:
...``). The rules cover Chart.yaml, values.yaml (and its schema), templates (rendered with the
values, then checked as YAML and as Kubernetes objects) and dependencies. Rendering is passed
in as a function so this package does not depend on the template engine.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pilothouse.chart.model import Chart

UNKNOWN, INFO, WARNING, ERROR = 0, 1, 2, 3
SEVERITY_NAMES = ["UNKNOWN", "INFO", "WARNING", "ERROR"]

# render(chart, values, namespace) -> {template key: text}; raises PilothouseError
Renderer = Callable[[Chart, dict[str, Any], str], dict[str, str]]

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DNS1123_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_DNS1035_LABEL = re.compile(r"^[a-z]([-a-z0-9]*[a-z0-9])?$")
_SUBDOMAIN_MSG = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and "
    "must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)
_LABEL_MSG = (
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic "
    "character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for "
    "validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
)


@dataclass
class Message:
    """One finding."""

    severity: int
    path: str
    err: str

    def __str__(self) -> str:
        return f"[{SEVERITY_NAMES[self.severity]}] {self.path}: {self.err}"


@dataclass
class Linter:
    """The findings for one chart directory."""

    chart_dir: str
    messages: list[Message] = field(default_factory=list)
    highest_severity: int = UNKNOWN

    def rule(self, severity: int, path: str, err: str | None) -> bool:
        """Record ``err`` (when not None) at ``severity``; True when the rule passed."""
        if err is not None:
            self.messages.append(Message(severity, path, err))
            self.highest_severity = max(self.highest_severity, severity)
        return err is None


@dataclass
class LintResult:
    """What ``lint`` found for one chart: every message, and those that make it fail."""

    messages: list[Message]
    errors: list[Message]


def lint_chart(path: str, values: dict[str, Any] | None = None, *, namespace: str = "default",
               strict: bool = False, render: Renderer | None = None,
               skip_schema_validation: bool = False, kube_version: str | None = None) -> LintResult:
    """Run every rule on a chart directory (or archive) and sort findings into errors.

    ``kube_version`` is the target Kubernetes version for the deprecated-API rule (Helm's default when None).
    """
    values = values or {}
    tmp = None
    if os.path.isfile(path):
        tmp, path = _expand(path)
    try:
        linter = Linter(os.path.abspath(path))
        chartfile_rules(linter)
        values_rules(linter, values, skip_schema_validation)
        template_rules(linter, values, namespace, render, skip_schema_validation, kube_version)
        dependency_rules(linter)
    finally:
        if tmp is not None:
            import shutil

            shutil.rmtree(tmp, ignore_errors=True)
    threshold = WARNING if strict else ERROR
    errors = [m for m in linter.messages if m.severity >= threshold]
    return LintResult(linter.messages, errors)


def _expand(archive: str) -> tuple[str, str]:
    import tempfile

    from pilothouse.chart.loader import archive_files

    tmp = tempfile.mkdtemp(prefix="pilot-lint-")
    with open(archive, "rb") as fh:
        files = archive_files(fh.read())
    top = None
    for f in files:
        target = os.path.join(tmp, "chart", f.name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as out:
            out.write(f.data)
        top = os.path.join(tmp, "chart")
    return tmp, top or tmp


# --- Chart.yaml ---------------------------------------------------------------------------


def chartfile_rules(linter: Linter) -> None:
    """Helm's Chartfile rules."""
    from pilothouse.chart.metadata import load_metadata

    name = "Chart.yaml"
    chart_path = os.path.join(linter.chart_dir, name)
    linter.rule(ERROR, name, "should be a file, not a directory" if os.path.isdir(chart_path) else None)
    try:
        with open(chart_path, "rb") as fh:
            data = fh.read()
        md = load_metadata(data)
    except OSError as err:
        linter.rule(ERROR, name, f"unable to parse YAML\n\topen {chart_path}: {(err.strerror or '').lower()}")
        return
    except Exception as err:  # noqa: BLE001 - any decoding failure is reported as Helm reports it
        linter.rule(ERROR, name, f"unable to parse YAML\n\t{err}")
        return
    raw = _raw_mapping(data)
    unknown = _unknown_field(raw)
    if unknown is not None:
        linter.rule(WARNING, name, "failed to strictly parse chart metadata file\n\terror unmarshaling JSON: "
                                   f'while decoding JSON: json: unknown field "{unknown}"')
    linter.rule(ERROR, name, _name_rule(md.name))
    linter.rule(ERROR, name, _api_version_rule(md.api_version))
    linter.rule(ERROR, name, _string_type_rule(raw, "version"))
    linter.rule(ERROR, name, _version_rule(md.version))
    linter.rule(ERROR, name, _string_type_rule(raw, "appVersion"))
    linter.rule(ERROR, name, _maintainer_rule(md))
    linter.rule(ERROR, name, _sources_rule(md.sources))
    linter.rule(INFO, name, "icon is recommended" if not md.icon else None)
    linter.rule(ERROR, name, f"invalid icon URL '{md.icon}'" if md.icon and not _is_request_url(md.icon) else None)
    linter.rule(ERROR, name, (f"chart type is not valid in apiVersion '{md.api_version}'. It is valid in apiVersion 'v2'"
                              if md.type and md.api_version != "v2" else None))
    linter.rule(ERROR, name, (f"dependencies are not valid in the Chart file with apiVersion '{md.api_version}'. "
                              "They are valid in apiVersion 'v2'" if md.dependencies and md.api_version != "v2" else None))
    linter.rule(WARNING, name, _strict_semver_rule(md.version))


def _raw_mapping(data: bytes) -> dict[str, Any]:
    from pilothouse.chart._chartyaml import decode

    try:
        doc = decode(data)
    except ValueError:
        return {}
    return {str(k): v for k, v in doc.items()} if isinstance(doc, dict) else {}


def _unknown_field(raw: dict[str, Any]) -> str | None:
    from pilothouse.chart.metadata import _METADATA_FIELDS, _fold_lookup

    for key in sorted(raw):
        if _fold_lookup(_METADATA_FIELDS, key) is None:
            return key
    return None


def _name_rule(name: str) -> str | None:
    if not name:
        return "name is required"
    base = name.rstrip("/").rsplit("/", 1)[-1] if name.rstrip("/") else "/"
    if base != name:
        return f'chart name "{name}" is invalid'
    return None


def _api_version_rule(api: str) -> str | None:
    if not api:
        return 'apiVersion is required. The value must be either "v1" or "v2"'
    if api not in ("v1", "v2"):
        return f"apiVersion '{api}' is not valid. The value must be either \"v1\" or \"v2\""
    return None


def _string_type_rule(raw: dict[str, Any], key: str) -> str | None:
    if key not in raw:
        return None
    val = raw[key]
    if isinstance(val, str):
        return None
    from pilothouse.gotemplate.gofmt import type_name as go_type

    # yaml.v2 then JSON: numbers arrive as float64 in the untyped map
    gotype = "float64" if isinstance(val, int | float) and not isinstance(val, bool) else go_type(val)
    return f"{key} should be of type string but it's of type {gotype}"


def _version_rule(version: str) -> str | None:
    from pilothouse.chart.metadata import is_valid_semver

    if not version:
        return "version is required"
    if not is_valid_semver(version):
        return f"version '{version}' is not a valid SemVer"
    return None


def _strict_semver_rule(version: str) -> str | None:
    from pilothouse.semver import Version

    try:
        Version.parse_strict(version)
    except Exception:  # noqa: BLE001 - any failure means "not strict semver"
        return f"version '{version}' is not a valid SemVerV2"
    return None


def _maintainer_rule(md: Any) -> str | None:
    for m in md.maintainers:
        if m is None:
            return "a maintainer entry is empty"
        if not m.name:
            return "each maintainer requires a name"
        if m.email and not _EMAIL.match(m.email):
            return f"invalid email '{m.email}' for maintainer '{m.name}'"
        if m.url and not _is_url(m.url):
            return f"invalid url '{m.url}' for maintainer '{m.name}'"
    return None


def _sources_rule(sources: list[str]) -> str | None:
    for src in sources:
        if not src or not _is_request_url(src):
            return f"invalid source URL '{src}'"
    return None


def _is_request_url(text: str) -> bool:
    from urllib.parse import urlparse

    try:
        parsed = urlparse(text)
    except ValueError:
        return False
    return bool(parsed.scheme) and (bool(parsed.netloc) or text.startswith("/") or ":" in text)


def _is_url(text: str) -> bool:
    from urllib.parse import urlparse

    if not text or len(text) >= 2083 or text.startswith(".") or " " in text:
        return False
    candidate = text if "://" in text else "http://" + text
    try:
        parsed = urlparse(candidate)
    except ValueError:
        return False
    host = parsed.hostname or ""
    return bool(host) and ("." in host or host == "localhost" or host.replace(".", "").isdigit())


# --- values.yaml --------------------------------------------------------------------------


def values_rules(linter: Linter, overrides: dict[str, Any], skip_schema_validation: bool) -> None:
    """Helm's ValuesWithOverrides rules."""
    from pilothouse.chart.schema import validate_single
    from pilothouse.chart.values import coalesce_tables, deep_copy
    from pilothouse.errors import PilothouseError
    from pilothouse.goyaml import unmarshal

    name = "values.yaml"
    path = os.path.join(linter.chart_dir, name)
    if not linter.rule(INFO, name, None if os.path.exists(path) else "file does not exist"):
        return
    try:
        with open(path, "rb") as fh:
            values = unmarshal(fh.read(), "map")
    except PilothouseError as err:
        linter.rule(ERROR, name, f"unable to parse YAML: {err}")
        return
    merged = coalesce_tables({}, deep_copy(overrides)) or {}
    merged = coalesce_tables(merged, values) or {}
    schema_path = os.path.join(linter.chart_dir, "values.schema.json")
    if not os.path.exists(schema_path) or skip_schema_validation:
        return
    with open(schema_path, "rb") as fh:
        schema = fh.read()
    if not schema:
        return
    try:
        validate_single(merged, schema)
    except PilothouseError as err:
        linter.rule(ERROR, name, str(err))


# --- templates ----------------------------------------------------------------------------


def template_rules(linter: Linter, values: dict[str, Any], namespace: str, render: Renderer | None,
                   skip_schema_validation: bool, kube_version: str | None = None) -> None:
    """Helm's template rules: render with the values, then check each YAML template's output."""
    from pilothouse.chart.deprecations import deprecation_warning, kube_major_minor
    from pilothouse.chart.loader import load
    from pilothouse.errors import PilothouseError

    kube = kube_major_minor(kube_version)
    tdir = "templates/"
    tpath = os.path.join(linter.chart_dir, "templates")
    if not linter.rule(WARNING, tdir, None if os.path.exists(tpath) else "directory does not exist"):
        return
    if not linter.rule(ERROR, tdir, None if os.path.isdir(tpath) else "not a directory"):
        return
    try:
        chart = load(linter.chart_dir)
    except PilothouseError as err:
        linter.rule(ERROR, tdir, str(err))
        return
    if render is None:
        return
    try:
        rendered = render(chart, values, namespace)
    except PilothouseError as err:
        linter.rule(ERROR, tdir, str(err))
        return
    for tpl in chart.templates:
        fname = tpl.name
        ext = _ext(fname)
        linter.rule(ERROR, fname, None if ext in (".yaml", ".yml", ".tpl", ".txt") else
                    f"file extension '{ext}' not valid. Valid extensions are .yaml, .yml, .tpl, or .txt")
        if ext.lower() not in (".yaml", ".yml"):
            continue
        content = rendered.get(f"{chart.name()}/{fname}", "")
        if not content.strip():
            continue
        linter.rule(WARNING, fname, _top_indent_rule(content))
        for doc in _documents(content):
            try:
                obj = _decode_doc(doc)
            except PilothouseError as err:
                linter.rule(ERROR, fname, f"unable to parse YAML: {err}")
                return
            if not isinstance(obj, dict):
                continue
            kind = str(obj.get("kind") or "")
            meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
            obj_name = str(meta.get("name") or "")
            linter.rule(WARNING, fname, _metadata_name_rule(kind, obj_name))
            linter.rule(WARNING, fname, deprecation_warning(str(obj.get("apiVersion") or ""), kind, kube))
            if kind in ("Deployment", "ReplicaSet", "DaemonSet", "StatefulSet") and \
                    "matchLabels" not in content and "matchExpressions" not in content:
                linter.rule(ERROR, fname, f'a {kind} must contain matchLabels or matchExpressions, and "{obj_name}" '
                                          "does not")
            if kind == "List":
                for item in obj.get("items") or []:
                    ann = ((item or {}).get("metadata") or {}).get("annotations") or {}
                    if isinstance(ann, dict) and "helm.sh/resource-policy" in ann:
                        linter.rule(ERROR, fname, "annotation 'helm.sh/resource-policy' within List objects are "
                                                  "ignored")
                        break


def _ext(name: str) -> str:
    from pilothouse.chart.model import go_ext

    return go_ext(name)


def _documents(content: str) -> list[str] | list[bytes]:
    from pilothouse.goyaml import split_documents

    try:
        return split_documents(content)
    except Exception:  # noqa: BLE001 - a bad separator is reported by the decoder below
        return [content]


def _decode_doc(doc: str | bytes) -> Any:
    from pilothouse import goyaml

    return goyaml.unmarshal(doc, "any")


def _top_indent_rule(content: str) -> str | None:
    from pilothouse.gotemplate.gostrconv import quote as go_quote

    for line in content.split("\n"):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        if line.startswith(" ") or line.startswith("\t"):
            return f"document starts with an illegal indent: {go_quote(line)}, which may cause parsing problems"
        return None
    return None


def _metadata_name_rule(kind: str, name: str) -> str | None:
    from pilothouse.gotemplate.gostrconv import quote as go_quote

    low = kind.lower()
    problems: list[str] = []
    if low == "certificatesigningrequest":
        return None
    if low in ("role", "clusterrole", "rolebinding", "clusterrolebinding"):
        if name in (".", ".."):
            problems.append(f"may not be '{name}'")
        for bad in ("/", "%"):
            if bad in name:
                problems.append(f"may not contain '{bad}'")
    elif low == "service":
        if len(name) > 63:
            problems.append("must be no more than 63 characters")
        if not _DNS1035_LABEL.match(name):
            problems.append(_LABEL_MSG)
    else:
        if len(name) > 253:
            problems.append("must be no more than 253 characters")
        if not _DNS1123_SUBDOMAIN.match(name):
            problems.append(_SUBDOMAIN_MSG)
    if not problems:
        return None
    details = [f"metadata.name: Invalid value: {go_quote(name)}: {p}" for p in problems]
    joined = details[0] if len(details) == 1 else "[" + ", ".join(details) + "]"
    return f"object name does not conform to Kubernetes naming requirements: {go_quote(name)}: {joined}"


# --- dependencies -------------------------------------------------------------------------


def dependency_rules(linter: Linter) -> None:
    """Helm's Dependencies rules."""
    from pilothouse.chart.loader import load_dir
    from pilothouse.errors import PilothouseError

    try:
        chart = load_dir(linter.chart_dir)
    except PilothouseError as err:
        linter.rule(ERROR, "", f"unable to load chart\n\t{err}")
        return
    md = chart.metadata
    assert md is not None
    listed = [d for d in md.dependencies if d is not None]
    listed_names = {d.name for d in listed}
    extra = [c.name() for c in chart.dependencies() if c.name() not in listed_names]
    linter.rule(ERROR, linter.chart_dir,
                f"chart metadata is missing these dependencies: {','.join(extra)}" if extra else None)
    seen: set[str] = set()
    shadowing: list[str] = []
    for d in listed:
        key = d.alias or d.name
        if key in seen:
            shadowing.append(key)
        seen.add(key)
    linter.rule(ERROR, linter.chart_dir,
                f"multiple dependencies with name or alias: {','.join(shadowing)}" if shadowing else None)
    present = {c.name() for c in chart.dependencies()}
    missing = [d.name for d in listed if d.name not in present]
    linter.rule(WARNING, linter.chart_dir,
                f"chart directory is missing these dependencies: {','.join(missing)}" if missing else None)
