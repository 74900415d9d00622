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
from collections.abc import Callable, Mapping
from typing import Any

from pilothouse.errors import ReleaseError
from pilothouse.kube.errors import ApiError
from pilothouse.release.codec import decode_release, encode_release
from pilothouse.release.driver.base import ReleaseExistsError, ReleaseNotFoundError, filter_system_labels
from pilothouse.release.model import Release

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

    def _object(self, key: str, rel: Release, labels: dict[str, str]) -> dict[str, Any]:
        labels = dict(labels)
        labels.update(rel.labels)
        labels.update(name=rel.name, owner="helm", status=rel.info.status, version=str(rel.version))
        obj: dict[str, Any] = {"apiVersion": "v1", "kind": self.kind,
                               "metadata": {"name": key, "namespace": self._ns(rel), "labels": labels}}
        obj.update(self._payload(encode_release(rel)))
        return obj

    def _ns(self, rel: Release) -> str:
        return self.namespace or rel.namespace or "default"

    def _decode(self, obj: dict[str, Any]) -> Release:
        return decode_release(self._encoded(obj))

    def get(self, key: str) -> Release:
        try:
            obj = self.kube.get(self._rt, self.namespace, key)
        except ApiError as err:
            if err.not_found:
                raise ReleaseNotFoundError() from None
            raise ReleaseError(f'get: failed to get "{key}": {err}') from None
        try:
            rel = self._decode(obj)
        except ReleaseError as err:
            raise ReleaseError(f'get: failed to decode data "{key}": {err}') from None
        rel.labels = filter_system_labels((obj.get("metadata") or {}).get("labels"))
        return rel

    def _items(self, selector: str, what: str) -> list[dict[str, Any]]:
        try:
            return self.kube.list(self._rt, self.namespace, label_selector=selector)
        except ApiError as err:
            raise ReleaseError(f"{what}: {err}") from None

    def list(self, keep: Callable[[Release], bool]) -> list[Release]:
        out = []
        for item in self._items("owner=helm", "list: failed to list"):
            try:
                rel = self._decode(item)
            except ReleaseError:
                continue  # Helm skips records it cannot decode
            rel.labels = dict((item.get("metadata") or {}).get("labels") or {})
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
        if not items:
            raise ReleaseNotFoundError()
        out = []
        for item in items:
            try:
                rel = self._decode(item)
            except ReleaseError:
                continue
            rel.labels = dict((item.get("metadata") or {}).get("labels") or {})
            out.append(rel)
        return out

    def create(self, key: str, rel: Release) -> None:
        obj = self._object(key, rel, {"createdAt": str(int(time.time()))})
        try:
            self.kube.create(self._rt, self._ns(rel), obj)
        except ApiError as err:
            if err.already_exists:
                raise ReleaseExistsError() from None
            raise ReleaseError(f"create: failed to create: {err}") from None

    def update(self, key: str, rel: Release) -> None:
        obj = self._object(key, rel, {"modifiedAt": str(int(time.time()))})
        try:
            self.kube.replace(self._rt, self._ns(rel), key, obj)
        except ApiError as err:
            raise ReleaseError(f"update: failed to update: {err}") from None

    def delete(self, key: str) -> Release:
        rel = self.get(key)
        try:
            self.kube.delete(self._rt, self.namespace, key)
        except ApiError as err:
            if err.not_found:
                raise ReleaseNotFoundError() from None
            raise ReleaseError(str(err)) from None
        return rel


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
