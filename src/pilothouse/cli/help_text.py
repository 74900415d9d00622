"""The long descriptions `pilot CMD --help` prints above the usage (the root's, and a few more)."""

from __future__ import annotations

LONG: dict[str, str] = {
    "": """Pilothouse, a package manager for Kubernetes compatible with Helm v4: the same charts,
the same release records, the same command line, and plugins that run as sandboxed WebAssembly.

Settings come from the flags below or from the same environment variables Helm reads
(HELM_NAMESPACE, HELM_KUBECONTEXT, HELM_DRIVER, HELM_CONFIG_HOME, HELM_CACHE_HOME,
HELM_DATA_HOME, HELM_PLUGINS, HELM_DEBUG, ...); `pilot env` prints them all.""",
    "env": """Prints the environment Pilothouse runs with: every HELM_* setting, one a line.""",
    "help": """Shows the help of any command: pilot help [path to command].""",
    "completion": """Prints a script that makes your shell complete pilot commands, flags, releases and charts.""",
}
