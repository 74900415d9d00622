"""The Secret and ConfigMap drivers: one object per revision in the release namespace.

Object name = record key, labels ``name owner status version`` plus ``createdAt`` (on create) or
``modifiedAt`` (on update) and the user's labels; ``data.release`` = ``base64(gzip(json))``
(for a Secret the API base64-encodes that text once more). Byte for byte what Helm writes,
except that our deflate stream differs from Go's (both read each other's).
"""

from __future__ import annotations

import base64
import re
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from pilothouse.errors import ReleaseError
from pilothouse.kube.errors import ApiError
from pilothouse.release.codec import decode_release, encode_release
from pilothouse.release.driver import chunks
from pilothouse.release.driver.base import ReleaseExistsError, ReleaseNotFoundError, filter_system_labels
from pilothouse.release.model import Release

_METADATA_LIST = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json"
_LABEL_VALUE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")


def _selector(labels: Mapping[str, str]) -> str:
    return ",".join(f"{k}={labels[k]}" for k in sorted(labels))


class _KubeObjects:
    name = ""
    kind = ""

    def __init__(self, kube: Any, namespace: str) -> None:
        self.kube = kube
        self.namespace = namespace
        self._rt = kube.core(self.kind)

    # how the record sits in the object
    def _payload(self, encoded: str) -> dict[str, Any]:
        raise NotImplementedError

    def _encoded(self, obj: dict[str, Any]) -> str:
        raise NotImplementedError

    def _objects(self, key: str, rel: Release, labels: dict[str, str]) -> list[dict[str, Any]]:
        """The objects holding ``rel``: one as Helm writes it, or the pieces of a chunked record."""
        labels = dict(labels)
        labels.update(rel.labels)
        labels.update(name=rel.name, owner="helm", status=rel.info.status, version=str(rel.version))
        encoded = encode_release(rel)
        pieces = chunks.split(encoded)
        checksum = chunks.digest(encoded) if len(pieces) > 1 else ""
        out = []
        for i, piece in enumerate(pieces, 1):
            own = dict(labels)
            if checksum:
                own.update(chunks.piece_labels(i, len(pieces), checksum))
            obj: dict[str, Any] = {"apiVersion": "v1", "kind": self.kind,
                                   "metadata": {"name": chunks.piece_name(key, i), "namespace": self._ns(rel),
                                                "labels": own}}
            obj.update(self._payload(piece))
            out.append(obj)
        return out

    def _ns(self, rel: Release) -> str:
        return self.namespace or rel.namespace or "default"

    def _decode(self, obj: dict[str, Any]) -> Release:
        return decode_release(self._encoded(obj))

    def _tails(self, head: dict[str, Any]) -> dict[str, dict[str, Any]]:
        """GET pieces 2..N of a chunked record (missing ones are left out)."""
        key = head["metadata"]["name"]
        ns = head["metadata"].get("namespace") or self.namespace
        out = {}
        for i in range(2, min(chunks.count_of(head), 4096) + 1):
            name = chunks.piece_name(key, i)
            obj = self.kube.get_or_none(self._rt, ns, name)
            if obj is not None:
                out[name] = obj
        return out

    def _whole(self, head: dict[str, Any], tails: dict[str, dict[str, Any]] | None = None) -> Release:
        """Decode the record whose first piece is ``head``; half-written records are ReleaseError."""
        if chunks.count_of(head) != 1 and tails is None:
            tails = self._tails(head)
        encoded = chunks.assemble(head, tails or {}, self._encoded)
        if encoded is None:
            raise ReleaseError("incomplete chunked record")
        return decode_release(encoded)

    def get(self, key: str) -> Release:
        try:
            obj = self.kube.get(self._rt, self.namespace, key)
        except ApiError as err:
            if err.not_found:
                raise ReleaseNotFoundError() from None
            raise ReleaseError(f'get: failed to get "{key}": {err}') from None
        if chunks.is_tail(obj):
            raise ReleaseNotFoundError()
        try:
            rel = self._whole(obj)
        except ReleaseError as err:
            raise ReleaseError(f'get: failed to decode data "{key}": {err}') from None
        rel.labels = _user_labels((obj.get("metadata") or {}).get("labels"))
        return rel

    def _items(self, selector: str, what: str) -> list[dict[str, Any]]:
        try:
            return self.kube.list(self._rt, self.namespace, label_selector=selector)
        except ApiError as err:
            raise ReleaseError(f"{what}: {err}") from None

    def _records(self, items: list[dict[str, Any]]) -> list[tuple[dict[str, Any], Release]]:
        """Each whole record among listed objects, with its first piece; undecodable ones skipped."""
        tails = {o["metadata"]["name"]: o for o in items if chunks.is_tail(o)}
        out = []
        for item in items:
            if chunks.is_tail(item):
                continue
            try:
                rel = self._whole(item, tails)
            except ReleaseError:
                continue  # Helm skips records it cannot decode; a half-written one is not a release
            out.append((item, rel))
        return out

    def list(self, keep: Callable[[Release], bool]) -> list[Release]:
        out = []
        for item, rel in self._records(self._items("owner=helm", "list: failed to list")):
            rel.labels = _strip_chunk_labels((item.get("metadata") or {}).get("labels"))
            if keep(rel):
                out.append(rel)
        return out

    def query(self, labels: Mapping[str, str]) -> list[Release]:
        for k, v in labels.items():
            if len(v) > 63 or not _LABEL_VALUE.match(v):
                raise ReleaseError(f'invalid label value: "{v}": a valid label must be an empty string or consist of '
                                   "alphanumeric characters, '-', '_' or '.', and must start and end with an "
                                   "alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used "
                                   "for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')")
            del k
        items = self._items(_selector(labels), "query: failed to query with labels")
        records = self._records(items)
        # pieces of unfinished chunked writes are not records: with nothing else, there is no release
        if not records and all(chunks.count_of(o) != 1 or chunks.is_tail(o) for o in items):
            raise ReleaseNotFoundError()
        out = []
        for item, rel in records:
            rel.labels = _strip_chunk_labels((item.get("metadata") or {}).get("labels"))
            out.append(rel)
        return out

    def heads(self, page: int = 500) -> list[dict[str, Any]]:
        """The metadata of every record's first piece (owner=helm), without their data, page by page."""
        accept = _METADATA_LIST
        params: dict[str, Any] = {"labelSelector": "owner=helm", "limit": page}
        out: list[dict[str, Any]] = []
        path = self.kube.path(self._rt, self.namespace)
        while True:
            try:
                doc = self.kube.request("GET", path, params=params, accept=accept) or {}
            except ApiError as err:
                raise ReleaseError(f"list: failed to list: {err}") from None
            out.extend(o for o in doc.get("items") or [] if not chunks.is_tail(o))
            cont = (doc.get("metadata") or {}).get("continue")
            if not cont:
                return out
            params["continue"] = cont

    def fetch(self, namespace: str, key: str) -> Release:
        """One whole record in ``namespace``, labels as a listing reports them (all but the chunk ones)."""
        try:
            obj = self.kube.get(self._rt, namespace, key)
        except ApiError as err:
            if err.not_found:
                raise ReleaseNotFoundError() from None
            raise ReleaseError(f'get: failed to get "{key}": {err}') from None
        rel = self._whole(obj)
        rel.labels = _strip_chunk_labels((obj.get("metadata") or {}).get("labels"))
        return rel

    def fetch_many(self, wanted: list[tuple[str, str, str, int]], budget: int = 6000) -> dict[tuple[str, str], Release]:
        """Records by (namespace, key) for (namespace, key, release name, revision) tuples, read with
        a few label-selector lists (``name in (...)``, ``version in (...)``) instead of one GET each;
        each selector names at most about ``budget`` characters of release names (URLs stay short
        enough for any proxy).

        Records missing from the answer or that do not decode are left out of the result.
        """
        out: dict[tuple[str, str], Release] = {}
        want = {(ns, key) for ns, key, _, _ in wanted}
        batches: list[list[tuple[str, str, str, int]]] = []
        size = budget
        for item in wanted:
            if size + len(item[2]) + 1 > budget:
                batches.append([])
                size = 0
            batches[-1].append(item)
            size += len(item[2]) + 1
        for part in batches:
            names = ",".join(sorted({n for _, _, n, _ in part}))
            versions = ",".join(sorted({str(v) for _, _, _, v in part}))
            items = self._items(f"owner=helm,name in ({names}),version in ({versions})", "list: failed to list")
            tails = {o["metadata"]["name"]: o for o in items if chunks.is_tail(o)}
            for item in items:
                meta = item.get("metadata") or {}
                at = (meta.get("namespace") or "", meta.get("name") or "")
                if at not in want or chunks.is_tail(item):
                    continue
                try:
                    # pieces of one record share its labels, so they came in the same answer
                    rel = self._whole(item, tails if chunks.count_of(item) != 1 else None)
                except ReleaseError:
                    continue
                rel.labels = _strip_chunk_labels(meta.get("labels"))
                out[at] = rel
        return out

    def _write(self, obj: dict[str, Any], ns: str, replace: bool) -> None:
        name = obj["metadata"]["name"]
        if replace:
            self.kube.replace(self._rt, ns, name, obj)
        else:
            self.kube.create(self._rt, ns, obj)

    def _put_tails(self, objs: list[dict[str, Any]], ns: str) -> int:
        """Write pieces 2..N (create, or replace a leftover); returns how many writes were made."""
        written = 0
        for obj in objs[1:]:
            try:
                self.kube.create(self._rt, ns, obj)
            except ApiError as err:
                if not err.already_exists:
                    raise
                self.kube.replace(self._rt, ns, obj["metadata"]["name"], obj)
            written += 1
            chunks.wrote_piece()
        return written

    def _drop(self, ns: str, names: Iterable[str]) -> None:
        for name in names:
            try:
                self.kube.delete(self._rt, ns, name)
            except ApiError as err:
                if not err.not_found:
                    raise

    def _metadata(self, ns: str, selector: str) -> list[dict[str, Any]]:
        """Objects' metadata only (no record data), for decisions labels alone can make."""
        doc = self.kube.request("GET", self.kube.path(self._rt, ns), params={"labelSelector": selector},
                                accept=_METADATA_LIST) or {}
        return list(doc.get("items") or [])

    def sweep(self, name: str, ns: str) -> list[str]:
        """Delete what interrupted writes of release ``name`` left behind; returns the names removed.

        Leftovers are tail pieces whose first piece is gone, plain or from another write, and first
        pieces missing a piece of their own write (an update killed half-way). Labels tell them
        apart, so only metadata is read.
        """
        items = self._metadata(ns, f"name={name},owner=helm,{chunks.CHUNKSUM}")
        present = {o["metadata"]["name"]: o for o in items}
        stale = []
        for obj in items:
            key = obj["metadata"]["name"]
            sum_ = chunks.labels_of(obj).get(chunks.CHUNKSUM)
            if chunks.is_tail(obj):
                head = present.get(chunks.head_name(obj))
                if head is None or chunks.labels_of(head).get(chunks.CHUNKSUM) != sum_:
                    stale.append(key)
                continue
            count = chunks.count_of(obj)
            pieces = [present.get(chunks.piece_name(key, i)) for i in range(2, min(count, 4096) + 1)]
            if count < 1 or any(p is None or chunks.labels_of(p).get(chunks.CHUNKSUM) != sum_ for p in pieces):
                stale.append(key)
        self._drop(ns, stale)
        return stale

    def create(self, key: str, rel: Release) -> None:
        objs = self._objects(key, rel, {"createdAt": str(int(time.time()))})
        ns = self._ns(rel)
        try:
            if len(objs) > 1:
                self.sweep(rel.name, ns)
                if self.kube.get_or_none(self._rt, ns, key) is not None:
                    raise ReleaseExistsError()
                self._put_tails(objs, ns)
                self.kube.create(self._rt, ns, objs[0])
                chunks.wrote_piece()
                return
            try:
                self.kube.create(self._rt, ns, objs[0])
            except ApiError as err:
                # the name may be held by the first piece of a chunked write that never finished
                if not err.already_exists or key not in self.sweep(rel.name, ns):
                    raise
                self.kube.create(self._rt, ns, objs[0])
        except ApiError as err:
            if err.already_exists:
                raise ReleaseExistsError() from None
            raise ReleaseError(f"create: failed to create: {err}") from None

    def update(self, key: str, rel: Release) -> None:
        objs = self._objects(key, rel, {"modifiedAt": str(int(time.time()))})
        ns = self._ns(rel)
        try:
            if len(objs) == 1:
                # as Helm: one PUT; pieces of an older chunked write become stale and are swept later
                self.kube.replace(self._rt, ns, key, objs[0])
                return
            old = self.kube.get_or_none(self._rt, ns, key)
            old_count = chunks.count_of(old) if old is not None else 1
            self._put_tails(objs, ns)
            self.kube.replace(self._rt, ns, key, objs[0])
            chunks.wrote_piece()
            self._drop(ns, [chunks.piece_name(key, i) for i in range(len(objs) + 1, old_count + 1)])
        except ApiError as err:
            raise ReleaseError(f"update: failed to update: {err}") from None

    def delete(self, key: str) -> Release:
        try:
            head = self.kube.get(self._rt, self.namespace, key)
        except ApiError as err:
            if err.not_found:
                raise ReleaseNotFoundError() from None
            raise ReleaseError(f'get: failed to get "{key}": {err}') from None
        if chunks.is_tail(head):
            raise ReleaseNotFoundError()
        try:
            rel = self._whole(head)
        except ReleaseError as err:
            raise ReleaseError(f'get: failed to decode data "{key}": {err}') from None
        rel.labels = _user_labels((head.get("metadata") or {}).get("labels"))
        try:
            # the first piece goes first: the record disappears in one step, leftovers are swept
            self.kube.delete(self._rt, self.namespace, key)
            self._drop(self.namespace, [chunks.piece_name(key, i) for i in range(2, chunks.count_of(head) + 1)])
            if chunks.count_of(head) != 1:
                self.sweep(rel.name, self.namespace)
        except ApiError as err:
            if err.not_found:
                raise ReleaseNotFoundError() from None
            raise ReleaseError(str(err)) from None
        return rel


