"""The resource types the server serves: the built-in kinds and those added by CRDs.

A `ResourceType` holds what discovery reports about one group/version/resource. The registry is
the single place that maps URL segments (group, version, plural) and kinds to types.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

ALL_VERBS = ("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")


@dataclass(frozen=True)
class ResourceType:
    """One served resource (a group, version and plural name) and what discovery says about it."""

    group: str
    version: str
    plural: str
    kind: str
    namespaced: bool
    short_names: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    status: bool = False
    scale: bool = False
    crd: bool = False
    schema: object = field(default=None, compare=False, hash=False)

    @property
    def api_version(self) -> str:
        """`v1` or `apps/v1`, as written in objects."""
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def singular(self) -> str:
        """The singular resource name, which Kubernetes derives from the kind."""
        return self.kind.lower()

    @property
    def list_kind(self) -> str:
        """The kind of a list of these objects."""
        return self.kind + "List"

    @property
    def group_resource(self) -> tuple[str, str]:
        """The storage identity: objects of all versions of a resource share it."""
        return (self.group, self.plural)

    def discovery(self) -> list[dict]:
        """APIResource entries for this resource and its subresources."""
        main: dict = {
            "name": self.plural,
            "singularName": self.singular,
            "namespaced": self.namespaced,
            "kind": self.kind,
            "verbs": list(ALL_VERBS),
        }
        if self.short_names:
            main["shortNames"] = list(self.short_names)
        if self.categories:
            main["categories"] = list(self.categories)
        entries = [main]
        if self.status:
            entries.append(
                {
                    "name": f"{self.plural}/status",
                    "singularName": "",
                    "namespaced": self.namespaced,
                    "kind": self.kind,
                    "verbs": ["get", "patch", "update"],
                }
            )
        return entries


def _t(group: str, version: str, plural: str, kind: str, namespaced: bool = True, short: str = "", **kw) -> ResourceType:
    return ResourceType(group, version, plural, kind, namespaced, tuple(short.split()) if short else (), **kw)


_ALL = ("all",)

BUILTIN: tuple[ResourceType, ...] = (
    _t("", "v1", "namespaces", "Namespace", False, "ns", status=True),
    _t("", "v1", "configmaps", "ConfigMap", short="cm"),
    _t("", "v1", "secrets", "Secret"),
    _t("", "v1", "services", "Service", short="svc", categories=_ALL, status=True),
    _t("", "v1", "serviceaccounts", "ServiceAccount", short="sa"),
    _t("", "v1", "pods", "Pod", short="po", categories=_ALL, status=True),
    _t("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", short="pvc", status=True),
    _t("", "v1", "persistentvolumes", "PersistentVolume", False, "pv", status=True),
    _t("", "v1", "events", "Event", short="ev"),
    _t("", "v1", "endpoints", "Endpoints", short="ep"),
    _t("", "v1", "nodes", "Node", False, "no", status=True),
    _t("", "v1", "limitranges", "LimitRange", short="limits"),
    _t("", "v1", "resourcequotas", "ResourceQuota", short="quota", status=True),
    _t("", "v1", "replicationcontrollers", "ReplicationController", short="rc", categories=_ALL, status=True),
    _t("apps", "v1", "deployments", "Deployment", short="deploy", categories=_ALL, status=True, scale=True),
    _t("apps", "v1", "statefulsets", "StatefulSet", short="sts", categories=_ALL, status=True, scale=True),
    _t("apps", "v1", "daemonsets", "DaemonSet", short="ds", categories=_ALL, status=True),
    _t("apps", "v1", "replicasets", "ReplicaSet", short="rs", categories=_ALL, status=True, scale=True),
    _t("apps", "v1", "controllerrevisions", "ControllerRevision"),
    _t("batch", "v1", "jobs", "Job", categories=_ALL, status=True),
    _t("batch", "v1", "cronjobs", "CronJob", short="cj", categories=_ALL, status=True),
    _t("rbac.authorization.k8s.io", "v1", "roles", "Role"),
    _t("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding"),
    _t("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", False),
    _t("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", False),
    _t("networking.k8s.io", "v1", "ingresses", "Ingress", short="ing", status=True),
    _t("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", short="netpol"),
    _t("networking.k8s.io", "v1", "ingressclasses", "IngressClass", False),
    _t("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", short="pdb", status=True),
    _t("autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", short="hpa", categories=_ALL, status=True),
    _t("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", False, "crd crds", status=True),
    _t("coordination.k8s.io", "v1", "leases", "Lease"),
    _t("storage.k8s.io", "v1", "storageclasses", "StorageClass", False, "sc"),
    _t("scheduling.k8s.io", "v1", "priorityclasses", "PriorityClass", False, "pc"),
    _t("admissionregistration.k8s.io", "v1", "validatingwebhookconfigurations", "ValidatingWebhookConfiguration", False),
    _t("admissionregistration.k8s.io", "v1", "mutatingwebhookconfigurations", "MutatingWebhookConfiguration", False),
    _t("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice"),
    _t("events.k8s.io", "v1", "events", "Event", short="ev"),
)


class Registry:
    """All served types, looked up by URL segments or by apiVersion and kind; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._types: dict[tuple[str, str, str], ResourceType] = {}
        for rt in BUILTIN:
            self._types[(rt.group, rt.version, rt.plural)] = rt

    def add(self, rt: ResourceType) -> None:
        """Serve `rt` (CRDs call this when they are created or changed)."""
        with self._lock:
            self._types[(rt.group, rt.version, rt.plural)] = rt

    def remove_group_resource(self, group: str, plural: str) -> None:
        """Stop serving every version of a resource."""
        with self._lock:
            for key in [k for k in self._types if k[0] == group and k[2] == plural]:
                del self._types[key]

    def get(self, group: str, version: str, plural: str) -> ResourceType | None:
        """The type served at /apis/group/version/plural, if any."""
        with self._lock:
            return self._types.get((group, version, plural))

    def by_kind(self, api_version: str, kind: str) -> ResourceType | None:
        """The type of objects written with this apiVersion and kind."""
        group, _, version = api_version.rpartition("/")
        with self._lock:
            for rt in self._types.values():
                if rt.group == group and rt.version == version and rt.kind == kind:
                    return rt
        return None

    def all(self) -> list[ResourceType]:
        """Every served type, in a stable order."""
        with self._lock:
            return sorted(self._types.values(), key=lambda r: (r.group, r.version, r.plural))

    def groups(self) -> dict[str, list[str]]:
        """Each group with its served versions, the preferred one first."""
        out: dict[str, list[str]] = {}
        for rt in self.all():
            versions = out.setdefault(rt.group, [])
            if rt.version not in versions:
                versions.append(rt.version)
        for versions in out.values():
            versions.sort(key=_version_priority)
        return out

    def versions_of(self, group: str, plural: str) -> list[ResourceType]:
        """Every served version of one resource."""
        return [rt for rt in self.all() if rt.group == group and rt.plural == plural]


def _version_priority(version: str) -> tuple[int, int, int, str]:
    """Kubernetes version order: GA before beta before alpha, higher numbers first."""
    import re

    m = re.fullmatch(r"v(\d+)(?:(alpha|beta)(\d+))?", version)
    if not m:
        return (3, 0, 0, version)
    major = int(m.group(1))
    level = {"": 0, "beta": 1, "alpha": 2}[m.group(2) or ""]
    minor = int(m.group(3) or 0)
    return (level, -major, -minor, version)
