"""Rendered files → documents → resources and hooks, in Helm's install order."""

from pilothouse.manifest.hooks import HOOK_EVENTS, Hook
from pilothouse.manifest.kinds import INSTALL_ORDER, UNINSTALL_ORDER
from pilothouse.manifest.sorter import Manifest, sort_manifests
from pilothouse.manifest.split import split_manifests

__all__ = ["Hook", "HOOK_EVENTS", "INSTALL_ORDER", "UNINSTALL_ORDER", "Manifest", "sort_manifests", "split_manifests"]