def _strip_chunk_labels(labels: Mapping[str, str] | None) -> dict[str, str]:
    return {k: v for k, v in (labels or {}).items() if k not in chunks.LABELS}


def _user_labels(labels: Mapping[str, str] | None) -> dict[str, str]:
    return filter_system_labels(_strip_chunk_labels(labels))


class Secrets(_KubeObjects):
    """Records in Secrets of type ``helm.sh/release.v1`` (Helm's default driver)."""

    name = "Secret"
    kind = "Secret"

    def _payload(self, encoded: str) -> dict[str, Any]:
        return {"type": "helm.sh/release.v1",
                "data": {"release": base64.b64encode(encoded.encode("ascii")).decode("ascii")}}

    def _encoded(self, obj: dict[str, Any]) -> str:
        raw = (obj.get("data") or {}).get("release") or ""
        try:
            return base64.b64decode(raw).decode("ascii")
        except (ValueError, UnicodeDecodeError) as err:
            raise ReleaseError(f"illegal base64 data: {err}") from None


class ConfigMaps(_KubeObjects):
    """Records in ConfigMaps (``HELM_DRIVER=configmap``)."""

    name = "ConfigMap"
    kind = "ConfigMap"

    def _payload(self, encoded: str) -> dict[str, Any]:
        return {"data": {"release": encoded}}

    def _encoded(self, obj: dict[str, Any]) -> str:
        return (obj.get("data") or {}).get("release") or ""
