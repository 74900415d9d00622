"""Registry commands and oci:// charts against a docker-registry on a free port (plain HTTP)."""

from __future__ import annotations

import re
import shlex

import pytest
from difftools import explain

PUSH = "package charts/web\npush web-0.3.0.tgz oci://{host}/charts --plain-http"

LINES = [
    ("package charts/web", "push web-0.3.0.tgz oci://{host}/charts --plain-http"),
    ("package charts/web", "push web-0.3.0.tgz {host}/charts --plain-http"),
    ("package charts/web", "push nope.tgz oci://{host}/charts --plain-http"),
    (PUSH, "show chart oci://{host}/charts/web --version 0.3.0 --plain-http"),
    (PUSH, "show values oci://{host}/charts/web --version 0.3.0 --plain-http"),
    (PUSH, "show all oci://{host}/charts/web --version 0.3.0 --plain-http"),
    (PUSH, "show chart oci://{host}/charts/web:0.3.0 --plain-http"),
    (PUSH, "show chart oci://{host}/charts/web --plain-http"),
    (PUSH, "show chart oci://{host}/charts/web --version 9.9.9 --plain-http"),
    (PUSH, "show chart oci://{host}/charts/nope --version 0.3.0 --plain-http"),
    (PUSH, "show chart oci://{host}/charts/web --version 0.3.0"),
    (PUSH, "template r1 oci://{host}/charts/web --version 0.3.0 --plain-http"),
    (PUSH, "template r1 oci://{host}/charts/web --version 0.3.0 --plain-http --set replicas=4"),
    (PUSH, "pull oci://{host}/charts/web --version 0.3.0 --plain-http"),
    (PUSH, "pull oci://{host}/charts/web --version 0.3.0 --plain-http --untar"),
    (PUSH, "pull oci://{host}/charts/web --plain-http"),
    (PUSH, "pull oci://{host}/charts/web:0.3.0 --plain-http -d out"),
    (PUSH, "pull oci://{host}/charts/nope --version 0.3.0 --plain-http"),
    (PUSH, "install r1 oci://{host}/charts/web --version 0.3.0 --plain-http"),
    (PUSH, "install r1 oci://{host}/charts/web --plain-http"),
    (PUSH + "\ninstall r1 oci://{host}/charts/web --version 0.3.0 --plain-http",
     "upgrade r1 oci://{host}/charts/web --version 0.3.0 --plain-http --set replicas=2"),
    ("", "registry login {host} -u user -p secret --plain-http"),
    ("", "registry login {host} -u user --password-stdin --plain-http"),
    ("", "registry logout {host}"),
    ("registry login {host} -u user -p secret --plain-http", "registry logout {host}"),
]


def registry_output_on_stdout(r):
    """Helm 4.2 writes the registry client's messages (Pulled:, Pushed:, Digest:) to stdout
    (helm/helm#32056, pkg/cmd/root.go); 4.1.4 wrote them to stderr."""
    moved = [x for x in r.err.splitlines(keepends=True)
             if x.startswith(("Pulled: ", "Pushed: ", "Digest: ", "Login Succeeded", "Removing login credentials"))]
    kept = [x for x in r.err.splitlines(keepends=True) if x not in moved]
    return type(r)("".join(moved) + r.out, "".join(kept), r.rc)


@pytest.mark.parametrize(("setup", "line"), LINES)
def test_registry_line(diff, registry, setup, line):
    diff.subs[registry] = "$REGISTRY"
    for cmd in filter(None, setup.format(host=registry).splitlines()):
        diff.setup(shlex.split(cmd))
    stdin = "secret\n" if "--password-stdin" in line else None
    diff.check(shlex.split(line.format(host=registry)), stdin=stdin, v42=registry_output_on_stdout)



# HTTPS (the default) against the plain-HTTP registry: the TLS handshake fails, as oras reports it.
# Push's first request names the manifest by digest, and the manifest carries its creation time
# (now, to the second): the digest is the one part that cannot be equal between two runs.
TLS_LINES = [
    ("package charts/web", "push web-0.3.0.tgz oci://{host}/charts"),
    ("package charts/web", "push web-0.3.0.tgz oci://{host}/charts --insecure-skip-tls-verify"),
    (PUSH, "pull oci://{host}/charts/web --version 0.3.0"),
    (PUSH, "pull oci://{host}/charts/web"),
    (PUSH, "install r1 oci://{host}/charts/web --version 0.3.0"),
    (PUSH, "show chart oci://{host}/charts/web --version 0.3.0"),
]


def _manifest_digest_unnamed(r):
    return type(r)(r.out, re.sub(r"/manifests/sha256:[0-9a-f]{64}", "/manifests/<DIGEST>", r.err), r.rc)


@pytest.mark.parametrize(("setup", "line"), TLS_LINES)
def test_registry_tls_to_plain_http(diff, registry, setup, line):
    diff.subs[registry] = "$REGISTRY"
    for cmd in filter(None, setup.format(host=registry).splitlines()):
        diff.setup(shlex.split(cmd))
    h, p = diff.both(shlex.split(line.format(host=registry)))
    expected = _manifest_digest_unnamed(registry_output_on_stdout(h))
    assert _manifest_digest_unnamed(p).triple() == expected.triple(), explain(shlex.split(line), expected, p)
    assert "server gave HTTP response to HTTPS client" in p.err
