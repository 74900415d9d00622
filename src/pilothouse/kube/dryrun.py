"""What the cluster would end up with: live objects and server-side dry runs of new ones.

`fetch_live` reads the live objects of a resource list (one LIST per kind and namespace where
several objects share them, a GET otherwise); `dry_apply` sends every object as the upgrade
would (server-side apply with field manager ``helm``, forced, ``dryRun=All``; or the client-side
three-way patch for releases written that way) and returns what the server answered, so that
defaults, webhooks and other managers' fields show as they really would.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from pilothouse.errors import KubeError
from pilothouse.kube.client import KubeClient, run_parallel
from pilothouse.kube.errors import ApiError
from pilothouse.kube.resources import Resource

# above this many objects of one kind in one namespace, one LIST is cheaper than GETs
LIST_THRESHOLD = 4


def _where(r: Resource) -> str:
    return f"{r.namespace}/{r.name} {r.rtype.gvk_string()}"


def fetch_live(kube: KubeClient, resources: list[Resource]) -> dict[str, dict[str, Any] | None]:
    """The live object of every resource by `Resource.key()` (None: it does not exist)."""
    groups: dict[tuple[Any, str], list[Resource]] = defaultdict(list)
    for r in resources:
        groups[(r.rtype, r.namespace)].append(r)
    out: dict[str, dict[str, Any] | None] = {}
    singles: list[Resource] = []
    listed: list[tuple[Any, str, list[Resource]]] = []
    for (rt, ns), members in groups.items():
        if len(members) > LIST_THRESHOLD:
            listed.append((rt, ns, members))
        else:
            singles.extend(members)

    def list_one(item: tuple[Any, str, list[Resource]]) -> None:
        rt, ns, members = item
        by_name = {o.get("metadata", {}).get("name"): o for o in kube.list(rt, ns)}
        for r in members:
            obj = by_name.get(r.name)
            if obj is not None:
                obj.setdefault("apiVersion", rt.api_version)
                obj.setdefault("kind", rt.kind)
            out[r.key()] = obj

    def get_one(r: Resource) -> None:
        out[r.key()] = kube.get_or_none(r.rtype, r.namespace, r.name)

    errors = run_parallel(listed, list_one) + run_parallel(singles, get_one)
    for err in errors:
        if err is not None:
            if isinstance(err, ApiError):
                raise KubeError(f"could not read the live objects: {err}") from None
            raise err
    return out


def dry_apply(kube: KubeClient, resources: list[Resource], live: dict[str, dict[str, Any] | None], *,
              server_side: bool = True, originals: dict[str, dict[str, Any]] | None = None) -> dict[str, dict[str, Any]]:
    """The object the server would store for every resource (nothing is stored).

    ``server_side``: a forced server-side apply by field manager ``helm``, as `pilot upgrade`
    sends it; otherwise the client-side three-way patch from ``originals`` (the previous
    manifest's objects) for objects that exist, and a create for those that do not.
    """
    from pilothouse.kube import ops

    out: dict[str, dict[str, Any]] = {}

    def one(r: Resource) -> None:
        current = live.get(r.key())
        try:
            if server_side:
                result = kube.apply(r.rtype, r.namespace, r.obj, force=True, dry_run=True)
            elif current is None:
                result = kube.create(r.rtype, r.namespace, r.obj, dry_run=True)
            else:
                base = (originals or {}).get(r.key()) or current
                patch, patch_type = ops.create_patch(base, r, current, False)
                ops.strip_server_fields(patch)
                result = current if not patch else kube.patch(r.rtype, r.namespace, r.name, patch, patch_type,
                                                              dry_run=True)
        except ApiError as err:
            raise KubeError(f"dry run failed for object {_where(r)}: {err}") from None
        out[r.key()] = result

    for err in run_parallel(resources, one, workers=8):
        if err is not None:
            raise err
    return out
