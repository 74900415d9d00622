"""The objects a chart template sees: `.Values`, `.Files`, `.Capabilities`, `.Chart`, `.Release`.

Each is the Go type Helm hands to templates, with the same methods and printing, so that
`typeOf`, `toYaml`, `{{ . }}` and method calls (`.Files.Glob`, `.Capabilities.APIVersions.Has`)
behave as in Helm v4.2.
"""

from __future__ import annotations

import base64
import posixpath
import re
from collections.abc import Iterable
from typing import Any, ClassVar

from pilothouse.chart.values import Values
from pilothouse.gotemplate.gotypes import GoObject, JSONStruct, StrList, StrMap, gofunc

# What Helm v4.2.3 reports about itself to templates (`.Capabilities.HelmVersion`).
HELM_VERSION = "v4.2"
HELM_GO_VERSION = "go1.26.6"
KUBE_CLIENT_VERSION = "v1.36"
DEFAULT_KUBE_VERSION = "v1.36.0"

# Client-only `.Capabilities.APIVersions`: the group/versions client-go v0.36 registers, in its order.
DEFAULT_API_VERSIONS: tuple[str, ...] = (
    "v1", "admissionregistration.k8s.io/v1", "admissionregistration.k8s.io/v1alpha1",
    "admissionregistration.k8s.io/v1beta1", "internal.apiserver.k8s.io/v1alpha1", "apps/v1", "apps/v1beta1",
    "apps/v1beta2", "authentication.k8s.io/v1", "authentication.k8s.io/v1alpha1", "authentication.k8s.io/v1beta1",
    "authorization.k8s.io/v1", "authorization.k8s.io/v1beta1", "autoscaling/v1", "autoscaling/v2", "batch/v1",
    "batch/v1beta1", "certificates.k8s.io/v1", "certificates.k8s.io/v1beta1", "certificates.k8s.io/v1alpha1",
    "coordination.k8s.io/v1alpha2", "coordination.k8s.io/v1beta1", "coordination.k8s.io/v1", "discovery.k8s.io/v1",
    "discovery.k8s.io/v1beta1", "events.k8s.io/v1", "events.k8s.io/v1beta1", "extensions/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1", "flowcontrol.apiserver.k8s.io/v1beta1", "flowcontrol.apiserver.k8s.io/v1beta2",
    "flowcontrol.apiserver.k8s.io/v1beta3", "networking.k8s.io/v1", "networking.k8s.io/v1beta1", "node.k8s.io/v1",
    "node.k8s.io/v1alpha1", "node.k8s.io/v1beta1", "policy/v1", "policy/v1beta1", "rbac.authorization.k8s.io/v1",
    "rbac.authorization.k8s.io/v1beta1", "rbac.authorization.k8s.io/v1alpha1", "resource.k8s.io/v1",
    "resource.k8s.io/v1beta2", "resource.k8s.io/v1beta1", "resource.k8s.io/v1alpha3", "scheduling.k8s.io/v1alpha2",
    "scheduling.k8s.io/v1beta1", "scheduling.k8s.io/v1", "storage.k8s.io/v1beta1", "storage.k8s.io/v1",
    "storage.k8s.io/v1alpha1", "storagemigration.k8s.io/v1beta1", "apiextensions.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1",
)


def table_at(values: dict, dotted: str) -> Values | None:
    """Helm's `Values.Table`: the nested map at ``a.b.c`` as a `Values`.

    Go re-types the same map without copying; Python cannot, so the result is a shallow copy
    (nested maps stay shared). The map stored in the parent keeps its plain type, which matters:
    Sprig's `dig` refuses a `common.Values` where it expects a `map[string]interface {}`.
    """
    current: Any = values
    for part in dotted.split("."):
        if not isinstance(current, dict):
            return None
        current = current.get(part)
        if not isinstance(current, dict):
            return None
    return current if isinstance(current, Values) else Values(current)


