"""A fresh OpenPGP signing key for tests that sign and verify (charts, plugins)."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SigningKey:
    """Keyrings exported from a throwaway GnuPG home."""

    home: Path
    public: Path  # pubring.gpg
    secret: Path  # secring.gpg
    fingerprint: str

    def close(self) -> None:
        """Stop the agent gpg started for this home."""
        subprocess.run(["gpgconf", "--homedir", str(self.home), "--kill", "gpg-agent"], check=False,
                       capture_output=True)


def make_signing_key(home: Path, uid: str) -> SigningKey:
    """An ed25519 signing key with no passphrase, made in ``home`` (created 0700)."""
    home.mkdir(parents=True, exist_ok=True)
    os.chmod(home, 0o700)
    gpg = ["gpg", "--homedir", str(home), "--batch", "--passphrase", "", "--pinentry-mode", "loopback"]
    subprocess.run(gpg + ["--quick-gen-key", uid, "ed25519", "sign", "never"], check=True, capture_output=True)
    pub, sec = home / "pubring.gpg", home / "secring.gpg"
    pub.write_bytes(subprocess.run(gpg + ["--export"], check=True, capture_output=True).stdout)
    sec.write_bytes(subprocess.run(gpg + ["--export-secret-keys"], check=True, capture_output=True).stdout)
    listing = subprocess.run(gpg + ["--with-colons", "--list-keys"], check=True, capture_output=True, text=True).stdout
    fingerprint = next(line.split(":")[9] for line in listing.splitlines() if line.startswith("fpr:"))
    return SigningKey(home, pub, sec, fingerprint)
