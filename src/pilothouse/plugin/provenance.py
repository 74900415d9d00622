"""Plugin provenance (``<name>-<version>.tgz.prov``): signing and verifying as Helm does.

A ``.prov`` file is an OpenPGP clear-signed text (SHA-512) whose body is the plugin's metadata,
a ``...`` line, and a ``files:`` map from the tarball's file name to ``sha256:<hex>``.
Verification checks the signature against a keyring and the tarball's digest against that map.
The OpenPGP work is done by GnuPG in a private, temporary home, so the user's own GnuPG
configuration is neither used nor changed; keyrings are files, as with Helm's ``--keyring``.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from typing import Any

from pilothouse.errors import PluginError

_BEGIN = "-----BEGIN PGP SIGNED MESSAGE-----"
_SIG = "-----BEGIN PGP SIGNATURE-----"


def default_keyring() -> str:
    """``$GNUPGHOME/pubring.gpg``, else ``~/.gnupg/pubring.gpg``."""
    home = os.environ.get("GNUPGHOME") or os.path.join(os.path.expanduser("~"), ".gnupg")
    return os.path.join(home, "pubring.gpg")


def _gpg(home: str, args: list[str], stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    exe = shutil.which("gpg")
    if exe is None:
        raise PluginError("signing and verifying plugins needs GnuPG (`gpg`), which is not installed")
    return subprocess.run([exe, "--homedir", home, "--batch", "--no-tty", "--pinentry-mode", "loopback", *args],
                          input=stdin, capture_output=True, check=False)


def _import(home: str, keyring: str) -> None:
    if not os.path.isfile(keyring):
        raise PluginError(f"open {keyring}: no such file or directory")
    with open(keyring, "rb") as fh:
        first = fh.read(1)
    if not first:
        return  # an empty keyring holds no keys: signatures are then by an unknown entity
    if not first[0] & 0x80:
        # Helm reads binary keyrings only (openpgp.ReadKeyRing): armored or other text is refused
        raise PluginError("openpgp: invalid data: tag byte does not have MSB set")
    res = _gpg(home, ["--import", keyring])
    if res.returncode not in (0, 2):  # 2: some keys skipped (e.g. public part already present)
        raise PluginError(f"cannot read keyring {keyring}: {res.stderr.decode(errors='replace').strip()}")


def sha256_file(path: str) -> str:
    """``sha256:<hex>`` of a file."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return "sha256:" + h.hexdigest()


def go_metadata_yaml(md: Any) -> str:
    """The plugin metadata as Helm signs it (yaml.Marshal of the Go struct)."""
    import yaml

    doc = {"APIVersion": md.api_version, "Name": md.name, "Type": md.type, "Runtime": md.runtime,
           "Version": md.version, "SourceURL": md.source_url, "Config": md.config,
           "RuntimeConfig": md.runtime_config}
    return yaml.safe_dump(doc, sort_keys=False)


def sign(tarball: str, metadata: Any, key: str, keyring: str, passphrase: str | None = None) -> str:
    """Write ``<tarball>.prov`` signed with the secret key matching ``key`` from ``keyring``."""
    body = (go_metadata_yaml(metadata) + "...\nfiles:\n"
            + f"  {os.path.basename(tarball)}: {sha256_file(tarball)}\n")
    with tempfile.TemporaryDirectory(prefix="pilot-gpg-") as home:
        os.chmod(home, 0o700)
        _import(home, keyring)
        args = ["--clearsign", "--digest-algo", "SHA512", "--armor"]
        if key:
            args += ["--local-user", key]
        if passphrase is not None:
            args += ["--passphrase", passphrase]
        res = _gpg(home, args, stdin=body.encode())
        if res.returncode != 0:
            raise PluginError(f"failed to sign plugin: {res.stderr.decode(errors='replace').strip()}")
    prov = tarball + ".prov"
    with open(prov, "wb") as fh:
        fh.write(res.stdout)
    return prov


@dataclass
class Verification:
    """What a good signature told us."""

    signers: list[str]
    fingerprint: str
    file_hash: str


def _signed_body(text: str) -> str:
    """The cleartext of a clear-signed message, dash-escaping undone."""
    if _BEGIN not in text or _SIG not in text:
        raise PluginError("invalid provenance: not a clear-signed message")
    after = text.split(_BEGIN, 1)[1]
    head, _, rest = after.partition("\n\n")
    body = rest.split("\n" + _SIG, 1)[0]
    return "\n".join(line[2:] if line.startswith("- ") else line for line in body.split("\n"))


