"""``plugin package`` in Helm's order (pkg/cmd/plugin_package.go): the path checked, the plugin
loaded, the destination made, the signing key readied, then the archive written; so every
failure says what helm says and leaves no archive, and an unsigned archive comes with helm's
warning. Both tools package the same plugin on their own side; errors and outputs must match."""

from __future__ import annotations

import shlex

import pytest

PLUGIN_YAML = """apiVersion: v1
name: tidy
version: 0.4.2
type: cli/v1
runtime: subprocess
config:
  shortHelp: tidy things up
runtimeConfig:
  platformCommand:
    - command: echo
      args: ["tidy"]
"""


@pytest.fixture(scope="module")
def keyrings(tmp_path_factory):
    """A fresh ed25519 signing key: (secret keyring, public keyring)."""
    from gpgkeys import make_signing_key

    key = make_signing_key(tmp_path_factory.mktemp("gnupg"), "Tidy Signer <tidy@example.test>")
    yield str(key.secret), str(key.public)
    key.close()


def _layout(diff):
    for side in diff.sides.values():
        (side.work / "tidy").mkdir()
        (side.work / "tidy" / "plugin.yaml").write_text(PLUGIN_YAML)
        (side.work / "tidy" / "run.sh").write_text("#!/bin/sh\necho tidy\n")
        (side.work / "empty").mkdir()
        (side.work / "afile.tgz").write_text("not a directory")


def _outputs(diff):
    return [sorted(p.name for p in (diff.sides[s].work / "out").glob("*")) if (diff.sides[s].work / "out").exists()
            else None for s in "ab"]


LINES = [
    "plugin package tidy --sign=false -d out",
    "plugin package tidy --sign=false",
    "plugin package tidy -d out",  # signing by default: the default keyring does not exist
    "plugin package tidy -d out --keyring missing.gpg",
    "plugin package tidy -d out --keyring {pub} --key tidy",
    "plugin package tidy -d out --keyring {sec} --key nobody",
    "plugin package tidy -d out --keyring {sec}",
    "plugin package afile.tgz -d out",
    "plugin package nothing-here -d out",
    "plugin package empty --sign=false -d out",
    "plugin package tidy --sign=false -d afile.tgz/sub",
    "plugin package",
]


@pytest.mark.parametrize("line", LINES)
def test_plugin_package_as_helm(diff, keyrings, line):
    sec, pub = keyrings
    _layout(diff)
    diff.check(shlex.split(line.format(sec=sec, pub=pub)))
    a, b = _outputs(diff)
    assert b == a


def test_signed_archive_verifies_with_helm(diff, keyrings):
    sec, pub = keyrings
    _layout(diff)
    diff.check(["plugin", "package", "tidy", "-d", "out", "--keyring", sec, "--key", "tidy@example.test"])
    assert _outputs(diff) == [["tidy-0.4.2.tgz", "tidy-0.4.2.tgz.prov"]] * 2
    # helm accepts what pilot signed, and pilot what helm signed
    for side in "ab":
        diff.check(["plugin", "verify", "out/tidy-0.4.2.tgz", "--keyring", pub], side=side)


VERIFY = [
    "plugin verify out/tidy-0.4.2.tgz --keyring {pub}",
    "plugin verify out/tidy-0.4.2.tgz --keyring empty.gpg",  # no keys: an unknown signer
    "plugin verify out/tidy-0.4.2.tgz --keyring text.gpg",  # helm reads binary keyrings only
    "plugin verify out/tidy-0.4.2.tgz --keyring missing.gpg",
    "plugin verify out/tidy-0.4.2.tgz",  # the default keyring does not exist
    "plugin verify out/nothing.tgz",
    "plugin verify out",
    "plugin verify out/copy.tar",
    "plugin verify out/unsigned.tgz",
]


@pytest.mark.parametrize("line", VERIFY)
def test_plugin_verify_as_helm(diff, keyrings, line):
    """A helm-signed archive (EdDSA: helm writes its armor without a checksum line) checked by both."""
    sec, pub = keyrings
    _layout(diff)
    diff.setup(["plugin", "package", "tidy", "-d", "out", "--keyring", sec, "--key", "tidy"])
    for side in diff.sides.values():
        out = side.work / "out"
        (side.work / "empty.gpg").write_bytes(b"")
        (side.work / "text.gpg").write_text("-----BEGIN PGP PUBLIC KEY BLOCK-----\n")
        (out / "copy.tar").write_bytes((out / "tidy-0.4.2.tgz").read_bytes())
        (out / "unsigned.tgz").write_bytes((out / "tidy-0.4.2.tgz").read_bytes())
    diff.check(shlex.split(line.format(pub=pub)))
