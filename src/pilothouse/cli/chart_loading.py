"""Loading the chart install and upgrade act on, with ``--dependency-update`` as Helm's runInstall has it."""

from __future__ import annotations

from typing import IO, Any


def load_release_chart(path: str, *, dependency_update: bool, keyring: str = "", out: IO[str] | None = None,
                       install: bool = False) -> Any:
    """The chart at ``path``; when its dependencies are missing and ``dependency_update`` is set, the
    dependency manager fills ``charts/`` first and the chart is loaded again.

    Without the flag the chart is returned as it is: the action's own check reports what is missing.
    ``install`` does what Helm's runInstall (install, template, upgrade --install) does first: refuse a chart
    that is not installable, then warn about a deprecated one.
    """
    from pilothouse.action.render import check_dependencies, check_installable
    from pilothouse.chart import load
    from pilothouse.errors import ChartError, PilothouseError

    chart = load(path)
    if install:
        check_installable(chart)
        warn_if_deprecated(chart)
    if not dependency_update or chart.metadata is None or not chart.metadata.dependencies:
        return chart
    check_installable(chart)  # Helm refuses a library chart before looking at its dependencies
    try:
        check_dependencies(chart)
        return chart
    except ChartError:
        pass
    import sys

    from pilothouse.action.dependency import Manager

    Manager(chart_path=path, keyring=keyring, out=out or sys.stdout).update()
    try:
        return load(path)
    except PilothouseError as err:
        raise ChartError(f"failed reloading chart after repo update: {err}") from None


def warn_if_deprecated(chart: Any) -> None:
    """Helm's ``this chart is deprecated`` warning for a chart whose Chart.yaml says ``deprecated: true``."""
    if chart.metadata is not None and chart.metadata.deprecated:
        from pilothouse import slog

        slog.warn("this chart is deprecated")
