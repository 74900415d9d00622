"""The chart model: a loaded chart, its Chart.yaml metadata, lock and files.

Mirrors Helm's ``pkg/chart/v2`` types. Field names are Python's; `Metadata.as_go_map` and
`Metadata.to_dict` give the two Go views of the same data (the `.Chart` object templates see,
and the JSON/YAML form Helm serialises).
"""

from __future__ import annotations

import copy
import posixpath
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pilothouse.gotemplate.gotypes import StrMap

APIVERSION_V1 = "v1"
APIVERSION_V2 = "v2"


@dataclass
class File:
    """A file of a chart: its slash path relative to the chart root and its bytes."""

    name: str
    data: bytes
    modtime: datetime | None = None


@dataclass
class Maintainer:
    """One entry of Chart.yaml ``maintainers``."""

    name: str = ""
    email: str = ""
    url: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (empty fields omitted, as Go's ``omitempty`` does)."""
        out: dict[str, Any] = {}
        for key, val in (("name", self.name), ("email", self.email), ("url", self.url)):
            if val:
                out[key] = val
        return out

    def as_go_map(self) -> dict[str, Any]:
        """The map templates see inside ``.Chart.Maintainers``."""
        return {"Name": self.name, "Email": self.email, "URL": self.url}


@dataclass
class Dependency:
    """One entry of Chart.yaml ``dependencies`` (or requirements.yaml, or a lock file)."""

    name: str = ""
    version: str = ""
    repository: str = ""
    condition: str = ""
    tags: list[str] = field(default_factory=list)
    enabled: bool = False
    import_values: list[Any] = field(default_factory=list)
    alias: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The JSON form with Helm's tags (``name`` and ``repository`` always present)."""
        out: dict[str, Any] = {"name": self.name}
        if self.version:
            out["version"] = self.version
        out["repository"] = self.repository
        if self.condition:
            out["condition"] = self.condition
        if self.tags:
            out["tags"] = list(self.tags)
        if self.enabled:
            out["enabled"] = True
        if self.import_values:
            out["import-values"] = copy.deepcopy(self.import_values)
        if self.alias:
            out["alias"] = self.alias
        return out

    def as_go_map(self) -> dict[str, Any]:
        """The map templates see inside ``.Chart.Dependencies``."""
        return {
            "Name": self.name,
            "Version": self.version,
            "Repository": self.repository,
            "Condition": self.condition,
            "Tags": list(self.tags),
            "Enabled": self.enabled,
            "ImportValues": list(self.import_values),
            "Alias": self.alias,
        }


@dataclass
class Metadata:
    """Chart.yaml, every field Helm knows, in Helm's declaration order."""

    name: str = ""
    home: str = ""
    sources: list[str] = field(default_factory=list)
    version: str = ""
    description: str = ""
    keywords: list[str] = field(default_factory=list)
    maintainers: list[Maintainer | None] = field(default_factory=list)
    icon: str = ""
    api_version: str = ""
    condition: str = ""
    tags: str = ""
    app_version: str = ""
    deprecated: bool = False
    annotations: dict[str, str] | None = None
    kube_version: str = ""
    dependencies: list[Dependency | None] = field(default_factory=list)
    type: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The JSON form Helm writes (``helm show chart``, release records): empty fields omitted."""
        out: dict[str, Any] = {}

        def put(key: str, val: Any) -> None:
            if val:
                out[key] = val

        put("name", self.name)
        put("home", self.home)
        put("sources", list(self.sources))
        put("version", self.version)
        put("description", self.description)
        put("keywords", list(self.keywords))
        put("maintainers", [m.to_dict() if m else None for m in self.maintainers])
        put("icon", self.icon)
        put("apiVersion", self.api_version)
        put("condition", self.condition)
        put("tags", self.tags)
        put("appVersion", self.app_version)
        put("deprecated", self.deprecated)
        put("annotations", dict(self.annotations) if self.annotations else None)
        put("kubeVersion", self.kube_version)
        put("dependencies", [d.to_dict() if d else None for d in self.dependencies])
        put("type", self.type)
        return out

    def as_go_map(self) -> dict[str, Any]:
        """``.Chart`` as templates see it: Go field names as keys (Helm's structToMap)."""
        return {
            "Name": self.name,
            "Home": self.home,
            "Sources": list(self.sources),
            "Version": self.version,
            "Description": self.description,
            "Keywords": list(self.keywords),
            "Maintainers": [m.as_go_map() if m else None for m in self.maintainers],
            "Icon": self.icon,
            "APIVersion": self.api_version,
            "Condition": self.condition,
            "Tags": self.tags,
            "AppVersion": self.app_version,
            "Deprecated": self.deprecated,
            # a Go nil map prints as map[] and reads as empty: an empty StrMap behaves the same
            "Annotations": StrMap(self.annotations or {}),
            "KubeVersion": self.kube_version,
            "Dependencies": [d.as_go_map() if d else None for d in self.dependencies],
            "Type": self.type,
        }

    def validate(self) -> None:
        """Sanitise string fields and check the rules Helm enforces; raises `ChartError`."""
        from pilothouse.chart.metadata import validate_metadata

        validate_metadata(self)


@dataclass
class Lock:
    """Chart.lock / requirements.lock."""

    generated: str = ""
    digest: str = ""
    dependencies: list[Dependency | None] = field(default_factory=list)


@dataclass
class CRD:
    """A CRD file with the path Helm reports for it (``chart/charts/sub/crds/x.yaml``)."""

    name: str
    filename: str
    file: File


class Chart:
    """A loaded chart and, through `dependencies()`, its subcharts.

    ``templates`` and ``files`` keep load order (sorted paths for directories, archive order for
    archives). ``raw`` holds every file as loaded, Chart.yaml and values.yaml included.
    """

    def __init__(self) -> None:
        self.metadata: Metadata | None = None
        self.lock: Lock | None = None
        self.templates: list[File] = []
        self.values: dict[str, Any] = {}
        self.schema: bytes | None = None
        self.schema_modtime: datetime | None = None
        self.files: list[File] = []
        self.raw: list[File] = []
        self.modtime: datetime | None = None
        self.parent: Chart | None = None
        self._dependencies: list[Chart] = []

    def __repr__(self) -> str:
        return f"<Chart {self.chart_full_path()!r}>"

    # --- tree -------------------------------------------------------------------------------

    def dependencies(self) -> list[Chart]:
        """The subcharts (after `process_dependencies`, only the enabled ones)."""
        return self._dependencies

    def set_dependencies(self, *charts: Chart) -> None:
        """Replace the subcharts."""
        self._dependencies = []
        self.add_dependency(*charts)

    def add_dependency(self, *charts: Chart) -> None:
        """Append subcharts and make this chart their parent."""
        for sub in charts:
            sub.parent = self
            self._dependencies.append(sub)

    def is_root(self) -> bool:
        """True for the top-level chart."""
        return self.parent is None

    def root(self) -> Chart:
        """The top-level chart of this tree."""
        return self if self.parent is None else self.parent.root()

    # --- names ------------------------------------------------------------------------------

    def name(self) -> str:
        """The chart's name (the alias, for an aliased dependency after processing)."""
        return self.metadata.name if self.metadata else ""

    def app_version(self) -> str:
        """Chart.yaml ``appVersion``."""
        return self.metadata.app_version if self.metadata else ""

    def chart_path(self) -> str:
        """Dotted path from the root: ``parent.sub``."""
        if self.parent is not None:
            return self.parent.chart_path() + "." + self.name()
        return self.name()

    def chart_full_path(self) -> str:
        """Slash path from the root as used in template names: ``parent/charts/sub``."""
        if self.parent is not None:
            return self.parent.chart_full_path() + "/charts/" + self.name()
        return self.name()

    def is_library(self) -> bool:
        """True when Chart.yaml says ``type: library``."""
        return bool(self.metadata and self.metadata.type == "library")

    def validate(self) -> None:
        """Validate the metadata (raises `ChartError`)."""
        if self.metadata is None:
            from pilothouse.errors import ChartError

            raise ChartError("validation: chart.metadata is required")
        self.metadata.validate()

    # --- CRDs -------------------------------------------------------------------------------

    def crds(self) -> list[File]:
        """Files under ``crds/`` with a manifest extension, this chart's first, then subcharts'."""
        out = [f for f in self.files if f.name.startswith("crds/") and _manifest_ext(f.name)]
        for dep in self._dependencies:
            out.extend(dep.crds())
        return out

    def crd_objects(self) -> list[CRD]:
        """Like `crds` but with the full path Helm prints for each file."""
        out = [
            CRD(f.name, posixpath.join(self.chart_full_path(), f.name), f)
            for f in self.files
            if f.name.startswith("crds/") and _manifest_ext(f.name)
        ]
        for dep in self._dependencies:
            out.extend(dep.crd_objects())
        return out

    def shallow_copy(self) -> Chart:
        """A copy sharing files and values but with its own metadata and subchart list."""
        out = copy.copy(self)
        out.metadata = copy.deepcopy(self.metadata)
        out._dependencies = []
        return out


def go_ext(name: str) -> str:
    """Go's filepath.Ext: from the last dot of the last element (``.yaml`` for ``a/.yaml``)."""
    base = name.rsplit("/", 1)[-1]
    dot = base.rfind(".")
    return base[dot:] if dot >= 0 else ""


def _manifest_ext(name: str) -> bool:
    return go_ext(name).lower() in (".yaml", ".yml", ".json")
