"""`.prov` files: signed by one tool, verified by the other; tampering is caught."""

from __future__ import annotations

import shutil
from pathlib import Path

import helm_python as helm
import pytest
from repotools import DATA, make_chart, pilot


def test_verify_a_prov_signed_by_helms_go_library(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Helm's own test vector: an archive and the .prov Go wrote for it in 2019
    for f in ("hashtest-1.2.3.tgz", "hashtest-1.2.3.tgz.prov"):
        shutil.copy(DATA / f, tmp_path / f)
    assert pilot("verify", str(tmp_path / "hashtest-1.2.3.tgz"), "--keyring", str(DATA / "helm-test-key.pub")) == 0
    out = capsys.readouterr().out
    assert out == (
        "Signed by: Helm Testing (This key should only be used for testing. DO NOT TRUST.) <helm-testing@helm.sh>\n"
        "Using Key With Fingerprint: 5E615389B53CA37F0EE60BD3843BBF981FC18762\n"
        "Chart Hash Verified: sha256:c6841b3a895f1444a6738b5d04564a57e860ce42f8519c3be807fb6d9bee7888\n"
    )


def test_helm_signed_package_verifies_with_pilot(tmp_path: Path, keys: dict[str, str],
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    tgz = helm.package(str(make_chart(tmp_path / "src")), destination=str(tmp_path))
    helm.sign(tgz, key="signer@example.test", keyring=keys["secret"])
    assert pilot("verify", tgz, "--keyring", keys["public"]) == 0
    out = capsys.readouterr().out
    assert f"Signed by: {keys['plain_uid']}" in out
    assert "Chart Hash Verified: sha256:" in out


def test_pilot_signature_verifies_with_helm_and_carries_chart_yaml(tmp_path: Path, keys: dict[str, str]) -> None:
    pilot("package", str(make_chart(tmp_path / "src")), "-d", str(tmp_path), "--sign", "--key",
          "Pilot Signer", "--keyring", keys["secret"])
    tgz = tmp_path / "demo-0.1.0.tgz"
    assert helm.verify(str(tgz), keys["public"])["file_name"] == "demo-0.1.0.tgz"
    prov = (tmp_path / "demo-0.1.0.tgz.prov").read_text()
    assert prov.startswith("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n")
    assert "name: demo\n" in prov and "\n...\nfiles:\n  demo-0.1.0.tgz: sha256:" in prov


def test_tampered_archive_is_refused_by_both(tmp_path: Path, keys: dict[str, str],
                                             capsys: pytest.CaptureFixture[str]) -> None:
    pilot("package", str(make_chart(tmp_path / "src")), "-d", str(tmp_path), "--sign", "--key",
          "signer@example.test", "--keyring", keys["secret"])
    tgz = tmp_path / "demo-0.1.0.tgz"
    tgz.write_bytes(tgz.read_bytes() + b"\0")
    assert pilot("verify", str(tgz), "--keyring", keys["public"]) != 0
    assert "sha256 sum does not match for demo-0.1.0.tgz" in capsys.readouterr().err
    with pytest.raises(helm.HelmError):
        helm.verify(str(tgz), keys["public"])


def test_tampered_signed_text_is_refused(tmp_path: Path, keys: dict[str, str],
                                         capsys: pytest.CaptureFixture[str]) -> None:
    pilot("package", str(make_chart(tmp_path / "src")), "-d", str(tmp_path), "--sign", "--key",
          "signer@example.test", "--keyring", keys["secret"])
    prov = tmp_path / "demo-0.1.0.tgz.prov"
    prov.write_text(prov.read_text().replace("name: demo", "name: evil"))
    assert pilot("verify", str(tmp_path / "demo-0.1.0.tgz"), "--keyring", keys["public"]) != 0
    assert "openpgp" in capsys.readouterr().err


def test_signature_by_a_key_outside_the_keyring_is_refused(tmp_path: Path, keys: dict[str, str],
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    pilot("package", str(make_chart(tmp_path / "src")), "-d", str(tmp_path), "--sign", "--key",
          "signer@example.test", "--keyring", keys["secret"])
    assert pilot("verify", str(tmp_path / "demo-0.1.0.tgz"), "--keyring", keys["other_public"]) != 0
    assert "Error:" in capsys.readouterr().err


def test_passphrase_file_unlocks_a_protected_key(tmp_path: Path, keys: dict[str, str],
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    chart = make_chart(tmp_path / "src")
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("nope\n")
    assert pilot("package", str(chart), "-d", str(tmp_path), "--sign", "--key", "locked@example.test",
                 "--keyring", keys["pw_secret"], "--passphrase-file", str(wrong)) != 0
    assert "passphrase" in capsys.readouterr().err
    right = tmp_path / "right.txt"
    right.write_text("hunter2\n")
    assert pilot("package", str(chart), "-d", str(tmp_path), "--sign", "--key", "locked@example.test",
                 "--keyring", keys["pw_secret"], "--passphrase-file", str(right)) == 0
    assert (tmp_path / "demo-0.1.0.tgz.prov").exists()


def test_key_selection_errors(tmp_path: Path, keys: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    chart = make_chart(tmp_path / "src")
    assert pilot("package", str(chart), "-d", str(tmp_path), "--sign", "--key", "nobody",
                 "--keyring", keys["secret"]) != 0
    assert "private key not found" in capsys.readouterr().err
    assert pilot("package", str(chart), "-d", str(tmp_path), "--sign", "--key", "signer",
                 "--keyring", keys["public"]) != 0
    assert "provided key is not a private key" in capsys.readouterr().err


def test_verify_refuses_missing_prov_and_directories(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(DATA / "hashtest-1.2.3.tgz", tmp_path)
    assert pilot("verify", str(tmp_path / "hashtest-1.2.3.tgz"), "--keyring", str(DATA / "helm-test-key.pub")) != 0
    assert "could not load provenance file" in capsys.readouterr().err
    assert pilot("verify", str(tmp_path), "--keyring", str(DATA / "helm-test-key.pub")) != 0
    assert "unpacked charts cannot be verified" in capsys.readouterr().err