def parse_files(prov_text: str) -> dict[str, str]:
    """The ``files`` map of a provenance body (after the ``...`` line)."""
    import yaml

    body = _signed_body(prov_text)
    parts = re.split(r"\n\.\.\.\n", "\n" + body, maxsplit=1)
    if len(parts) != 2:
        raise PluginError("invalid provenance: no files section")
    try:
        doc = yaml.safe_load(parts[1]) or {}
    except yaml.YAMLError as err:
        raise PluginError(f"invalid provenance: {err}") from None
    files = doc.get("files") if isinstance(doc, dict) else None
    return {str(k): str(v) for k, v in (files or {}).items()}


def _crc24(data: bytes) -> int:
    crc = 0xB704CE
    for byte in data:
        crc ^= byte << 16
        for _ in range(8):
            crc <<= 1
            if crc & 0x1000000:
                crc ^= 0x1864CFB
    return crc & 0xFFFFFF


def with_armor_checksum(text: str) -> str:
    """The message with the armor's ``=CRC`` line added when the signer left it out.

    RFC 9580 makes that line optional and Helm's OpenPGP library omits it for newer keys
    (EdDSA); GnuPG 2.2 then misreads the END line, reporting the good signature yet failing."""
    import base64
    import binascii

    head, sep, tail = text.partition(_SIG)
    armor, end, rest = tail.partition("-----END PGP SIGNATURE-----")
    if not sep or not end:
        return text
    lines = armor.split("\n")
    try:
        blank = lines.index("", 1)
    except ValueError:
        return text
    body = [ln.strip() for ln in lines[blank + 1:] if ln.strip()]
    if not body or any(ln.startswith("=") for ln in body):
        return text
    try:
        raw = base64.b64decode("".join(body), validate=True)
    except (binascii.Error, ValueError):
        return text
    crc = base64.b64encode(_crc24(raw).to_bytes(3, "big")).decode()
    fixed = "\n".join(lines[:blank + 1] + body + [f"={crc}", ""])
    return head + sep + fixed + end + rest


def verify(tarball: str, prov: str, keyring: str, *, name_in_prov: str | None = None) -> Verification:
    """Check the signature of ``prov`` against ``keyring`` and the tarball's digest against it."""
    try:
        with open(prov, encoding="utf-8") as fh:
            text = fh.read()
    except OSError as err:
        raise PluginError(f"could not load provenance file {prov}: {err.strerror}") from None
    with tempfile.TemporaryDirectory(prefix="pilot-gpg-") as home:
        os.chmod(home, 0o700)
        _import(home, keyring)
        # the message is handed over with a final newline: Helm writes none after the armor's END
        # line, and GnuPG then reports the good signature but exits with "no valid OpenPGP data"
        data = with_armor_checksum(text).encode("utf-8")
        res = _gpg(home, ["--status-fd", "1", "--verify", "-"], stdin=data if data.endswith(b"\n") else data + b"\n")
    status = res.stdout.decode(errors="replace")
    valid = re.search(r"^\[GNUPG:\] VALIDSIG (\S+)", status, re.M)
    if res.returncode != 0 or not valid:
        raise PluginError("openpgp: signature made by unknown entity" if "NO_PUBKEY" in status
                          else "openpgp: invalid signature")
    signers = re.findall(r"^\[GNUPG:\] GOODSIG \S+ (.+)$", status, re.M)
    files = parse_files(text)
    fname = name_in_prov or os.path.basename(tarball)
    want = files.get(fname)
    if want is None:
        raise PluginError(f'provenance does not contain a SHA for a file named "{fname}"')
    have = sha256_file(tarball)
    if want != have:
        raise PluginError(f"sha256 sum does not match for {fname}: {want!r} != {have!r}")
    return Verification(signers=signers, fingerprint=valid.group(1).upper(), file_hash=have)


def status(tarball: str, prov: str) -> str:
    """The PROVENANCE column of `plugin list`: signed, unsigned, invalid or mismatched provenance."""
    if not os.path.isfile(tarball) or not os.path.isfile(prov):
        return "unsigned"
    try:
        with open(prov, encoding="utf-8") as fh:
            text = fh.read()
        files = parse_files(text)
    except (OSError, PluginError):
        return "invalid provenance"
    if files.get(os.path.basename(tarball)) != sha256_file(tarball):
        return "mismatched provenance"
    return "signed"
