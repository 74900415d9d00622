"""``pilot create``: a new chart from the built-in starter or from a starter chart.

The starter (a Deployment, Service, ServiceAccount, optional Ingress/HTTPRoute/HPA, NOTES and a
connection test) lives in ``starter/`` next to this module, with ``<CHARTNAME>`` where the
chart's name goes, as in Helm's starters.
"""

from __future__ import annotations

import os
import re
import sys
from importlib import resources

from pilothouse.errors import ChartError

MAX_CHART_NAME_LENGTH = 250
_CHART_NAME = re.compile(r"^[a-zA-Z0-9._-]+\Z")
PLACEHOLDER = "<CHARTNAME>"

# starter file (package resource) -> path in the new chart, in the order Helm writes them
_STARTER_FILES = [
    ("Chart.yaml", "Chart.yaml"),
    ("values.yaml", "values.yaml"),
    ("helmignore.txt", ".helmignore"),
    ("templates/ingress.yaml", "templates/ingress.yaml"),
    ("templates/httproute.yaml", "templates/httproute.yaml"),
    ("templates/deployment.yaml", "templates/deployment.yaml"),
    ("templates/service.yaml", "templates/service.yaml"),
    ("templates/serviceaccount.yaml", "templates/serviceaccount.yaml"),
    ("templates/hpa.yaml", "templates/hpa.yaml"),
    ("templates/NOTES.txt", "templates/NOTES.txt"),
    ("templates/_helpers.tpl", "templates/_helpers.tpl"),
    ("templates/tests/test-connection.yaml", "templates/tests/test-connection.yaml"),
]


def validate_chart_name(name: str) -> None:
    """Helm's rule for names given to ``create``."""
    if not name or len(name) > MAX_CHART_NAME_LENGTH:
        raise ChartError(f"chart name must be between 1 and {MAX_CHART_NAME_LENGTH} characters")
    if not _CHART_NAME.match(name):
        raise ChartError('chart name must match the regular expression "^[a-zA-Z0-9._-]+$"')


def starter_files(name: str, api_version: str = "v2") -> list[tuple[str, bytes]]:
    """The built-in starter's files for a chart called ``name``: (relative path, content)."""
    root = resources.files("pilothouse.chart") / "starter"
    out = []
    for src, dest in _STARTER_FILES:
        text = (root / src).read_text(encoding="utf-8")
        if dest == "Chart.yaml" and api_version != "v2":
            text = text.replace("apiVersion: v2\n", f"apiVersion: {api_version}\n", 1)
        out.append((dest, text.replace(PLACEHOLDER, name).encode("utf-8")))
    return out


def create(name: str, directory: str = ".", api_version: str = "v2") -> str:
    """Write a new chart ``directory/name`` from the built-in starter; returns its path.

    Existing files are overwritten with a warning on stderr, as Helm does.
    """
    validate_chart_name(name)
    path = os.path.abspath(directory)
    if not os.path.exists(path):
        raise ChartError(f"stat {path}: no such file or directory")
    if not os.path.isdir(path):
        raise ChartError(f"no such directory {path}")
    cdir = os.path.join(path, name)
    if os.path.exists(cdir) and not os.path.isdir(cdir):
        raise ChartError(f"file {cdir} already exists and is not a directory")
    for rel, content in starter_files(name, api_version):
        target = os.path.join(cdir, rel)
        if os.path.exists(target):
            print(f'WARNING: File "{target}" already exists. Overwriting.', file=sys.stderr)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as fh:
            fh.write(content)
    os.makedirs(os.path.join(cdir, "charts"), exist_ok=True)
    return cdir


def create_from(name: str, directory: str, starter: str, api_version: str = "v2") -> str:
    """Write a new chart from a starter chart directory, replacing ``<CHARTNAME>`` in
    templates and values.yaml and setting the new chart's Chart.yaml."""
    from pilothouse.chart.loader import load

    validate_chart_name(name)
    try:
        src = load(starter)
    except ChartError as err:
        raise ChartError(f"could not load {starter}: {err}") from None
    cdir = os.path.join(os.path.abspath(directory), name)
    os.makedirs(cdir, exist_ok=True)
    # Helm writes the new metadata re-serialised, so its keys come out sorted
    chart_yaml = (
        f"apiVersion: {api_version}\nappVersion: 0.1.0\ndescription: A Helm chart for Kubernetes\nname: {name}\n"
        "type: application\nversion: 0.1.0\n"
    )
    _write(cdir, "Chart.yaml", chart_yaml.encode("utf-8"))
    for f in src.raw:
        if f.name in ("Chart.yaml", "Chart.lock", "requirements.lock"):
            continue
        data = f.data
        if f.name == "values.yaml" or f.name.startswith("templates/"):
            data = data.decode("utf-8", errors="surrogateescape").replace(PLACEHOLDER, name).encode(
                "utf-8", errors="surrogateescape")
        _write(cdir, f.name, data)
    return cdir


def _write(cdir: str, rel: str, data: bytes) -> None:
    target = os.path.join(cdir, rel)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "wb") as fh:
        fh.write(data)
