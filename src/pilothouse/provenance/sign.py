"""Signing and verifying ``.prov`` files with GnuPG (see the package docstring for why GnuPG)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pilothouse.errors import PilothouseError


class ProvenanceError(PilothouseError):
    """A key cannot be found or used, or a signature or checksum does not verify."""


@dataclass
class Verification:
    """What a successful verification proves: who signed, and the archive's checked hash."""

    signed_by: list[str] = field(default_factory=list)
    fingerprint: str = ""
    file_hash: str = ""
    file_name: str = ""


def digest(data: bytes) -> str:
    """Hex SHA-256 of ``data`` (Helm's ``provenance.Digest``)."""
    return hashlib.sha256(data).hexdigest()


def digest_file(path: str) -> str:
    """Hex SHA-256 of a file's contents."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def message_block(archive_data: bytes, filename: str, metadata_yaml: bytes) -> bytes:
    """The text Helm signs: Chart.yaml, ``...``, then the archive's SHA-256 under ``files``."""
    from pilothouse import goyaml

    sums = goyaml.to_yaml({"files": {filename: "sha256:" + digest(archive_data)}})
    return metadata_yaml + b"\n...\n" + sums.encode("utf-8")


def parse_message_block(text: bytes) -> tuple[bytes, dict[str, str]]:
    """Split a signed text into its Chart.yaml part and the ``files`` map."""
    from pilothouse import goyaml

    parts = text.split(b"\n...\n")
    if len(parts) < 2:
        raise ProvenanceError("message block must have at least two parts")
    try:
        sums = goyaml.load_yaml(parts[1].decode("utf-8"))
    except Exception as err:  # noqa: BLE001 - any YAML failure means a broken block
        raise ProvenanceError(f"cannot parse the checksums of the provenance file: {err}") from None
    files = sums.get("files") if isinstance(sums, dict) else None
    if not isinstance(files, dict):
        return parts[0], {}
    return parts[0], {str(k): str(v) for k, v in files.items()}


def _gpg_binary() -> str:
    found = shutil.which("gpg")
    if not found:
        raise ProvenanceError("provenance needs GnuPG: the 'gpg' program was not found (install the gnupg package)")
    return found