def _glob_regex(pattern: str) -> re.Pattern[str] | None:
    """gobwas/glob with '/' as separator: `*`/`?` stay within a segment, `**` crosses them."""
    out: list[str] = []
    i, n = 0, len(pattern)
    depth = 0
    while i < n:
        c = pattern[i]
        if c == "\\":
            if i + 1 >= n:
                return None
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        if c == "*":
            if i + 1 < n and pattern[i + 1] == "*":
                out.append(".*")
                i += 2
            else:
                out.append("[^/]*")
                i += 1
            continue
        if c == "?":
            out.append("[^/]")
        elif c == "[":
            end = pattern.find("]", i + 1)
            if end < 0:
                return None
            body = pattern[i + 1:end]
            neg = body.startswith("!")
            if neg:
                body = body[1:]
            if not body:
                return None
            out.append("[" + ("^" if neg else "") + body.replace("\\", "\\\\") + "]")
            i = end + 1
            continue
        elif c == "{":
            depth += 1
            out.append("(?:")
        elif c == "}" and depth:
            depth -= 1
            out.append(")")
        elif c == "," and depth:
            out.append("|")
        else:
            out.append(re.escape(c))
        i += 1
    if depth:
        return None
    try:
        return re.compile("".join(out), re.S)
    except re.error:
        return None


class Files(dict):
    """Helm's `engine.files`: chart files by name, with Get/GetBytes/Glob/Lines/AsConfig/AsSecrets."""

    __slots__ = ()
    go_type: ClassVar[str] = "engine.files"
    go_kind: ClassVar[str] = "map"
    go_methods: ClassVar[frozenset[str]] = frozenset({"Get", "GetBytes", "Glob", "Lines", "AsConfig", "AsSecrets"})
    zero: ClassVar[Any] = None

    @gofunc("string")
    def GetBytes(self, name: str) -> bytes:  # noqa: N802
        return self.get(name, b"")

    @gofunc("string")
    def Get(self, name: str) -> str:  # noqa: N802
        return self.get(name, b"").decode("utf-8", "replace")

    @gofunc("string")
    def Glob(self, pattern: str) -> Files:  # noqa: N802
        rx = _glob_regex(pattern)
        if rx is None:  # an invalid pattern matches everything, as in Helm
            return Files(self)
        return Files({k: v for k, v in self.items() if rx.fullmatch(k)})

    @gofunc("string")
    def Lines(self, path: str) -> StrList:  # noqa: N802
        data = self.get(path)
        if not data:
            return StrList()
        text = data.decode("utf-8", "replace")
        if text.endswith("\n"):
            text = text[:-1]
        return StrList(text.split("\n"))

    def AsConfig(self) -> str:  # noqa: N802
        from pilothouse.funcs.serialization import to_yaml  # Helm's files.go uses its toYAML

        m = StrMap({posixpath.basename(k): v.decode("utf-8", "replace") for k, v in self.items()})
        return to_yaml(m)

    def AsSecrets(self) -> str:  # noqa: N802
        from pilothouse.funcs.serialization import to_yaml

        m = StrMap({posixpath.basename(k): base64.b64encode(v).decode() for k, v in self.items()})
        return to_yaml(m)


class VersionSet(StrList):
    """`.Capabilities.APIVersions` (common.VersionSet) with its `Has` method."""

    __slots__ = ()
    go_type: ClassVar[str] = "common.VersionSet"
    go_methods: ClassVar[frozenset[str]] = frozenset({"Has"})

    @gofunc("string")
    def Has(self, api_version: str) -> bool:  # noqa: N802
        return api_version in self


