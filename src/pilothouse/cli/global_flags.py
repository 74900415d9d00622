"""Helm 4.2's global flags (``pkg/cli/environment.go``) and the HELM_* variables behind them.

Every flag's default comes from its variable, as ``cli.New()`` reads them; a flag given on
the command line is exported back to its variable while the command runs, so the kube client,
the repository and registry code and plugins all see one setting whichever way it was given.
"""

from __future__ import annotations

import os

from pilothouse.cli.pflag import Flag, ParseResult, parse_bool, parse_float, parse_int

# flag name -> the variable it is read from and exported to
ENV_OF_FLAG: dict[str, str] = {
    "namespace": "HELM_NAMESPACE",
    "kube-context": "HELM_KUBECONTEXT",
    "kube-token": "HELM_KUBETOKEN",
    "kube-as-user": "HELM_KUBEASUSER",
    "kube-as-group": "HELM_KUBEASGROUPS",
    "kube-apiserver": "HELM_KUBEAPISERVER",
    "kube-ca-file": "HELM_KUBECAFILE",
    "kube-tls-server-name": "HELM_KUBETLS_SERVER_NAME",
    "kube-insecure-skip-tls-verify": "HELM_KUBEINSECURE_SKIP_TLS_VERIFY",
    "debug": "HELM_DEBUG",
    "registry-config": "HELM_REGISTRY_CONFIG",
    "repository-config": "HELM_REPOSITORY_CONFIG",
    "repository-cache": "HELM_REPOSITORY_CACHE",
    "content-cache": "HELM_CONTENT_CACHE",
    "burst-limit": "HELM_BURST_LIMIT",
    "qps": "HELM_QPS",
    "color": "HELM_COLOR",
    "colour": "HELM_COLOR",
    # Helm reads --kubeconfig into KUBECONFIG; the kube client here takes an explicit file from HELM_KUBECONFIG
    "kubeconfig": "HELM_KUBECONFIG",
}


def _env_int(name: str, default: int) -> int:
    try:
        return parse_int(os.environ[name], 64) if name in os.environ else default
    except ValueError:
        return default


def _env_float(name: str, default: float) -> float:
    try:
        return parse_float(os.environ[name], 32) if name in os.environ else default
    except ValueError:
        return default


def color_mode() -> str:
    """``envColorMode``: NO_COLOR wins, then a valid HELM_COLOR, else ``auto``."""
    if os.environ.get("NO_COLOR"):
        return "never"
    mode = os.environ.get("HELM_COLOR", "").lower()
    return mode if mode in ("never", "auto", "always") else "auto"


def _float32_text(value: float) -> str:
    return f"{value:g}" if value else "0"


