"""Values files given as http(s) URLs (-f URL): fetched, and failures worded as Helm's HTTP getter
(Go's net/http) words them, pilot against helm."""

from __future__ import annotations

import pytest
from difftools import static_http

W = "charts/web"


@pytest.fixture
def served(tmp_path):
    root = tmp_path / "served"
    root.mkdir()
    (root / "v.yaml").write_text("replicas: 7\nmessage: from-url\n")
    with static_http(root) as url:
        yield url


@pytest.mark.parametrize("source", ["{url}/v.yaml", "{url}/missing.yaml", "http://127.0.0.1:1/v.yaml",
                                    "https://127.0.0.1:1/v.yaml"])
@pytest.mark.parametrize("command", [f"template r1 {W}", f"install r1 {W} --dry-run=client"])
def test_values_from_url_as_helm(diff, served, command, source):
    diff.check([*command.split(), "-f", source.format(url=served)])
