"""Chart provenance: ``.prov`` files signed and verified as Helm does.

A ``.prov`` file is an OpenPGP clear-signed message (SHA-512) whose text is the chart's
Chart.yaml, a line ``...``, and a YAML map ``files: {<archive name>: sha256:<hex>}``.

The OpenPGP work is done by GnuPG (Debian's ``gnupg``) through ``python-gnupg``, in a private
temporary home that holds only the keys of the keyring given. GnuPG was chosen over the pure
Python and Sequoia bindings because it reads every key and signature Helm's Go library has
written over the years (Sequoia rejects the non-minimal MPIs older Go signatures carry, and
PGPy is no longer maintained), and because its output is what the Helm ecosystem already uses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pilothouse.provenance.sign import Signatory, Verification, digest, digest_file, message_block

__all__ = ["Signatory", "Verification", "digest", "digest_file", "message_block"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from pilothouse.provenance import sign

        return getattr(sign, name)
    raise AttributeError(f"module 'pilothouse.provenance' has no attribute {name!r}")
