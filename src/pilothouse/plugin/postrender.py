"""The post-render step of `pilot template|install|upgrade --post-renderer NAME`.

`run_postrenderer` is what the template, install and upgrade actions call with the merged
manifest stream. NAME is an installed ``postrenderer/v1`` plugin (Helm 4), or — as Helm 3 allowed
and Helm 4 no longer does — a path to an executable (or an executable on PATH).

`load_postrenderer` is the same post-renderer resolved once, for a process that post-renders
many times (a library user, a controller): each call is then only the call.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from types import TracebackType

from pilothouse.errors import PluginError


class PostRenderer:
    """A post-renderer found, granted and bound once; call it with manifests, get new manifests.

    What `run_postrenderer` works out on every call — the plugin's directory and metadata, its
    sandbox grant, which Wasm entry it is called through, its command and environment, HELM_DEBUG
    and PILOT_PLUGIN_FASTPATH — is fixed when the handle is made; each call runs under the same
    sandbox and guards and raises the same errors. Calls from several threads are safe: each
    thread gets its own Wasm instance. Make a new handle to see a reinstalled plugin or a changed
    policy; `close` (or leaving a ``with`` block) frees the kept instances once no call is running.
    """

    __slots__ = ("name", "args", "_call", "_close")

    def __init__(self, name: str, args: Sequence[str] = (), *, settings: object | None = None) -> None:
        from pilothouse.plugin.env import settings_or_default
        from pilothouse.plugin.loader import find_plugin
        from pilothouse.plugin.types import postrenderer

        self.name = name
        self.args = tuple(args)
        sett = settings_or_default(settings) if settings is not None else None
        plugin = None if os.sep in name else find_plugin(name, "postrenderer/v1")
        if plugin is not None:
            self._call, self._close = postrenderer.prepare(plugin, self.args, sett)
        elif os.sep in name or shutil.which(name):
            self._call, self._close = postrenderer.prepare_executable(name, self.args)
        else:
            raise PluginError(f"plugin: {{Name:{name} Type:postrenderer/v1}} not found")

    def __call__(self, manifests: str) -> str:
        """The post-rendered ``manifests``; raises `PluginError` as `run_postrenderer` does."""
        return self._call(manifests)

    def close(self) -> None:
        """Free the Wasm instances kept for this post-renderer (in every thread)."""
        self._close()

    def __enter__(self) -> PostRenderer:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"PostRenderer({self.name!r}, {list(self.args)!r})"


def load_postrenderer(name: str, args: Sequence[str] = (), *, settings: object | None = None) -> PostRenderer:
    """The post-renderer ``name`` with ``--post-renderer-args`` ``args``, resolved once.

    Raises `PluginError` when it cannot be found or its grant or Wasm module is unusable.
    """
    return PostRenderer(name, args, settings=settings)


def run_postrenderer(name: str, args: list[str], manifests: str, *, settings: object | None = None) -> str:
    """Run the post-renderer ``name`` with ``--post-renderer-args`` ``args`` over ``manifests``.

    Returns the new manifests. Raises `PluginError` when the plugin cannot be found, fails, or
    produces nothing.
    """
    # Resolved afresh each time: this is the one call of a `pilot` process, and a cache that stays
    # right when plugins, the policy or the environment change would cost what resolving does.
    # The Wasm instance is still reused, from the per-thread pool, by the next call.
    return PostRenderer(name, args, settings=settings)(manifests)
