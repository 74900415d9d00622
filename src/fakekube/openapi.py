"""The OpenAPI documents clients download: `/openapi/v3` (an index and one document per
group/version) and `/openapi/v2`.

Clients use them for two things: to learn that the server validates fields itself (a PATCH
operation with a `fieldValidation` query parameter for the kind, found by
`x-kubernetes-group-version-kind`), in which case they skip validating on their side; and to learn
a kind's schema. The schemas here are permissive (`x-kubernetes-preserve-unknown-fields`), because
this server validates what it validates itself.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from fakekube.resources import Registry, ResourceType

_WRITE_PARAMS = ("dryRun", "fieldManager", "fieldValidation")


def _definition_name(rt: ResourceType) -> str:
    if rt.crd:
        reversed_group = ".".join(reversed(rt.group.split(".")))
        return f"{reversed_group}.{rt.version}.{rt.kind}"
    group = rt.group.split(".")[0] if rt.group else "core"
    if rt.group == "apiextensions.k8s.io":
        return f"io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.{rt.version}.{rt.kind}"
    return f"io.k8s.api.{group}.{rt.version}.{rt.kind}"


def _gvk(rt: ResourceType) -> dict[str, str]:
    return {"group": rt.group, "version": rt.version, "kind": rt.kind}


def _params(names: tuple[str, ...]) -> list[dict[str, Any]]:
    return [{"name": n, "in": "query", "schema": {"type": "string"}, "uniqueItems": True} for n in names]


def _op(rt: ResourceType, action: str, op_id: str, params: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "operationId": op_id,
        "parameters": _params(params),
        "responses": {"200": {"description": "OK"}},
        "x-kubernetes-action": action,
        "x-kubernetes-group-version-kind": _gvk(rt),
    }


def _paths(rt: ResourceType) -> dict[str, Any]:
    prefix = f"/apis/{rt.group}/{rt.version}" if rt.group else f"/api/{rt.version}"
    base = f"{prefix}/namespaces/{{namespace}}/{rt.plural}" if rt.namespaced else f"{prefix}/{rt.plural}"
    op = rt.kind
    paths = {
        base: {
            "get": _op(rt, "list", f"list{op}", ("labelSelector", "fieldSelector", "limit", "continue", "watch")),
            "post": _op(rt, "post", f"create{op}", _WRITE_PARAMS),
            "delete": _op(rt, "deletecollection", f"deleteCollection{op}"),
        },
        base + "/{name}": {
            "get": _op(rt, "get", f"read{op}"),
            "put": _op(rt, "put", f"replace{op}", _WRITE_PARAMS),
            "patch": _op(rt, "patch", f"patch{op}", _WRITE_PARAMS + ("force",)),
            "delete": _op(rt, "delete", f"delete{op}", ("dryRun", "propagationPolicy", "gracePeriodSeconds")),
        },
    }
    if rt.status:
        paths[base + "/{name}/status"] = {
            "get": _op(rt, "get", f"read{op}Status"),
            "put": _op(rt, "put", f"replace{op}Status", _WRITE_PARAMS),
            "patch": _op(rt, "patch", f"patch{op}Status", _WRITE_PARAMS + ("force",)),
        }
    return paths


def _schema(rt: ResourceType) -> dict[str, Any]:
    return {
        "type": "object",
        "description": f"{rt.kind} ({rt.api_version}) as served by fakekube.",
        "properties": {
            "apiVersion": {"type": "string"},
            "kind": {"type": "string"},
            "metadata": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
        },
        "x-kubernetes-preserve-unknown-fields": True,
        "x-kubernetes-group-version-kind": [_gvk(rt)],
    }


def _gv_key(group: str, version: str) -> str:
    return f"apis/{group}/{version}" if group else f"api/{version}"


def v3_document(registry: Registry, group: str, version: str, k8s_version: str) -> dict[str, Any] | None:
    """The OpenAPI v3 document of one group/version; None if it is not served."""
    types = [rt for rt in registry.all() if rt.group == group and rt.version == version]
    if not types:
        return None
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    for rt in types:
        paths.update(_paths(rt))
        schemas[_definition_name(rt)] = _schema(rt)
    return {
        "openapi": "3.0.0",
        "info": {"title": "Kubernetes", "version": k8s_version},
        "paths": paths,
        "components": {"schemas": schemas},
    }


def v3_index(registry: Registry, k8s_version: str) -> dict[str, Any]:
    """`/openapi/v3`: where each group/version's document is, with a hash that changes with it."""
    out: dict[str, Any] = {}
    seen = sorted({(rt.group, rt.version) for rt in registry.all()})
    for group, version in seen:
        doc = v3_document(registry, group, version, k8s_version)
        digest = hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()[:32].upper()
        key = _gv_key(group, version)
        out[key] = {"serverRelativeURL": f"/openapi/v3/{key}?hash={digest}"}
    return {"paths": out}


def v2_document(registry: Registry, k8s_version: str) -> dict[str, Any]:
    """`/openapi/v2` (Swagger 2.0) covering every served type."""
    paths: dict[str, Any] = {}
    definitions: dict[str, Any] = {}
    for rt in registry.all():
        for path, ops in _paths(rt).items():
            for op in ops.values():
                for param in op["parameters"]:
                    param["type"] = param.pop("schema")["type"]
            paths[path] = ops
        definitions[_definition_name(rt)] = _schema(rt)
    return {
        "swagger": "2.0",
        "info": {"title": "Kubernetes", "version": k8s_version},
        "paths": paths,
        "definitions": definitions,
    }
