"""Release records and where they are kept (Helm's `pkg/release` and `pkg/storage`).

`Release` is one revision, stored as Helm stores it (`helm.sh/release.v1`, base64(gzip(JSON))),
so Helm and Pilothouse read each other's releases. `Storage` keeps a history on top of a driver:
`Secrets` (default), `ConfigMaps`, `Memory` or `SQL` (PostgreSQL), chosen by ``HELM_DRIVER``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pilothouse.release.codec import decode_release, encode_release
    from pilothouse.release.driver import new_driver
    from pilothouse.release.model import Info, Release
    from pilothouse.release.storage import Storage, make_key

_EXPORTS = {
    "Release": "model",
    "Info": "model",
    "Storage": "storage",
    "make_key": "storage",
    "encode_release": "codec",
    "decode_release": "codec",
    "new_driver": "driver",
}

__all__ = ["Info", "Release", "Storage", "decode_release", "encode_release", "make_key", "new_driver"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'pilothouse.release' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"pilothouse.release.{module}"), name)
