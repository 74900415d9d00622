"""Host functions ``chart_*``: the files of the chart being processed, and rendering it.

Names are chart-relative slash paths, looked up among the files the chart loader read (never on
the disk): an absolute name, a ``..`` segment, a backslash or a NUL byte stops the plugin.
"""

from __future__ import annotations

import base64
from typing import Any

from pilothouse.plugin import grants
from pilothouse.plugin.host import Call, HostDenied, HostFailure
from pilothouse.plugin.host.context import current

MAX_VALUES = 4 << 20


def _chart(c: Call, what: str) -> Any:
    if not grants.chart_allowed(c.grant, what):
        raise c.deny(f"no grant to {'read chart files' if what == 'files' else 'render charts'} "
                     f"(runtimeConfig.chart.{what})")
    chart = current().chart
    if chart is None:
        raise HostFailure(404, "NotFound", "no chart is being processed in this call")
    return chart


def _clean(c: Call, name: str) -> str:
    if name.startswith("/") or "\\" in name or any(p in ("..", ".") for p in name.split("/")) or "//" in name:
        raise HostDenied(f'plugin "{c.plugin}": chart_file: invalid name {name!r} (a relative path inside the '
                         "chart, no \"..\")")
    return name


def chart_file(c: Call, req: dict[str, Any]) -> Any:
    """``{path}`` → ``{path, text}`` (UTF-8) or ``{path, base64}``; ``{}`` → the list of paths."""
    chart = _chart(c, "files")
    path = c.string(req, "path", required=False, limit=4096)
    files = {f.name: f.data for f in chart.raw}
    if not path:
        return {"paths": sorted(files)}
    path = _clean(c, path)
    data = files.get(path)
    if data is None:
        raise HostFailure(404, "NotFound", f"the chart has no file {path}")
    data = data if isinstance(data, bytes) else str(data).encode()
    try:
        return {"path": path, "text": data.decode("utf-8")}
    except UnicodeDecodeError:
        return {"path": path, "base64": base64.b64encode(data).decode()}


def _local_chart(c: Call, path: str) -> Any:
    import os

    from pilothouse.errors import PilothouseError

    if not path.startswith("/") or ".." in path.split("/") or "\x00" in path:
        raise HostDenied(f'plugin "{c.plugin}": chart_render: invalid chart path {path!r} (an absolute path, no "..")')
    real = os.path.realpath(path)
    # both the path asked for and where it really leads (symlinks) must be granted
    if not (grants.local_chart_allowed(c.grant, path) and grants.local_chart_allowed(c.grant, real)):
        raise c.deny(f"no grant to render the chart at {path} (runtimeConfig chart.local)")
    from pilothouse.chart import load

    try:
        return load(real)
    except PilothouseError as err:
        raise HostFailure(422, "InvalidChart", str(err)) from None


def chart_render(c: Call, req: dict[str, Any]) -> Any:
    """``{chart?, values?, releaseName?, namespace?, isUpgrade?}`` → ``{manifests: {template: text},
    notes}``: the chart being processed (or the local chart at the absolute path ``chart``, when
    ``chart.local`` grants it) rendered through the engine with these values (no cluster access:
    ``lookup`` returns nothing, as in `pilot template`)."""
    if not grants.chart_allowed(c.grant, "render"):
        raise c.deny("no grant to render charts (runtimeConfig chart.render)")
    ref = c.string(req, "chart", required=False, limit=4096)
    chart = _local_chart(c, ref) if ref else _chart(c, "render")
    values = req.get("values") or {}
    if not isinstance(values, dict):
        raise HostDenied(f'plugin "{c.plugin}": chart_render: "values" must be an object')
    from pilothouse.action.render import prepare_render, render_files
    from pilothouse.errors import PilothouseError

    name = c.string(req, "releaseName", required=False, limit=53) or "release-name"
    namespace = c.string(req, "namespace", required=False, limit=63) or "default"
    try:
        top = prepare_render(chart, values, name=name, namespace=namespace, revision=1,
                             is_upgrade=bool(req.get("isUpgrade")))
        files = render_files(chart, top)
    except PilothouseError as err:
        raise HostFailure(422, "RenderFailed", str(err)) from None
    notes = {k: v for k, v in files.items() if k.endswith("NOTES.txt")}
    return {"manifests": {k: v for k, v in sorted(files.items()) if k not in notes and v.strip()},
            "notes": "".join(notes.values())}
