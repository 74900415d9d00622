"""What the server knows about the shape of objects: which lists merge by key, which maps are granular.

Strategic merge patch and server-side apply both need it. Built-in kinds get a small hand-written
table covering the fields clients merge in practice (containers by name, ports, env, volumes,
conditions, owner references...); custom resources get theirs from the CRD's OpenAPI schema
(`x-kubernetes-list-type`, `x-kubernetes-list-map-keys`, `x-kubernetes-map-type`). A field the
schema does not describe is treated as Kubernetes treats untyped data: maps are granular, lists atomic.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Node:
    """The schema of one value.

    `fields` describes children of an object; `values` describes the values of a granular map
    (`labels`, `data`); `items` describes list elements. `list_type` is `atomic`, `set` or `map`
    (then `keys` are the SSA key fields); `smp_key`/`smp_strategy` are the strategic-merge
    annotations (`patchMergeKey`, `patchStrategy`).
    """

    fields: dict[str, Node] = field(default_factory=dict)
    values: Node | None = None
    items: Node | None = None
    list_type: str = "atomic"
    keys: tuple[str, ...] = ()
    smp_key: str = ""
    smp_strategy: str = ""
    atomic: bool = False

    def child(self, name: str) -> Node:
        """The schema of field `name` of an object value."""
        if name in self.fields:
            return self.fields[name]
        if self.values is not None:
            return self.values
        return ANY

    def item(self) -> Node:
        """The schema of an element of a list value."""
        return self.items if self.items is not None else ANY

    @property
    def is_map(self) -> bool:
        """A map keyed by arbitrary strings (`labels`), as opposed to a struct."""
        return self.values is not None


ANY = Node()


def _m() -> Node:
    return Node(values=Node())


def _s(**fields: Node) -> Node:
    return Node(fields=dict(fields))


def _keyed(keys: str, smp_key: str = "", item: Node | None = None, smp: bool = True) -> Node:
    ks = tuple(keys.split())
    return Node(
        items=item or Node(),
        list_type="map",
        keys=ks,
        smp_key=(smp_key or ks[0]) if smp else "",
        smp_strategy="merge" if smp else "",
    )


def _set(smp: bool = False) -> Node:
    return Node(list_type="set", smp_strategy="merge" if smp else "")


_CONDITIONS = _keyed("type")

_METADATA = _s(
    labels=_m(),
    annotations=_m(),
    ownerReferences=_keyed("uid"),
    finalizers=_set(smp=True),
)

_RESOURCES = _s(limits=_m(), requests=_m())

_CONTAINER = _s(
    env=_keyed("name"),
    ports=_keyed("containerPort protocol", "containerPort"),
    volumeMounts=_keyed("mountPath"),
    volumeDevices=_keyed("devicePath"),
    resources=_RESOURCES,
)

_POD_SPEC = _s(
    containers=_keyed("name", item=_CONTAINER),
    initContainers=_keyed("name", item=_CONTAINER),
    ephemeralContainers=_keyed("name", item=_CONTAINER),
    volumes=_keyed("name", smp=True),
    imagePullSecrets=_keyed("name"),
    hostAliases=_keyed("ip"),
    topologySpreadConstraints=_keyed("topologyKey whenUnsatisfiable", "topologyKey"),
    resourceClaims=_keyed("name"),
    nodeSelector=_m(),
    overhead=_m(),
    readinessGates=Node(list_type="atomic"),
)

_TEMPLATE = _s(metadata=_METADATA, spec=_POD_SPEC)

_SELECTOR = _s(matchLabels=_m())

_WORKLOAD_STATUS = _s(conditions=_CONDITIONS)


def _root(spec: Node | None = None, status: Node | None = None, **extra: Node) -> Node:
    fields = {"metadata": _METADATA, "status": status or _s(conditions=_CONDITIONS)}
    if spec is not None:
        fields["spec"] = spec
    fields.update(extra)
    return Node(fields=fields)


_WORKLOAD_SPEC = _s(selector=_SELECTOR, template=_TEMPLATE)

BUILTIN_SCHEMAS: dict[tuple[str, str], Node] = {
    ("", "Pod"): _root(_POD_SPEC, _s(conditions=_CONDITIONS, containerStatuses=Node(), podIPs=_keyed("ip"))),
    ("apps", "Deployment"): _root(_WORKLOAD_SPEC, _WORKLOAD_STATUS),
    ("apps", "StatefulSet"): _root(_WORKLOAD_SPEC, _WORKLOAD_STATUS),
    ("apps", "DaemonSet"): _root(_WORKLOAD_SPEC, _WORKLOAD_STATUS),
    ("apps", "ReplicaSet"): _root(_WORKLOAD_SPEC, _WORKLOAD_STATUS),
    ("", "ReplicationController"): _root(_s(selector=_m(), template=_TEMPLATE), _WORKLOAD_STATUS),
    ("batch", "Job"): _root(_s(selector=_SELECTOR, template=_TEMPLATE), _WORKLOAD_STATUS),
    ("batch", "CronJob"): _root(_s(jobTemplate=_s(metadata=_METADATA, spec=_s(selector=_SELECTOR, template=_TEMPLATE)))),
    ("", "Service"): _root(
        _s(ports=_keyed("port protocol", "port"), selector=_m()),
        _s(conditions=_CONDITIONS),
    ),
    ("", "ConfigMap"): _root(data=_m(), binaryData=_m()),
    ("", "Secret"): _root(data=_m(), stringData=_m()),
    ("", "Namespace"): _root(_s(finalizers=Node(list_type="atomic"))),
    ("", "ServiceAccount"): _root(secrets=_keyed("name"), imagePullSecrets=Node(list_type="atomic")),
    ("", "PersistentVolumeClaim"): _root(_s(resources=_RESOURCES, selector=_SELECTOR)),
    ("autoscaling", "HorizontalPodAutoscaler"): _root(_s(metrics=Node(list_type="atomic"))),
    ("policy", "PodDisruptionBudget"): _root(_s(selector=_SELECTOR)),
    ("networking.k8s.io", "NetworkPolicy"): _root(_s(podSelector=_SELECTOR)),
}

DEFAULT_SCHEMA = _root()


def for_kind(group: str, kind: str) -> Node:
    """The schema of a built-in kind (a generic one for kinds without a table entry)."""
    return BUILTIN_SCHEMAS.get((group, kind), DEFAULT_SCHEMA)


def from_openapi(schema: dict | None) -> Node:
    """The schema of a custom resource, read from its CRD's `openAPIV3Schema`."""
    node = _from_openapi(schema or {})
    # metadata is always the standard ObjectMeta, whatever the CRD says.
    node.fields["metadata"] = _METADATA
    return node


def _from_openapi(s: dict) -> Node:
    node = Node()
    typ = s.get("type")
    if typ == "array" or "items" in s:
        item = s.get("items") or {}
        node.items = _from_openapi(item) if isinstance(item, dict) else Node()
        list_type = s.get("x-kubernetes-list-type", "atomic")
        node.list_type = list_type
        if list_type == "map":
            node.keys = tuple(s.get("x-kubernetes-list-map-keys") or ())
        return node
    for name, sub in (s.get("properties") or {}).items():
        if isinstance(sub, dict):
            node.fields[name] = _from_openapi(sub)
    extra = s.get("additionalProperties")
    if isinstance(extra, dict):
        node.values = _from_openapi(extra)
    elif extra is True:
        node.values = Node()
    if s.get("x-kubernetes-map-type") == "atomic" or s.get("x-kubernetes-structType") == "atomic":
        node.atomic = True
    return node
