"""``getter/v1``: a plugin that downloads charts and indexes for extra URL schemes (`pkg/getter`).

Subprocess getters run ``<plugin dir>/<command> [args] certFile keyFile caFile URL`` and answer
with the bytes on stdout. Wasm getters receive ``{"href", "protocol", "options"}`` (the option
keys are Go field names, as Helm sends them) and answer ``{"data": "<base64>"}``.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from urllib.parse import urlsplit

from pilothouse.errors import PluginError
from pilothouse.plugin.env import HelmSettings
from pilothouse.plugin.loader import Plugin
from pilothouse.plugin.runtimes import subprocess as sp


@dataclass
class GetterOptions:
    """The options Helm passes to a getter (``getter.Options``)."""

    url: str = ""
    cert_file: str = ""
    key_file: str = ""
    ca_file: str = ""
    untar: bool = False
    insecure_skip_verify_tls: bool = False
    plain_http: bool = False
    accept_header: str = ""
    username: str = ""
    password: str = ""
    pass_credentials_all: bool = False
    user_agent: str = ""
    version: str = ""

    def to_go(self) -> dict[str, object]:
        """The JSON Helm sends: Go field names, Timeout in nanoseconds (0 for plugins)."""
        return {"URL": self.url, "CertFile": self.cert_file, "KeyFile": self.key_file, "CAFile": self.ca_file,
                "UNTar": self.untar, "InsecureSkipVerifyTLS": self.insecure_skip_verify_tls,
                "PlainHTTP": self.plain_http, "AcceptHeader": self.accept_header, "Username": self.username,
                "Password": self.password, "PassCredentialsAll": self.pass_credentials_all,
                "UserAgent": self.user_agent, "Version": self.version, "Timeout": 0}


def protocols(plugin: Plugin) -> list[str]:
    """The URL schemes a getter plugin serves."""
    return [str(p) for p in plugin.metadata.config.get("protocols") or []]


def _failed(plugin: Plugin, why: str) -> PluginError:
    return PluginError(f'plugin "{plugin.name}" failed to invoke: {why}')


def fetch(plugin: Plugin, href: str, options: GetterOptions | None = None,
          settings: HelmSettings | None = None) -> bytes:
    """Download ``href`` with a getter plugin."""
    options = options or GetterOptions()
    settings = settings or HelmSettings.from_environ()
    scheme = urlsplit(href).scheme.lower()
    context = settings.env_vars()
    context["HELM_PLUGIN_USERNAME"] = options.username
    context["HELM_PLUGIN_PASSWORD"] = options.password
    context["HELM_PLUGIN_PASS_CREDENTIALS_ALL"] = "true" if options.pass_credentials_all else "false"
    if plugin.runtime == "extism/v1":
        from pilothouse.plugin import wasm

        try:
            result = wasm.call(plugin, {"href": href, "protocol": scheme, "options": options.to_go()},
                               context_env=context, debug=settings.debug)
        except PluginError as err:
            raise _failed(plugin, str(err)) from None
        data = wasm.field(result.json, "data")
        if data is None:
            return b""
        if not isinstance(data, str):
            raise _failed(plugin, 'output field "data" must be base64 text')
        try:
            return base64.b64decode(data, validate=True)
        except ValueError as err:
            raise _failed(plugin, f'output field "data" is not valid base64: {err}') from None
    cmds = plugin.metadata.runtime_config.get("protocolCommands") or []
    chosen = next((pc for pc in cmds if scheme in [p.lower() for p in pc.get("protocols") or []]), None)
    if chosen is None:
        raise _failed(plugin, f'no downloader found for protocol "{scheme}"')
    env = sp.plugin_env(plugin.name, plugin.dir, context)
    entry = sp.select_command(chosen.get("platformCommand") or [])
    argv = sp.build_argv(entry, env, expand_args=False)
    # Helm joins the command onto the plugin directory even when it is already absolute, which
    # breaks `${HELM_PLUGIN_DIR}/bin/x`; an absolute command is used as it is here.
    if not os.path.isabs(argv[0]):
        argv[0] = os.path.join(plugin.dir, argv[0])
    argv += [options.cert_file, options.key_file, options.ca_file, href]
    res = sp.run(argv, env, name=plugin.name, capture_stdout=True)
    if res.returncode != 0:
        raise _failed(plugin, f'plugin "{plugin.name}" exited with error')
    return res.stdout
