"""`pilot search hub` against a local stand-in of the hub's search API, side by side with the real
`helm`: the same request, the same table, JSON and YAML, the same errors."""

from __future__ import annotations

import json
import shlex
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from helmdiff_cli import both

PACKAGES = [
    {"id": "bitnami/nginx", "artifactHub": {"packageUrl": "https://artifacthub.io/packages/chart/bitnami/nginx"},
     "attributes": {"name": "nginx", "description": "NGINX Open Source is a web server that can be also used as a "
                    "reverse proxy, load balancer, and HTTP cache.",
                    "repo": {"name": "bitnami", "url": "https://charts.bitnami.com/bitnami"}},
     "relationships": {"latestChartVersion": {"data": {"version": "18.1.2", "app_version": "1.25.3"}}}},
    {"id": "stable/nginx-ingress", "artifactHub": {"packageUrl": ""},
     "attributes": {"name": "nginx-ingress", "description": "An nginx Ingress controller <deprecated> & more",
                    "repo": {"name": "stable", "url": "https://charts.example.org/stable"}},
     "relationships": {"latestChartVersion": {"data": {"version": "1.41.3", "app_version": "v0.34.1"}}}},
]


class _Hub(BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        type(self).requests.append(self.path)
        parts = urlsplit(self.path)
        if not parts.path.endswith("/api/chartsvc/v1/charts/search"):
            self.send_error(404)
            return
        if parts.path.startswith("/broken"):
            self.send_error(500)
            return
        query = parse_qs(parts.query).get("q", [""])[0]
        data = [p for p in PACKAGES if query in p["id"]] if query != "none" else []
        body = json.dumps({"data": data}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def hub():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


LINES = [
    "search hub nginx", "search hub", "search hub ingress", "search hub none", "search hub none --fail-on-no-result",
    "search hub nginx -o json", "search hub nginx -o yaml", "search hub none -o json", "search hub none -o yaml",
    "search hub none -o json --fail-on-no-result", "search hub nginx --list-repo-url", "search hub nginx --max-col-width 20",
    "search hub nginx --max-col-width=0", "search hub nginx --list-repo-url -o json", "search hub nginx ingress",
    "search hub 'nginx ingress'",
]


@pytest.mark.parametrize("line", LINES)
def test_search_hub_as_helm(hub, tmp_path, line):
    helm, pilot = both([*shlex.split(line), "--endpoint", hub], tmp_path)
    assert (pilot.rc, pilot.err, pilot.out) == (helm.rc, helm.err, helm.out)


@pytest.mark.parametrize("endpoint", ["{hub}/broken", "http://127.0.0.1:1", "nohost", "{hub}/prefix"])
def test_search_hub_errors_as_helm(hub, tmp_path, endpoint):
    helm, pilot = both(["search", "hub", "nginx", "--endpoint", endpoint.format(hub=hub)], tmp_path)
    assert (pilot.rc, pilot.err, pilot.out) == (helm.rc, helm.err, helm.out)


def test_request_as_helm_sends_it(hub, tmp_path):
    _Hub.requests.clear()
    both(["search", "hub", "a b&c", "--endpoint", hub + "/sub/"], tmp_path)
    helm_path, pilot_path = _Hub.requests
    assert pilot_path == helm_path == "/sub/api/chartsvc/v1/charts/search?q=a+b%26c"
