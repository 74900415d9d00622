"""Helm's directories and the HELM_* environment a plugin is given (`pkg/cli/environment.go`).

Plugins installed by `helm` must be seen by `pilot`, so the directories are Helm's own: the XDG
base directories under ``helm/`` (or Helm's macOS locations), overridden by HELM_DATA_HOME,
HELM_CACHE_HOME, HELM_CONFIG_HOME and, for the plugin directory itself, HELM_PLUGINS.
"""

from __future__ import annotations

import os
import sys

# Environment variables that carry credentials. Helm hands them to every plugin; the Wasm
# sandbox gives them only when a plugin asks for them by name and the user agrees.
SECRET_VARS = frozenset({"HELM_KUBETOKEN", "HELM_PLUGIN_PASSWORD", "HELM_PLUGIN_USERNAME"})


def _home() -> str:
    return os.path.expanduser("~")


def _base(env_name: str, xdg_name: str, linux_default: str, mac_default: str) -> str:
    val = os.environ.get(env_name)
    if val:
        return val
    if sys.platform == "darwin":
        return os.path.join(_home(), mac_default)
    xdg = os.environ.get(xdg_name)
    return os.path.join(xdg or os.path.join(_home(), linux_default), "helm")


def data_home() -> str:
    """HELM_DATA_HOME (default ``$XDG_DATA_HOME/helm``, i.e. ``~/.local/share/helm``)."""
    return _base("HELM_DATA_HOME", "XDG_DATA_HOME", ".local/share", "Library")


def cache_home() -> str:
    """HELM_CACHE_HOME (default ``~/.cache/helm``)."""
    return _base("HELM_CACHE_HOME", "XDG_CACHE_HOME", ".cache", "Library/Caches")


def config_home() -> str:
    """HELM_CONFIG_HOME (default ``~/.config/helm``)."""
    return _base("HELM_CONFIG_HOME", "XDG_CONFIG_HOME", ".config", "Library/Preferences")


def plugins_dir_raw() -> str:
    """HELM_PLUGINS as one string (default ``$HELM_DATA_HOME/plugins``); may hold a path list."""
    return os.environ.get("HELM_PLUGINS") or os.path.join(data_home(), "plugins")


def plugin_dirs() -> list[str]:
    """The directories searched for plugins: HELM_PLUGINS split on the OS path-list separator."""
    return [d for d in plugins_dir_raw().split(os.pathsep) if d]


def install_dir() -> str:
    """Where `pilot plugin install` puts plugins: the first entry of HELM_PLUGINS.

    Helm's local and HTTP installers ignore HELM_PLUGINS and write to HELM_DATA_HOME (a known
    Helm bug); Pilothouse honours HELM_PLUGINS for every installer.
    """
    dirs = plugin_dirs()
    return dirs[0] if dirs else os.path.join(data_home(), "plugins")


_DEFAULTS: dict[str, object] = {
    "debug": False, "namespace": None, "kube_context": "", "kubeconfig": "", "kube_token": "", "kube_as_user": "",
    "kube_as_groups": None, "kube_apiserver": "", "kube_ca_file": "", "kube_insecure_skip_tls_verify": False,
    "kube_tls_server_name": "", "registry_config": "", "repository_config": "", "repository_cache": "",
    "content_cache": "", "max_history": 10, "burst_limit": 100, "qps": 0.0, "helm_bin": "",
}


