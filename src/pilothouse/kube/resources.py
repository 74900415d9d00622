"""Kubernetes objects as Helm's client handles them: a decoded object plus where it lives."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ResourceType:
    """One kind the API server serves (a REST mapping)."""

    group: str
    version: str
    kind: str
    plural: str
    namespaced: bool

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    def gvk_string(self) -> str:
        """client-go's GroupVersionKind.String(): ``apps/v1, Kind=Deployment``."""
        return f"{self.api_version}, Kind={self.kind}"


_CORE_PLURALS = {"Secret": "secrets", "ConfigMap": "configmaps", "Namespace": "namespaces", "Pod": "pods",
                 "Event": "events"}


def core_type(kind: str) -> ResourceType:
    """A core/v1 kind's mapping (Secret, ConfigMap, Namespace, Pod, Event), known without discovery."""
    return ResourceType("", "v1", kind, _CORE_PLURALS[kind], kind != "Namespace")


@dataclass
class Resource:
    """A manifest object ready to send: its mapping, namespace, name and body."""

    rtype: ResourceType
    namespace: str
    name: str
    obj: dict[str, Any]

    @property
    def kind(self) -> str:
        return self.rtype.kind

    def key(self) -> str:
        """Helm's objectKey: ``group/version/Kind/namespace/name``."""
        return f"{self.rtype.api_version}/{self.rtype.kind}/{self.namespace}/{self.name}"

    def identity(self) -> tuple[str, str, str, str]:
        """What makes two resources the same object (group, kind, namespace, name)."""
        return (self.rtype.group, self.rtype.kind, self.namespace, self.name)

    def describe(self) -> str:
        """Helm's resourceString: ``Kind "name" in namespace "ns"``."""
        return f'{self.rtype.kind} "{self.name}" in namespace "{self.namespace}"'


def json_keys(v: Any) -> Any:
    """A yaml.v2 value as sigs.k8s.io/yaml hands it to JSON: map keys become strings."""
    if isinstance(v, dict):
        out = {}
        for k, x in v.items():
            if isinstance(k, bool):
                k = "true" if k else "false"
            elif isinstance(k, (int, float)):
                k = str(k) if isinstance(k, int) else repr(k)
            elif k is None:
                k = "null"
            out[k] = json_keys(x)
        return out
    if isinstance(v, list):
        return [json_keys(x) for x in v]
    return v


def parse_documents(text: str) -> list[dict[str, Any]]:
    """The objects of a manifest stream (``---`` separated), ints kept as ints, empty documents skipped.

    Kinds ending in ``List`` are flattened into their items, as the resource builder does.
    """
    from pilothouse.goyaml import YAMLError, load_yaml_v2
    from pilothouse.kube.errors import KubeError
    from pilothouse.manifest.split import split_manifests

    out: list[dict[str, Any]] = []
    for doc in split_manifests(text):
        try:
            obj = json_keys(load_yaml_v2(doc))
        except YAMLError as err:
            raise KubeError(f"error parsing manifest: {err}") from None
        if obj is None:
            continue
        if not isinstance(obj, dict):
            raise KubeError("error parsing manifest: the document is not an object")
        kind = obj.get("kind") or ""
        if isinstance(kind, str) and kind.endswith("List") and isinstance(obj.get("items"), list):
            out.extend(i for i in obj["items"] if isinstance(i, dict))
            continue
        out.append(obj)
    return out
