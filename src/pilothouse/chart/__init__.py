"""Charts and values: loading, Chart.yaml, dependencies, values coalescing, schemas.

The path every render takes (``template``, ``install``, ``upgrade``)::

    from pilothouse.chart import (load, check_dependencies, ValueOptions,
                                  process_dependencies, coalesce_values, validate_schemas)

    chart = load("path/to/chart")            # directory, .tgz file, or archive bytes
    check_dependencies(chart)                # Chart.yaml deps must be present in charts/
    vals = ValueOptions(value_files=["my.yaml"], values=["a.b=1"]).merge_values()
    process_dependencies(chart, vals)        # conditions, tags, aliases, import-values
    coalesced = coalesce_values(chart, vals) # a `Values` map: .Values of the root chart
    validate_schemas(chart, coalesced)       # values.schema.json of every enabled chart

Then walk ``chart`` and ``chart.dependencies()`` (recursively) for ``templates``, ``files``
and ``metadata``; a subchart's ``.Values`` is ``coalesced[sub.name()]``. ``.Chart`` is
``chart.metadata.as_go_map()``. Every error a user can cause is a `ChartError` or a
`ValuesError` with Helm's message.

Modules: `model` (Chart, Metadata, Dependency, File), `loader`, `ignore` (.helmignore),
`metadata` (Chart.yaml decoding/validation), `values` (coalescing, `Values`), `dependencies`,
`strvals` (``--set`` syntax), `options` (`ValueOptions`), `schema`, `create`, `lint`. Values
files are read by `pilothouse.goyaml.load_values`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pilothouse.chart.dependencies import check_dependencies, process_dependencies
    from pilothouse.chart.loader import load
    from pilothouse.chart.model import Chart, Dependency, File, Maintainer, Metadata
    from pilothouse.chart.options import ValueOptions
    from pilothouse.chart.schema import validate_schemas
    from pilothouse.chart.values import Values, coalesce_values

_EXPORTS = {
    "load": "loader",
    "Chart": "model",
    "Dependency": "model",
    "File": "model",
    "Maintainer": "model",
    "Metadata": "model",
    "ValueOptions": "options",
    "process_dependencies": "dependencies",
    "check_dependencies": "dependencies",
    "coalesce_values": "values",
    "Values": "values",
    "validate_schemas": "schema",
}

__all__ = [
    "Chart",
    "Dependency",
    "File",
    "Maintainer",
    "Metadata",
    "ValueOptions",
    "Values",
    "check_dependencies",
    "coalesce_values",
    "load",
    "process_dependencies",
    "validate_schemas",
]


def __getattr__(name: str) -> Any:
    # submodules are imported on first use, so `import pilothouse.chart` stays cheap
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'pilothouse.chart' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"pilothouse.chart.{module}"), name)