class HelmSettings:
    """The settings Helm exports to plugins as HELM_* variables (attribute names as in ``_DEFAULTS``)."""

    FIELDS = tuple(_DEFAULTS)

    debug: bool
    namespace: str | None
    kube_context: str
    kubeconfig: str
    kube_token: str
    kube_as_user: str
    kube_as_groups: list[str]
    kube_apiserver: str
    kube_ca_file: str
    kube_insecure_skip_tls_verify: bool
    kube_tls_server_name: str
    registry_config: str
    repository_config: str
    repository_cache: str
    content_cache: str
    max_history: int
    burst_limit: int
    qps: float
    helm_bin: str

    def __init__(self, **values: object) -> None:
        for name, default in _DEFAULTS.items():
            setattr(self, name, values.pop(name, default))
        if values:
            raise TypeError(f"unknown settings: {', '.join(values)}")
        if self.kube_as_groups is None:
            self.kube_as_groups = []

    @classmethod
    def from_environ(cls) -> HelmSettings:
        """Settings as Helm reads them from its environment (flags not applied)."""
        env = os.environ
        s = cls()
        s.debug = env.get("HELM_DEBUG", "").lower() in ("1", "true")
        s.namespace = env.get("HELM_NAMESPACE") or None
        s.kube_context = env.get("HELM_KUBECONTEXT", "")
        s.kubeconfig = env.get("KUBECONFIG", "")
        s.kube_token = env.get("HELM_KUBETOKEN", "")
        s.kube_as_user = env.get("HELM_KUBEASUSER", "")
        groups = env.get("HELM_KUBEASGROUPS", "")
        s.kube_as_groups = [g for g in groups.split(",") if g]
        s.kube_apiserver = env.get("HELM_KUBEAPISERVER", "")
        s.kube_ca_file = env.get("HELM_KUBECAFILE", "")
        s.kube_insecure_skip_tls_verify = env.get("HELM_KUBEINSECURE_SKIP_TLS_VERIFY", "") == "true"
        s.kube_tls_server_name = env.get("HELM_KUBETLS_SERVER_NAME", "")
        s.registry_config = env.get("HELM_REGISTRY_CONFIG", "")
        s.repository_config = env.get("HELM_REPOSITORY_CONFIG", "")
        s.repository_cache = env.get("HELM_REPOSITORY_CACHE", "")
        s.content_cache = env.get("HELM_CONTENT_CACHE", "")
        return s

    def resolved_namespace(self) -> str:
        """The namespace Helm would use: the flag, else the kubeconfig context's, else ``default``."""
        if self.namespace:
            return self.namespace
        return _kubeconfig_namespace(self.kubeconfig, self.kube_context) or "default"

    def env_vars(self) -> dict[str, str]:
        """Every HELM_* variable Helm's ``settings.EnvVars()`` sets, in Helm's formats."""
        cfg = config_home()
        cache = cache_home()
        out = {
            "HELM_BIN": self.helm_bin or (sys.argv[0] if sys.argv and sys.argv[0] else "pilot"),
            "HELM_CACHE_HOME": cache,
            "HELM_CONFIG_HOME": cfg,
            "HELM_DATA_HOME": data_home(),
            "HELM_DEBUG": "true" if self.debug else "false",
            "HELM_PLUGINS": plugins_dir_raw(),
            "HELM_REGISTRY_CONFIG": self.registry_config or os.path.join(cfg, "registry", "config.json"),
            "HELM_REPOSITORY_CACHE": self.repository_cache or os.path.join(cache, "repository"),
            "HELM_CONTENT_CACHE": self.content_cache or os.path.join(cache, "content"),
            "HELM_REPOSITORY_CONFIG": self.repository_config or os.path.join(cfg, "repositories.yaml"),
            "HELM_NAMESPACE": self.resolved_namespace(),
            "HELM_MAX_HISTORY": str(self.max_history),
            "HELM_BURST_LIMIT": str(self.burst_limit),
            "HELM_QPS": f"{self.qps:.2f}",
            "HELM_KUBECONTEXT": self.kube_context,
            "HELM_KUBETOKEN": self.kube_token,
            "HELM_KUBEASUSER": self.kube_as_user,
            "HELM_KUBEASGROUPS": ",".join(self.kube_as_groups),
            "HELM_KUBEAPISERVER": self.kube_apiserver,
            "HELM_KUBECAFILE": self.kube_ca_file,
            "HELM_KUBEINSECURE_SKIP_TLS_VERIFY": "true" if self.kube_insecure_skip_tls_verify else "false",
            "HELM_KUBETLS_SERVER_NAME": self.kube_tls_server_name,
        }
        if self.kubeconfig:
            out["KUBECONFIG"] = self.kubeconfig
        return out


def _kubeconfig_namespace(kubeconfig: str, context: str) -> str:
    """The namespace of the current (or named) kubeconfig context; '' when there is none."""
    path = (kubeconfig or os.environ.get("KUBECONFIG", "") or os.path.join(_home(), ".kube", "config"))
    path = path.split(os.pathsep)[0]
    if not path or not os.path.isfile(path):
        return ""
    try:
        import yaml

        with open(path, encoding="utf-8") as fh:
            doc = yaml.safe_load(fh) or {}
        name = context or doc.get("current-context") or ""
        for ctx in doc.get("contexts") or []:
            if ctx.get("name") == name:
                return str((ctx.get("context") or {}).get("namespace") or "")
    except Exception:  # noqa: BLE001 - an unreadable kubeconfig means "no namespace", as in Helm
        return ""
    return ""


def settings_or_default(settings: object | None) -> HelmSettings:
    """Accept a `HelmSettings`, any object with the same attribute names, or None."""
    if isinstance(settings, HelmSettings):
        return settings
    base = HelmSettings.from_environ()
    if settings is None:
        return base
    for name in HelmSettings.FIELDS:
        if hasattr(settings, name):
            val = getattr(settings, name)
            if val is not None:
                setattr(base, name, val)
    return base
