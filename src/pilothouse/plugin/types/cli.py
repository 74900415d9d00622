"""``cli/v1``: a plugin that is a `pilot` sub-command (`pkg/cmd/load_plugins.go`).

Helm pulls its own global flags out of the plugin's arguments (they configure the HELM_*
variables the plugin sees) and passes everything else, in order, to the plugin — or nothing at
all when the plugin sets ``ignoreFlags``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from pilothouse.errors import PluginError
from pilothouse.plugin.env import HelmSettings
from pilothouse.plugin.loader import Plugin
from pilothouse.plugin.runtimes import subprocess as sp

# Helm's global flags that take a value, and the settings attribute each one sets
_VALUE_FLAGS = {
    "--kube-context": "kube_context", "--namespace": "namespace", "-n": "namespace",
    "--kubeconfig": "kubeconfig", "--kube-apiserver": "kube_apiserver", "--kube-token": "kube_token",
    "--kube-as-user": "kube_as_user", "--kube-as-group": "kube_as_groups", "--kube-ca-file": "kube_ca_file",
    "--registry-config": "registry_config", "--repository-cache": "repository_cache",
    "--repository-config": "repository_config",
    "--kube-insecure-skip-tls-verify": "kube_insecure_skip_tls_verify",
    "--kube-tls-server-name": "kube_tls_server_name",
}


def command_name(plugin: Plugin) -> str:
    """The sub-command a cli/v1 plugin adds: the first word of ``usage``, else its name."""
    usage = str(plugin.metadata.config.get("usage") or "").strip()
    return usage.split()[0] if usage else plugin.name


def short_help(plugin: Plugin) -> str:
    """The one-line help Helm shows for a plugin command."""
    return str(plugin.metadata.config.get("shortHelp") or f'the "{plugin.name}" plugin')


def split_args(args: Sequence[str], settings: HelmSettings) -> list[str]:
    """Apply Helm's global flags in ``args`` to ``settings``; return the rest, in order."""
    rest: list[str] = []
    i = 0
    args = list(args)
    while i < len(args):
        a = args[i]
        if a == "--debug":
            settings.debug = True
        elif a.startswith("--debug="):
            settings.debug = a.split("=", 1)[1].lower() in ("1", "t", "true")
        else:
            flag, eq, val = a.partition("=")
            attr = _VALUE_FLAGS.get(flag)
            if attr is None:
                rest.append(a)
            else:
                if not eq:
                    # like Helm, even the boolean --kube-insecure-skip-tls-verify takes the next word
                    if i + 1 >= len(args):
                        break
                    i += 1
                    val = args[i]
                if attr == "kube_as_groups":
                    settings.kube_as_groups.append(val)
                elif attr == "kube_insecure_skip_tls_verify":
                    settings.kube_insecure_skip_tls_verify = val.lower() in ("1", "t", "true")
                else:
                    setattr(settings, attr, val)
        i += 1
    return rest


def run(plugin: Plugin, args: Sequence[str], settings: HelmSettings | None = None) -> int:
    """Run a cli/v1 plugin with the arguments that followed its name; returns the exit code."""
    settings = settings or HelmSettings.from_environ()
    extra = split_args(args, settings)
    if plugin.metadata.config.get("ignoreFlags"):
        extra = []
    context = settings.env_vars()
    if plugin.runtime == "extism/v1":
        return _run_wasm(plugin, extra, context, settings.debug)
    env = sp.plugin_env(plugin.name, plugin.dir, {**os.environ, **context})
    entry = sp.select_command(plugin.metadata.runtime_config.get("platformCommand") or [])
    argv = sp.build_argv(entry, env, expand_args=True) + extra
    sys.stdout.flush()
    res = sp.run(argv, env, name=plugin.name)
    if res.returncode != 0:
        err = PluginError(f'plugin "{plugin.name}" exited with error')
        err.exit_code = res.returncode
        raise err
    return 0


def _run_wasm(plugin: Plugin, extra: list[str], context: dict[str, str], debug: bool) -> int:
    from pilothouse.plugin import wasm
    from pilothouse.plugin.host.context import HostContext, use

    sys.stdout.flush()
    # host API calls reach the cluster the user's flags name (--kubeconfig, --kube-context)
    with use(HostContext(kubeconfig=context.get("KUBECONFIG"), kube_context=context.get("HELM_KUBECONTEXT"))):
        wasm.call(plugin, {"extraArgs": extra}, context_env=context, inherit_stdin=True, passthrough=True,
                  debug=debug)
    return 0
