"""Importing PyYAML for its libyaml parser without paying for its pure-Python reader.

Importing ``yaml`` compiles about a dozen regular expressions (the pure-Python reader's
non-printable class, the implicit resolvers, the timestamp constructor) that Pilothouse's own
YAML reader never uses: it takes events from libyaml and resolves scalars itself. Compiling
them is most of the package's import time, paid by every command that reads a chart or a
kubeconfig. `import_yaml` imports the package with ``re.compile`` deferred: each pattern
compiles on its first use, so code that does use PyYAML's resolvers behaves exactly as before.
"""

from __future__ import annotations

import re
import sys
import threading
from types import ModuleType
from typing import Any

_lock = threading.Lock()


class DeferredPattern:
    """``re.compile(*args)``, compiled when first used (for patterns most runs never need)."""

    __slots__ = ("_args", "_compiled")

    def __init__(self, *args: Any) -> None:
        self._args = args
        self._compiled: re.Pattern[Any] | None = None

    def _pattern(self) -> re.Pattern[Any]:
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = _real_compile(*self._args)
        return compiled

    def __getattr__(self, name: str) -> Any:
        return getattr(self._pattern(), name)

    def __repr__(self) -> str:
        return repr(self._pattern())


_real_compile = re.compile


def import_yaml() -> ModuleType:
    """The ``yaml`` module, imported with its patterns compiled on first use."""
    mod = sys.modules.get("yaml")
    if mod is not None:
        return mod
    with _lock:
        if "yaml" in sys.modules:
            return sys.modules["yaml"]
        re.compile = DeferredPattern  # type: ignore[assignment]
        try:
            import yaml
            import yaml._yaml  # noqa: F401 - the C parser, the reason for importing PyYAML
        finally:
            re.compile = _real_compile
    return yaml
