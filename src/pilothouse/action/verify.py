"""`pilot verify`: check a chart archive against its ``.prov`` file (Helm's ``action.Verify``)."""

from __future__ import annotations

import os
from dataclasses import dataclass

from pilothouse.errors import PilothouseError
from pilothouse.provenance.sign import Verification


def default_keyring() -> str:
    """Helm's default keyring: ``$GNUPGHOME/pubring.gpg`` or ``~/.gnupg/pubring.gpg``."""
    home = os.environ.get("GNUPGHOME") or os.path.join(os.path.expanduser("~"), ".gnupg")
    return os.path.join(home, "pubring.gpg")


def verify_chart(path: str, provfile: str, keyring: str) -> Verification:
    """Helm's ``downloader.VerifyChart``: the archive must be a ``.tgz`` with a readable ``.prov``."""
    from pilothouse.provenance.sign import Signatory

    try:
        st = os.stat(path)
    except OSError as err:
        raise PilothouseError(f"stat {path}: {(err.strerror or str(err)).lower()}") from None
    if os.path.isdir(path) or not st:
        raise PilothouseError("unpacked charts cannot be verified")
    if not path.lower().endswith(".tgz"):
        raise PilothouseError("chart must be a tgz file")
    if not os.path.exists(provfile):
        raise PilothouseError(f"could not load provenance file {provfile}: stat {provfile}: no such file or directory")
    try:
        sig = Signatory.from_keyring(keyring)
    except PilothouseError as err:
        raise PilothouseError(f"failed to load keyring: {err}") from None
    with open(path, "rb") as fh:
        archive = fh.read()
    with open(provfile, "rb") as fh:
        prov = fh.read()
    return sig.verify(archive, prov, os.path.basename(path))


def verification_report(v: Verification) -> str:
    """The lines Helm prints after a successful verification."""
    lines = [f"Signed by: {name}\n" for name in v.signed_by]
    lines.append(f"Using Key With Fingerprint: {v.fingerprint}\n")
    lines.append(f"Chart Hash Verified: {v.file_hash}\n")
    return "".join(lines)


@dataclass
class Verify:
    """The verify action: ``run(chart_file)`` returns what Helm prints."""

    keyring: str = ""

    def run(self, chart_file: str) -> str:
        """Verify ``chart_file`` against ``chart_file.prov``."""
        return verification_report(verify_chart(chart_file, chart_file + ".prov", self.keyring or default_keyring()))