class KubeVersion(GoObject):
    """`.Capabilities.KubeVersion`: the full version, its normalised form (String()), Major and Minor."""

    go_type = "common.KubeVersion"
    go_fields = ("Version", "Major", "Minor")
    go_all_fields = ("Version", "normalizedVersion", "Major", "Minor")
    go_methods = frozenset({"String", "GitVersion"})

    def __init__(self, version: str, normalized: str, major: str, minor: str) -> None:
        self.Version = version
        self.normalized = normalized
        self.normalizedVersion = normalized  # noqa: N815 - Go's unexported field, as %v prints it
        self.Major = major
        self.Minor = minor

    @classmethod
    def parse(cls, version: str) -> KubeVersion:
        """Kubernetes' ParseGeneric: ``[v]MAJOR.MINOR[.PATCH][suffix]`` (Helm's --kube-version)."""
        m = re.match(r"^\s*v?([0-9]+(?:\.[0-9]+){1,2})(.*)$", version)
        if not m:
            raise ValueError(f'could not parse "{version}" as version')
        nums = [int(p) for p in m.group(1).split(".")]
        while len(nums) < 3:
            nums.append(0)
        git = version if version.startswith("v") else "v" + version
        return cls(git, "v{}.{}.{}".format(*nums), str(nums[0]), str(nums[1]))

    def String(self) -> str:  # noqa: N802
        return self.normalized or self.Version

    def GitVersion(self) -> str:  # noqa: N802
        return self.Version

    def go_ptr_string(self) -> str:
        # Helm declares String() on *KubeVersion: printed by the template it is "v1.36.0",
        # passed to printf/quote/toString it is the struct "{v1.36.0 v1.36.0 1 36}".
        return self.String()

    def go_json(self) -> JSONStruct:
        return JSONStruct(Version=self.Version, Major=self.Major, Minor=self.Minor)


class BuildInfo(GoObject):
    """`.Capabilities.HelmVersion` (Helm's version.BuildInfo)."""

    go_type = "version.BuildInfo"
    go_fields = ("Version", "GitCommit", "GitTreeState", "GoVersion", "KubeClientVersion")

    def __init__(self) -> None:
        self.Version = HELM_VERSION
        self.GitCommit = ""
        self.GitTreeState = ""
        self.GoVersion = HELM_GO_VERSION
        self.KubeClientVersion = KUBE_CLIENT_VERSION

    def go_json(self) -> JSONStruct:
        out = JSONStruct()
        for key, attr in (("version", "Version"), ("git_commit", "GitCommit"), ("git_tree_state", "GitTreeState"),
                          ("go_version", "GoVersion")):
            if getattr(self, attr):
                out[key] = getattr(self, attr)
        out["kube_client_version"] = self.KubeClientVersion
        return out


class Capabilities(GoObject):
    """`*common.Capabilities`: what the target cluster (or Helm's client-only defaults) supports."""

    go_type = "*common.Capabilities"
    go_kind = "ptr"
    go_fields = ("KubeVersion", "APIVersions", "HelmVersion")

    def __init__(self, kube_version: str | None = None, api_versions: Iterable[str] = (),
                 *, base_api_versions: Iterable[str] = DEFAULT_API_VERSIONS) -> None:
        self.KubeVersion = KubeVersion.parse(kube_version or DEFAULT_KUBE_VERSION)
        self.APIVersions = VersionSet(list(base_api_versions) + [v for v in api_versions])
        self.HelmVersion = BuildInfo()

    def go_json(self) -> JSONStruct:
        return JSONStruct(KubeVersion=self.KubeVersion.go_json(), APIVersions=list(self.APIVersions),
                          HelmVersion=self.HelmVersion.go_json())


def release_map(name: str, namespace: str, *, revision: int = 1, is_upgrade: bool = False,
                is_install: bool | None = None) -> dict:
    """`.Release` as Helm builds it (a map[string]interface{})."""
    return {
        "Name": name,
        "Namespace": namespace,
        "Revision": int(revision),
        "IsUpgrade": bool(is_upgrade),
        "IsInstall": (not is_upgrade) if is_install is None else bool(is_install),
        "Service": "Helm",
    }
