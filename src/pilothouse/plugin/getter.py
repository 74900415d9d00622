"""Chart downloads for extra URL schemes, served by ``getter/v1`` plugins.

``find_getter("s3")`` returns a function ``fetch(url, **options) -> bytes`` when an installed
plugin serves the scheme, else None. Built-in schemes (http, https, oci) are never given to
plugins, as in Helm.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

BUILTIN_SCHEMES = ("http", "https", "oci")


def find_getter(scheme: str, *, settings: object | None = None) -> Callable[..., bytes] | None:
    """A downloader for ``scheme`` from the installed getter plugins, or None.

    The returned function takes the URL and optional keyword options (``username``,
    ``password``, ``cert_file``, ``key_file``, ``ca_file``, ``url`` for the repository base URL,
    ``pass_credentials_all``, ``insecure_skip_verify_tls``, ``plain_http``, ``accept_header``,
    ``user_agent``, ``version``) and returns the bytes, or raises `PluginError`.
    """
    scheme = scheme.lower().rstrip(":/")
    if scheme in BUILTIN_SCHEMES:
        return None
    from pilothouse.plugin.env import settings_or_default
    from pilothouse.plugin.loader import find_plugins
    from pilothouse.plugin.types import getter

    for plugin in find_plugins():
        if plugin.type == "getter/v1" and scheme in [p.lower() for p in getter.protocols(plugin)]:
            sett = settings_or_default(settings)

            # `href` is positional-only: Helm's getter options include a `url` (the repository's).
            def fetch(href: str, /, *, _plugin: Any = plugin, _sett: Any = sett, **options: Any) -> bytes:
                return getter.fetch(_plugin, href, getter.GetterOptions(**options), _sett)

            return fetch
    return None