def global_flags() -> list[Flag]:
    """The persistent flags of the root command, with their defaults from the environment."""
    from pilothouse.plugin.env import cache_home, config_home

    env = os.environ
    groups = [g for g in env.get("HELM_KUBEASGROUPS", "").strip(", ").split(",") if g] \
        if env.get("HELM_KUBEASGROUPS", "").strip(", ") else []
    try:
        insecure = parse_bool(env.get("HELM_KUBEINSECURE_SKIP_TLS_VERIFY", "false"))
    except ValueError:
        insecure = False
    try:
        debug = parse_bool(env.get("HELM_DEBUG", ""))
    except ValueError:
        debug = False
    color = color_mode()
    cfg, cache = config_home(), cache_home()
    return [
        Flag("namespace", "n", "string", "namespace scope for this request", env.get("HELM_NAMESPACE", "")),
        Flag("kubeconfig", "", "string", "path to the kubeconfig file", ""),
        Flag("kube-context", "", "string", "name of the kubeconfig context to use", env.get("HELM_KUBECONTEXT", "")),
        Flag("kube-token", "", "string", "bearer token used for authentication", env.get("HELM_KUBETOKEN", "")),
        Flag("kube-as-user", "", "string", "username to impersonate for the operation", env.get("HELM_KUBEASUSER", "")),
        Flag("kube-as-group", "", "stringArray",
             "group to impersonate for the operation, this flag can be repeated to specify multiple groups.",
             "[" + ",".join(groups) + "]", dest="kube_as_group"),
        Flag("kube-apiserver", "", "string", "the address and the port for the Kubernetes API server",
             env.get("HELM_KUBEAPISERVER", "")),
        Flag("kube-ca-file", "", "string", "the certificate authority file for the Kubernetes API server connection",
             env.get("HELM_KUBECAFILE", "")),
        Flag("kube-tls-server-name", "", "string",
             "server name to use for Kubernetes API server certificate validation. If it is not provided, the hostname "
             "used to contact the server is used", env.get("HELM_KUBETLS_SERVER_NAME", "")),
        Flag("kube-insecure-skip-tls-verify", "", "bool",
             "if true, the Kubernetes API server's certificate will not be checked for validity. This will make your "
             "HTTPS connections insecure", "true" if insecure else "false"),
        Flag("debug", "", "bool", "enable verbose output", "true" if debug else "false"),
        Flag("registry-config", "", "string", "path to the registry config file",
             env.get("HELM_REGISTRY_CONFIG", os.path.join(cfg, "registry", "config.json"))),
        Flag("repository-config", "", "string", "path to the file containing repository names and URLs",
             env.get("HELM_REPOSITORY_CONFIG", os.path.join(cfg, "repositories.yaml"))),
        Flag("repository-cache", "", "string", "path to the directory containing cached repository indexes",
             env.get("HELM_REPOSITORY_CACHE", os.path.join(cache, "repository"))),
        Flag("content-cache", "", "string", "path to the directory containing cached content (e.g. charts)",
             env.get("HELM_CONTENT_CACHE", os.path.join(cache, "content"))),
        Flag("burst-limit", "", "int", "client-side default throttling limit", str(_env_int("HELM_BURST_LIMIT", 100))),
        Flag("qps", "", "float32",
             "queries per second used when communicating with the Kubernetes API, not including bursting",
             _float32_text(_env_float("HELM_QPS", 0.0))),
        Flag("color", "", "string", "use colored output (never, auto, always)", color),
        Flag("colour", "", "string", "use colored output (never, auto, always)", color, dest="color"),
    ]


GLOBAL_DESTS = ("namespace", "kubeconfig", "kube_context", "kube_token", "kube_as_user", "kube_as_group",
                "kube_apiserver", "kube_ca_file", "kube_tls_server_name", "kube_insecure_skip_tls_verify", "debug",
                "registry_config", "repository_config", "repository_cache", "content_cache", "burst_limit", "qps",
                "color")


def settings_values(flags: list[Flag], parsed: ParseResult) -> dict[str, object]:
    """The value of every global setting: the last flag given, else the environment's."""
    out: dict[str, object] = {}
    for f in flags:
        if f.dest in out and not parsed.changed(f.name):
            continue
        given = [v for g, v in parsed.values if g.name == f.name]
        if f.kind == "stringArray":
            default = f.default[1:-1]
            out[f.dest] = given if given else ([g for g in default.split(",") if g] if default else [])
        elif f.kind == "bool":
            out[f.dest] = parse_bool(given[-1] if given else f.default)
        elif f.kind == "int":
            out[f.dest] = parse_int(given[-1] if given else f.default)
        elif f.kind == "float32":
            out[f.dest] = parse_float(given[-1] if given else f.default, 32)
        else:
            out[f.dest] = given[-1] if given else f.default
    return out


def export(parsed: ParseResult) -> None:
    """Put the global flags given on the command line into their HELM_* variables."""
    groups: list[str] = []
    for f, value in parsed.values:
        var = ENV_OF_FLAG.get(f.name)
        if var is None:
            continue
        if f.name == "kube-as-group":
            groups.append(value)
            os.environ[var] = ",".join(groups)
        elif f.kind == "bool":
            os.environ[var] = "true" if parse_bool(value) else "false"
        elif f.name == "qps":
            os.environ[var] = f"{parse_float(value, 32):.2f}"
        else:
            os.environ[var] = value
