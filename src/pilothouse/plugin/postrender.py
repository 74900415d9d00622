"""The post-render step of `pilot template|install|upgrade --post-renderer NAME`.

`run_postrenderer` is what the template, install and upgrade actions call with the merged
manifest stream. NAME is an installed ``postrenderer/v1`` plugin (Helm 4), or — as Helm 3 allowed
and Helm 4 no longer does — a path to an executable (or an executable on PATH).
"""

from __future__ import annotations

import os
import shutil

from pilothouse.errors import PluginError


def run_postrenderer(name: str, args: list[str], manifests: str, *, settings: object | None = None) -> str:
    """Run the post-renderer ``name`` with ``--post-renderer-args`` ``args`` over ``manifests``.

    Returns the new manifests. Raises `PluginError` when the plugin cannot be found, fails, or
    produces nothing.
    """
    from pilothouse.plugin.env import settings_or_default
    from pilothouse.plugin.loader import find_plugin
    from pilothouse.plugin.types import postrenderer

    sett = settings_or_default(settings) if settings is not None else None
    plugin = None if os.sep in name else find_plugin(name, "postrenderer/v1")
    if plugin is not None:
        return postrenderer.run(plugin, args, manifests, sett)
    if os.sep in name or shutil.which(name):
        return postrenderer.run_executable(name, args, manifests)
    raise PluginError(f"plugin: {{Name:{name} Type:postrenderer/v1}} not found")
