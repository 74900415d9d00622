"""Helpers of the host API tests: paths, the plugin builds, a Vault-style KV server, approvals."""

from __future__ import annotations

import importlib.util
import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
EXAMPLES = ROOT / "examples" / "plugins"
CHART = HERE / "charts" / "web"

_spec = importlib.util.spec_from_file_location("plugin_builds_for_hostapi", HERE.parent / "conftest.py")
assert _spec is not None and _spec.loader is not None
builds = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(builds)


def writes(srv) -> list[tuple[str, str]]:
    """(method, path) of every request that could change the cluster."""
    return [(m, p) for m, p, *_ in srv.requests if m not in ("GET", "HEAD", "OPTIONS")]


class Vault:
    """A Vault-style KV v2 server on 127.0.0.1 (port 0): GET /v1/<mount>/data/<path> with X-Vault-Token."""

    def __init__(self, token: str, secrets: dict[str, dict[str, str]]) -> None:
        self.token, self.secrets = token, secrets
        self.seen: list[tuple[str, str]] = []
        self.redirect_to: str | None = None
        vault = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keeps connections alive, as Vault does
            disable_nagle_algorithm = True  # headers and body go out at once, as Vault's do

            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                vault.seen.append((self.path, self.headers.get("X-Vault-Token", "")))
                if vault.redirect_to:
                    self.send_response(302)
                    self.send_header("Location", vault.redirect_to + self.path)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if self.headers.get("X-Vault-Token") != vault.token:
                    return self._send(403, {"errors": ["permission denied"]})
                path = self.path.removeprefix("/v1/")
                mount, _, rest = path.partition("/data/")
                data = vault.secrets.get(f"{mount}/{rest}")
                if data is None:
                    return self._send(404, {"errors": []})
                return self._send(200, {"data": {"data": data, "metadata": {"version": 1}}})

            def _send(self, code: int, body: object) -> None:
                raw = json.dumps(body).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, *args: object) -> None:
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.http.server_address[1]}"
        self.thread = threading.Thread(target=self.http.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.http.shutdown()
        self.http.server_close()


def approve_all(helm_home, *names: str) -> None:
    """What `pilot plugin install --yes` records: the user approved each plugin's requests."""
    from pilothouse.plugin import policy, wasm
    from pilothouse.plugin.loader import find_plugin

    for n in names:
        p = find_plugin(n)
        assert p is not None, n
        policy.approve(n, policy.requested(p.metadata.runtime_config, os.path.join(p.dir, "plugin.yaml"), p.dir))
        wasm._grants.clear()


def tool(name: str, *args: str, env: dict[str, str], input: str | None = None):  # noqa: ANN201, A002
    """Run the real kubectl or helm (test oracles) with the test's environment; kubectl keeps its
    discovery cache under the test's cache directory."""
    import subprocess
    import sys

    argv = [str(Path(sys.executable).parent / name), *args]
    if name == "kubectl":
        argv.insert(1, f"--cache-dir={env['HELM_CACHE_HOME']}/kube")
    return subprocess.run(argv, env={**os.environ, **env}, input=input, capture_output=True, text=True,
                          cwd=str(ROOT))
