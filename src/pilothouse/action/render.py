"""Rendering a chart the way `helm install` does before it talks to a cluster.

`prepare_render` turns a chart and user values into Helm's render values (dependencies
processed, values coalesced, schemas checked); `render_resources` renders them and assembles
the release manifest, hooks and notes. `pilot template`, install and upgrade all go through here.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pilothouse.errors import ChartError, PilothouseError
from pilothouse.manifest import Hook, Manifest, sort_manifests

NOTES_SUFFIX = "NOTES.txt"


@dataclass
class Rendered:
    """What rendering a release produced."""

    hooks: list[Hook]
    manifests: list[Manifest]
    manifest: str
    notes: str
    files: dict[str, str] = field(default_factory=dict)


class RenderFailed(PilothouseError):
    """Rendering failed after templates ran: carries the raw files for `--debug` output."""

    def __init__(self, message: str, raw: str = "") -> None:
        super().__init__(message)
        self.raw = raw


def check_installable(chart: Any) -> None:
    """Only application charts can be installed or rendered as a release."""
    kind = chart.metadata.type or ""
    if kind not in ("", "application"):
        raise ChartError(f"{kind} charts are not installable")


def check_dependencies(chart: Any) -> None:
    """Every dependency Chart.yaml names must be present under charts/ (Helm's CheckDependencies)."""
    # imported here: the chart package's dependency code is not needed until a chart is rendered
    from pilothouse.chart.dependencies import check_dependencies as check

    check(chart)


def check_chart(chart: Any) -> None:
    """The checks before any render: an application chart with all its dependencies present."""
    check_installable(chart)
    check_dependencies(chart)


def prepare_render(chart: Any, user_values: Mapping[str, Any], *, name: str, namespace: str, revision: int = 1,
                   is_upgrade: bool = False, is_install: bool | None = None, kube_version: str | None = None,
                   api_versions: Iterable[str] = (), capabilities: Any = None,
                   skip_schema_validation: bool = False) -> dict[str, Any]:
    """Process dependencies, coalesce values, validate schemas; return Helm's render values."""
    from pilothouse.chart import coalesce_values, process_dependencies, validate_schemas
    from pilothouse.engine.context import Capabilities, release_map
    from pilothouse.engine.render import render_values

    vals = dict(user_values)
    process_dependencies(chart, vals)
    coalesced = coalesce_values(chart, vals)
    # values/v1: ref+SCHEME:// strings resolved by their providers (the caller keeps the references)
    from pilothouse.plugin.types.values import resolve_references

    coalesced = resolve_references(coalesced)
    if not skip_schema_validation:
        validate_schemas(chart, coalesced)
    if capabilities is None:
        try:
            capabilities = Capabilities(kube_version, api_versions)
        except ValueError as err:
            raise PilothouseError(f"invalid kube version '{kube_version}': {err}") from None
    release = release_map(name, namespace, revision=revision, is_upgrade=is_upgrade, is_install=is_install)
    return render_values(coalesced, release=release, capabilities=capabilities)


def check_kube_version(chart: Any, capabilities: Any) -> None:
    """The chart's ``kubeVersion`` constraint must admit the target cluster's version."""
    constraint = chart.metadata.kube_version
    if not constraint:
        return
    from pilothouse.semver import Constraints, SemverError, Version

    try:
        ok = Constraints.parse(constraint).check(Version.parse(capabilities.KubeVersion.String()))
    except SemverError:
        ok = False
    if not ok:
        raise ChartError(f"chart requires kubeVersion: {constraint} which is incompatible with "
                         f"Kubernetes {capabilities.KubeVersion.Version}")


def render_files(chart: Any, top: Mapping[str, Any], *, engine: Any = None) -> dict[str, str]:
    """Helm's engine-level render: template key → rendered text."""
    from pilothouse.engine.render import Engine

    return (engine or Engine()).render(chart, top)


def _source_block(path: str, content: str) -> str:
    return f"---\n# Source: {path}\n{content}\n"


def render_resources(chart: Any, top: Mapping[str, Any], *, include_crds: bool = False, sub_notes: bool = False,
                     hide_secret: bool = False, post_render: Callable[[str], str] | None = None,
                     engine: Any = None, output_dir: str | None = None, release_dir: str | None = None,
                     written: set[str] | None = None, gate: Callable[..., None] | None = None) -> Rendered:
    """Render and assemble a release: manifest text, sorted hooks, notes (Helm's renderResources).

    With ``output_dir`` the manifests are written to files (as `helm template --output-dir`) and
    the returned manifest text is empty.
    """
    check_kube_version(chart, top["Capabilities"])
    files = render_files(chart, top, engine=engine)
    notes_parts: list[str] = []
    root_notes = posixpath.join(chart.metadata.name, "templates", NOTES_SUFFIX)
    for key in sorted(files):
        if key.endswith(NOTES_SUFFIX):
            if sub_notes or key == root_notes:
                notes_parts.append(files[key])
            del files[key]
    notes = "\n".join(notes_parts)
    if post_render is not None:
        from pilothouse.action.postrender import apply_post_renderer

        files = apply_post_renderer(files, post_render)
    try:
        hooks, manifests = sort_manifests(files)
    except PilothouseError as err:
        raw = "".join(_source_block(n, c) for n, c in files.items() if c.strip())
        raise RenderFailed(str(err), raw) from None
    if gate is not None:
        # policy/v1: the post-rendered documents, before anything is printed or sent
        gate([(m.name, m.content, m.head.data) for m in manifests] + [(h.path, h.manifest) for h in hooks], top)
    out: list[str] = []
    written = set() if written is None else written
    if include_crds:
        for crd in _crd_objects(chart):
            if output_dir is None:
                out.append(_source_block(crd[0], crd[1]))
            else:
                write_output_file(output_dir, crd[0], crd[1], written)
    for m in manifests:
        if output_dir is None:
            if hide_secret and m.head.kind == "Secret" and m.head.api_version == "v1":
                out.append(f"---\n# Source: {m.name}\n# HIDDEN: The Secret output has been suppressed\n")
            else:
                out.append(_source_block(m.name, m.content))
        else:
            write_output_file(release_dir or output_dir, m.name, m.content, written)
    return Rendered(hooks, manifests, "".join(out), notes, files)


def _crd_objects(chart: Any) -> list[tuple[str, str]]:
    """(Source path, raw text) of every CRD file of the chart and its subcharts, in Helm's order."""
    out = []
    for crd in chart.crd_objects():
        data = crd.file.data
        out.append((crd.filename, data.decode("utf-8", "replace") if isinstance(data, bytes) else data))
    return out


def write_output_file(out_dir: str, name: str, content: str, written: set[str]) -> None:
    """Append (or, the first time, write) a document to ``out_dir/name`` as Helm's --output-dir does;
    a name that would leave ``out_dir`` is refused (see `pilothouse.action.outputdir`)."""
    from pilothouse.action.outputdir import write_file

    path = write_file(out_dir, name, f"---\n# Source: {name}\n{content}\n", append=name in written)
    written.add(name)
    print(f"wrote {path}")


def render(chart: Any, *, values_files: Sequence[str] = (), values: Mapping[str, Any] | None = None,
           name: str = "release-name", namespace: str = "default", revision: int = 1, is_upgrade: bool = False,
           kube_version: str | None = None, api_versions: Iterable[str] = ()) -> dict[str, str]:
    """Render a chart with Helm's engine semantics and return ``{template key: text}``.

    ``chart`` is a path (directory or archive) or a loaded chart. ``values_files`` are read as
    ``-f`` files, then ``values`` is merged over them (as `--set-json` would be). The result is
    Helm's engine-level map: every non-partial template of the chart and its enabled subcharts,
    NOTES.txt included, with no ``# Source:`` headers and no sorting.
    """
    from pilothouse.chart import ValueOptions, load

    if isinstance(chart, (str, os.PathLike)):
        chart = load(os.fspath(chart))
    user = ValueOptions(value_files=list(values_files)).merge_values()
    if values:
        from pilothouse.goyaml.values import merge_maps

        user = merge_maps(user, dict(values))
    top = prepare_render(chart, user, name=name, namespace=namespace, revision=revision, is_upgrade=is_upgrade,
                         kube_version=kube_version, api_versions=api_versions)
    return render_files(chart, top)