class _Home:
    """A throw-away GnuPG home holding only the keys of one keyring file."""

    def __init__(self, keyring: str) -> None:
        try:
            with open(keyring, "rb") as fh:
                self.keyring_data = fh.read()
        except OSError as err:
            raise ProvenanceError(f"open {keyring}: {(err.strerror or str(err)).lower()}") from None
        self.keyring = keyring
        self.path = ""
        self.gpg: Any = None

    def __enter__(self) -> _Home:
        import gnupg

        self.path = tempfile.mkdtemp(prefix="pilot-gpg-")
        os.chmod(self.path, 0o700)
        self.gpg = gnupg.GPG(gpgbinary=_gpg_binary(), gnupghome=self.path)
        self.gpg.encoding = "utf-8"
        result = self.gpg.import_keys(self.keyring_data, extra_args=["--batch"])
        if not result.fingerprints:
            raise ProvenanceError(f"no OpenPGP keys could be read from the keyring {self.keyring}")
        return self

    def __exit__(self, *exc: object) -> None:
        gpgconf = shutil.which("gpgconf")
        if gpgconf:
            # an agent started for signing would outlive us otherwise
            subprocess.run([gpgconf, "--kill", "gpg-agent"], env={**os.environ, "GNUPGHOME": self.path},
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        shutil.rmtree(self.path, ignore_errors=True)


PassphraseFetcher = Callable[[str], bytes | str]


class Signatory:
    """Helm's ``provenance.Signatory``: a keyring and, for signing, one chosen key."""

    def __init__(self, keyring: str, key_id: str = "") -> None:
        self.keyring = keyring
        self.key_id = key_id

    @classmethod
    def from_keyring(cls, keyring: str, key_id: str = "") -> Signatory:
        """A signatory for ``keyring``; ``key_id`` picks the signing key by (part of) a user id."""
        if not os.path.exists(keyring):
            raise ProvenanceError(f"open {keyring}: no such file or directory")
        return cls(keyring, key_id)

    # --- signing ----------------------------------------------------------------------------

    def _choose(self, home: _Home) -> dict[str, Any]:
        """Helm's rule: an exact user id wins; otherwise one key whose user id contains ``key_id``."""
        keys = home.gpg.list_keys()
        candidate: dict[str, Any] | None = None
        vague = False
        for key in keys:
            for uid in key.get("uids", []):
                if uid == self.key_id:
                    return key
                if self.key_id and self.key_id in uid:
                    if candidate is not None:
                        vague = True
                    candidate = key
        if vague:
            raise ProvenanceError(f'more than one key contain the id "{self.key_id}"')
        if candidate is None:
            raise ProvenanceError("private key not found")
        return candidate

    def clear_sign(self, archive_data: bytes, filename: str, metadata_yaml: bytes,
                   passphrase: PassphraseFetcher | None = None) -> str:
        """The ``.prov`` text for an archive: the message block clear-signed with SHA-512."""
        with _Home(self.keyring) as home:
            key = self._choose(home)
            secret = {k["fingerprint"] for k in home.gpg.list_keys(secret=True)}
            if key["fingerprint"] not in secret:
                raise ProvenanceError("provided key is not a private key. Try providing a keyring with secret keys")
            block = message_block(archive_data, filename, metadata_yaml)
            # first without a passphrase (loopback pinentry never prompts); a protected key
            # refuses, and only then is the user asked, as Helm asks only for encrypted keys
            signed = home.gpg.sign(block, keyid=key["fingerprint"], clearsign=True,
                                   extra_args=["--digest-algo", "SHA512", "--batch", "--pinentry-mode", "loopback"])
            if not _signed_ok(signed):
                if passphrase is None:
                    raise ProvenanceError("failed to decrypt the signing key: it is protected by a passphrase")
                name = next((u for u in key.get("uids", []) if u), "Unknown")
                raw = passphrase(name)
                pw = raw.decode("utf-8") if isinstance(raw, bytes) else raw
                signed = home.gpg.sign(block, keyid=key["fingerprint"], passphrase=pw, clearsign=True,
                                       extra_args=["--digest-algo", "SHA512", "--batch"])
                if not _signed_ok(signed):
                    raise ProvenanceError("failed to decrypt the signing key: wrong passphrase")
            return str(signed)

    # --- verification -----------------------------------------------------------------------

    def verify(self, archive_data: bytes, prov_data: bytes, filename: str) -> Verification:
        """Check the signature against the keyring, then the archive's SHA-256 against the block."""
        if b"-----BEGIN PGP SIGNED MESSAGE-----" not in prov_data:
            raise ProvenanceError("signature block not found")
        with _Home(self.keyring) as home:
            # decrypting a clear-signed message yields exactly the text the signature covers
            # status lines may carry raw binary notation data (Go's salt notation): read them as
            # latin-1, which never fails; user ids are read back below in UTF-8
            home.gpg.encoding = "latin-1"
            result = home.gpg.decrypt(prov_data, extra_args=["--batch"])
            home.gpg.encoding = "utf-8"
            if not result.valid or not result.fingerprint:
                status = (result.status or "").strip()
                if "no public key" in status or "NO_PUBKEY" in (getattr(result, "stderr", "") or ""):
                    raise ProvenanceError("openpgp: signature made by unknown entity")
                raise ProvenanceError(f"openpgp: invalid signature: {status or 'signature does not verify'}")
            plaintext = result.data
            signer = next((k for k in home.gpg.list_keys() if result.fingerprint in
                           [k["fingerprint"]] + list(k.get("subkeys_fpr", []) or [s[2] for s in k.get("subkeys", [])])),
                          None)
        ver = Verification(fingerprint=(signer or {}).get("fingerprint", result.fingerprint).upper(),
                           signed_by=list((signer or {}).get("uids", [result.username or ""])))
        _, files = parse_message_block(plaintext.replace(b"\r\n", b"\n"))
        total = "sha256:" + digest(archive_data)
        sha = files.get(filename)
        if sha is None:
            raise ProvenanceError(f'provenance does not contain a SHA for a file named "{filename}"')
        if sha != total:
            raise ProvenanceError(f'sha256 sum does not match for {filename}: "{sha}" != "{total}"')
        ver.file_hash = total
        ver.file_name = filename
        return ver


def _signed_ok(result: Any) -> bool:
    # gpg prints the message header before it finds out the key cannot be unlocked
    return getattr(result, "returncode", 1) == 0 and "-----END PGP SIGNATURE-----" in str(result)
