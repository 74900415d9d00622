"""Sprig's crypto functions (v3.3.0): bcrypt, htpasswd, derivePassword, private keys, certificates, AES.

Certificates are built the way Go's x509.CreateCertificate builds them from Sprig's template:
version 3, a random 128-bit serial, a subject with only the common name, key usage
(critical), server+client extended key usage, basic constraints (critical), a subject key id
on CAs (the first 20 bytes of SHA-256 of the public key, as Go 1.25+ computes it), the CA's key
id as authority key id on signed certificates, then the alternative names (DNS first, then
IPs). Several functions report failures *as their result text*, as Sprig does.
`cryptography` and `bcrypt` are imported only when one of these functions runs.
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import re
import secrets
import struct
from collections.abc import Callable
from typing import Any, ClassVar

from pilothouse.funcs.encoding import go_b64decode
from pilothouse.funcs.gounicode import from_bytes, to_bytes
from pilothouse.gotemplate.gotypes import FuncError, GoObject, gofunc


class Certificate(GoObject):
    """Sprig's ``certificate`` struct: PEM text of a certificate and of its private key."""

    go_type: ClassVar[str] = "sprig.certificate"
    go_kind: ClassVar[str] = "struct"
    go_fields: ClassVar[tuple[str, ...]] = ("Cert", "Key")

    def __init__(self, cert: str = "", key: str = "") -> None:
        self.Cert = cert
        self.Key = key

    def go_json(self) -> dict[str, str]:
        return {"Cert": self.Cert, "Key": self.Key}

    def __repr__(self) -> str:
        return f"Certificate(Cert={self.Cert[:40]!r}..., Key=...)"


# ----- passwords ---------------------------------------------------------------------------


@gofunc("string")
def bcrypt(text: str) -> str:
    """bcrypt hash, cost 10, "$2a$" prefix; failures are returned as text."""
    import bcrypt as bcrypt_lib

    data = to_bytes(text)
    if len(data) > 72:
        # Go's x/crypto refuses long passwords instead of truncating them.
        return "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes"
    return bcrypt_lib.hashpw(data, bcrypt_lib.gensalt(rounds=10, prefix=b"2a")).decode("ascii")


@gofunc("string", "string")
def htpasswd(username: str, password: str) -> str:
    """An htpasswd line "user:<bcrypt>"; a ':' in the user name gives an error text instead."""
    if ":" in username:
        return f"invalid username: {username}"
    return f"{username}:{bcrypt(password)}"


_MP_SEED = b"com.lyndir.masterpassword"
_MP_TEMPLATES: dict[str, list[str]] = {
    "maximum": ["anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"],
    "long": [
        "CvcvnoCvcvCvcv", "CvcvCvcvnoCvcv", "CvcvCvcvCvcvno", "CvccnoCvcvCvcv", "CvccCvcvnoCvcv",
        "CvccCvcvCvcvno", "CvcvnoCvccCvcv", "CvcvCvccnoCvcv", "CvcvCvccCvcvno", "CvcvnoCvcvCvcc",
        "CvcvCvcvnoCvcc", "CvcvCvcvCvccno", "CvccnoCvccCvcv", "CvccCvccnoCvcv", "CvccCvccCvcvno",
        "CvcvnoCvccCvcc", "CvcvCvccnoCvcc", "CvcvCvccCvccno", "CvccnoCvcvCvcc", "CvccCvcvnoCvcc",
        "CvccCvcvCvccno",
    ],
    "medium": ["CvcnoCvc", "CvcCvcno"],
    "short": ["Cvcn"],
    "basic": ["aaanaaan", "aannaaan", "aaannaaa"],
    "pin": ["nnnn"],
}  # fmt: skip
_MP_CHARS = {
    "V": "AEIOU",
    "C": "BCDFGHJKLMNPQRSTVWXYZ",
    "v": "aeiou",
    "c": "bcdfghjklmnpqrstvwxyz",
    "A": "AEIOUBCDFGHJKLMNPQRSTVWXYZ",
    "a": "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz",
    "n": "0123456789",
    "o": "@&%?,=[]_:-+*$#!'^~;()/.",
    "x": "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()",
}


@gofunc("uint32", "string", "string", "string", "string")
def derive_password(counter: int, password_type: str, password: str, user: str, site: str) -> str:
    """The Master Password algorithm (scrypt + HMAC-SHA256 + templates): deterministic per input."""
    templates = _MP_TEMPLATES.get(password_type)
    if templates is None:
        return f"cannot find password template {password_type}"
    user_b, site_b = to_bytes(user), to_bytes(site)
    salt = _MP_SEED + struct.pack(">I", len(user_b)) + user_b
    key = hashlib.scrypt(to_bytes(password), salt=salt, n=32768, r=8, p=2, dklen=64, maxmem=64 * 1024 * 1024)
    message = _MP_SEED + struct.pack(">I", len(site_b)) + site_b + struct.pack(">I", counter & 0xFFFFFFFF)
    import hmac

    seed = hmac.new(key, message, hashlib.sha256).digest()
    template = templates[seed[0] % len(templates)]
    return "".join(_MP_CHARS[c][seed[i + 1] % len(_MP_CHARS[c])] for i, c in enumerate(template))


# ----- keys --------------------------------------------------------------------------------

_PEM_RE = re.compile(r"-----BEGIN ([^\n-]*)-----\r?\n(.*?)-----END \1-----", re.S)


def _pem(block_type: str, der: bytes) -> str:
    body = base64.b64encode(der).decode("ascii")
    lines = "\n".join(body[i : i + 64] for i in range(0, len(body), 64))
    return f"-----BEGIN {block_type}-----\n{lines}\n-----END {block_type}-----\n"


def _pem_decode(text: str) -> tuple[str, bytes] | None:
    """The first PEM block (type, bytes) in text, skipping blocks whose body is not base64."""
    for m in _PEM_RE.finditer(text):
        body = m.group(2)
        if ":" in body.split("\n", 1)[0]:
            # RFC 1421 headers come before a blank line; the data follows it.
            body = body.split("\n\n", 1)[-1]
        try:
            return m.group(1), base64.b64decode("".join(body.split()), validate=True)
        except ValueError:
            continue
    return None


def _key_pem(key: Any) -> str:
    """Sprig's pemBlockForKey: PKCS#1 RSA, SEC 1 EC, OpenSSL DSA, PKCS#8 for everything else."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, rsa

    dsa = _dsa()

    if isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | dsa.DSAPrivateKey):
        fmt = serialization.PrivateFormat.TraditionalOpenSSL
        block = {rsa.RSAPrivateKey: "RSA", ec.EllipticCurvePrivateKey: "EC", dsa.DSAPrivateKey: "DSA"}
        name = next(v for k, v in block.items() if isinstance(key, k))
        return _pem(
            f"{name} PRIVATE KEY", key.private_bytes(serialization.Encoding.DER, fmt, serialization.NoEncryption())
        )
    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return _pem("PRIVATE KEY", der)


@gofunc("string")
def gen_private_key(key_type: str) -> str:
    """A new private key as PEM: rsa (4096 bits), dsa (L2048 N256), ecdsa (P-256) or ed25519."""
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

    dsa = _dsa()

    if key_type in ("", "rsa"):
        key: Any = rsa.generate_private_key(public_exponent=65537, key_size=4096)
    elif key_type == "dsa":
        key = dsa.generate_private_key(key_size=2048)
    elif key_type == "ecdsa":
        key = ec.generate_private_key(ec.SECP256R1())
    elif key_type == "ed25519":
        key = ed25519.Ed25519PrivateKey.generate()
    else:
        return "Unknown type " + key_type
    return _key_pem(key)


def _parse_private_key(text: str) -> Any:
    """Sprig's parsePrivateKeyPEM; raises FuncError with its messages."""
    from cryptography.hazmat.primitives import serialization

    block = _pem_decode(text)
    if block is None:
        raise FuncError("no PEM data in input")
    block_type, der = block
    if block_type == "PRIVATE KEY":
        what = "decoding PEM as PKCS#8"
    elif not block_type.endswith(" PRIVATE KEY"):
        raise FuncError(f"no private key data in PEM block of type {block_type}")
    else:
        kind = block_type[: -len(" PRIVATE KEY")]
        if kind not in ("RSA", "EC", "DSA"):
            raise FuncError(f"invalid private key type {block_type}")
        what = f"parsing {kind} private key from PEM"
    import warnings

    from cryptography.utils import CryptographyDeprecationWarning

    try:
        # a DSA key (which Sprig still reads) must not print cryptography's deprecation warning
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CryptographyDeprecationWarning)
            return serialization.load_der_private_key(der, password=None)
    except (ValueError, TypeError) as e:
        raise FuncError(f"{what}: {e}") from None


# ----- certificates ------------------------------------------------------------------------


def _ips(values: list[Any] | None) -> list[Any]:
    from pilothouse.gotemplate.gofmt import format_value

    out = []
    for v in values or []:
        if not isinstance(v, str):
            raise FuncError(f"error parsing ip: {format_value(v)} is not a string")
        try:
            if "%" in v:
                raise ValueError  # Go's net.ParseIP takes no zone
            ip = ipaddress.ip_address(v)
        except ValueError:
            raise FuncError(f"error parsing ip: {v}") from None
        # Go writes IPv4-mapped IPv6 addresses as 4-byte IPv4 addresses.
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        out.append(ip)
    return out


def _dns_names(values: list[Any] | None) -> list[str]:
    from pilothouse.gotemplate.gofmt import format_value

    out = []
    for v in values or []:
        if not isinstance(v, str):
            raise FuncError(f"error processing alternate dns name: {format_value(v)} is not a string")
        out.append(v)
    return out


# What Go's encoding/asn1 writes as a PrintableString; any other string becomes UTF8String.
_PRINTABLE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 '()+,-./:=?")


def _common_name(cn: str) -> Any:
    from cryptography import x509
    from cryptography.x509.name import _ASN1Type
    from cryptography.x509.oid import NameOID

    kind = _ASN1Type.PrintableString if all(c in _PRINTABLE for c in cn) else _ASN1Type.UTF8String
    return x509.NameAttribute(NameOID.COMMON_NAME, cn, kind)


def _key_id(public_key: Any) -> bytes:
    """Go 1.25+'s subject key id: SHA-256 of the subjectPublicKey bits, first 160 bits."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

    if isinstance(public_key, rsa.RSAPublicKey):
        bits = public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.PKCS1)
    elif isinstance(public_key, ec.EllipticCurvePublicKey):
        bits = public_key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    elif isinstance(public_key, ed25519.Ed25519PublicKey):
        bits = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    else:
        bits = public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(bits).digest()[:20]


def _create(cn: str, ips: list[Any] | None, dns: list[Any] | None, days: int, key: Any, is_ca: bool,
            signer: tuple[Any, Any] | None) -> Certificate:  # fmt: skip
    """x509.CreateCertificate from Sprig's template; `signer` is (CA certificate, CA key) or None."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ed25519
    from cryptography.x509.oid import ExtendedKeyUsageOID

    dsa = _dsa()
    ip_list, dns_list = _ips(ips), _dns_names(dns)
    signing_key = signer[1] if signer else key
    if isinstance(signing_key, dsa.DSAPrivateKey):
        raise FuncError("error creating certificate: x509: certificate private key does not implement crypto.Signer")
    if isinstance(key, dsa.DSAPrivateKey):
        raise FuncError("error creating certificate: x509: unsupported public key type: *dsa.PublicKey")
    subject = x509.Name([_common_name(cn)] if cn else [])
    issuer = signer[0].subject if signer else subject
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    serial = 0
    while serial == 0:
        serial = secrets.randbelow(1 << 128)
    # The constructor takes the validity as given: Go also signs a certificate with negative days.
    builder = (
        x509.CertificateBuilder(
            issuer_name=issuer,
            subject_name=subject,
            public_key=key.public_key(),
            serial_number=serial,
            not_valid_before=now,
            not_valid_after=now + datetime.timedelta(days=days),
        )
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=False, key_encipherment=True, data_encipherment=False,
                key_agreement=False, key_cert_sign=is_ca, crl_sign=False, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]),
                       critical=False)
        .add_extension(x509.BasicConstraints(ca=is_ca, path_length=None), critical=True)
    )  # fmt: skip
    if is_ca:
        builder = builder.add_extension(x509.SubjectKeyIdentifier(_key_id(key.public_key())), critical=False)
    if signer:
        try:
            parent_ski = signer[0].extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
        except x509.ExtensionNotFound:
            parent_ski = None
        if parent_ski and signer[0].subject != subject:
            builder = builder.add_extension(x509.AuthorityKeyIdentifier(parent_ski, None, None), critical=False)
    if ip_list or dns_list:
        names: list[x509.GeneralName] = [x509.DNSName(d) for d in dns_list]
        names += [x509.IPAddress(ip) for ip in ip_list]
        # Go marks the alternative names critical when the subject is empty (RFC 5280).
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=not cn)
    algorithm = None if isinstance(signing_key, ed25519.Ed25519PrivateKey) else hashes.SHA256()
    try:
        cert = builder.sign(signing_key, algorithm)
    except (ValueError, TypeError) as e:
        raise FuncError(f"error creating certificate: {e}") from None
    from cryptography.hazmat.primitives import serialization

    return Certificate(_pem("CERTIFICATE", cert.public_bytes(serialization.Encoding.DER)), _key_pem(key))


def _rsa2048() -> Any:
    from cryptography.hazmat.primitives.asymmetric import rsa

    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _key_from_pem(pem: str) -> Any:
    try:
        return _parse_private_key(pem)
    except FuncError as e:
        raise FuncError(f"parsing private key: {e}") from None


def _signer(ca: Certificate) -> tuple[Any, Any]:
    from cryptography import x509

    block = _pem_decode(ca.Cert)
    if block is None:
        raise FuncError("unable to decode certificate")
    try:
        cert = x509.load_der_x509_certificate(block[1])
    except ValueError as e:
        raise FuncError(f"error parsing certificate: decodedSignerCert.Bytes: {e}") from None
    try:
        key = _parse_private_key(ca.Key)
    except FuncError as e:
        raise FuncError(f"error parsing private key: {e}") from None
    return cert, key


@gofunc("string", "int")
def gen_ca(cn: str, days: int) -> Certificate:
    """A self-signed CA with a new RSA-2048 key."""
    return _create(cn, None, None, days, _rsa2048(), True, None)


@gofunc("string", "int", "string")
def gen_ca_with_key(cn: str, days: int, key_pem: str) -> Certificate:
    """A self-signed CA for the given PEM private key."""
    return _create(cn, None, None, days, _key_from_pem(key_pem), True, None)


@gofunc("string", "[]interface {}", "[]interface {}", "int")
def gen_self_signed_cert(cn: str, ips: list[Any] | None, dns: list[Any] | None, days: int) -> Certificate:
    """A self-signed leaf certificate with a new RSA-2048 key."""
    return _create(cn, ips, dns, days, _rsa2048(), False, None)


@gofunc("string", "[]interface {}", "[]interface {}", "int", "string")
def gen_self_signed_cert_with_key(cn: str, ips: list[Any] | None, dns: list[Any] | None, days: int,
                                  key_pem: str) -> Certificate:  # fmt: skip
    """A self-signed leaf certificate for the given PEM private key."""
    return _create(cn, ips, dns, days, _key_from_pem(key_pem), False, None)


@gofunc("string", "[]interface {}", "[]interface {}", "int", "sprig.certificate")
def gen_signed_cert(cn: str, ips: list[Any] | None, dns: list[Any] | None, days: int, ca: Certificate) -> Certificate:
    """A leaf certificate with a new RSA-2048 key, signed by `ca` (from genCA)."""
    signer = _signer(ca)
    return _create(cn, ips, dns, days, _rsa2048(), False, signer)


@gofunc("string", "[]interface {}", "[]interface {}", "int", "sprig.certificate", "string")
def gen_signed_cert_with_key(cn: str, ips: list[Any] | None, dns: list[Any] | None, days: int, ca: Certificate,
                             key_pem: str) -> Certificate:  # fmt: skip
    """A leaf certificate for the given PEM private key, signed by `ca`."""
    key = _key_from_pem(key_pem)
    return _create(cn, ips, dns, days, key, False, _signer(ca))


@gofunc("string", "string")
def build_custom_cert(b64cert: str, b64key: str) -> Certificate:
    """A certificate object from base64-encoded PEM certificate and key, both checked."""
    from cryptography import x509

    try:
        cert_pem = go_b64decode(b64cert)
    except ValueError:
        raise FuncError("unable to decode base64 certificate") from None
    try:
        key_pem = go_b64decode(b64key)
    except ValueError:
        raise FuncError("unable to decode base64 private key") from None
    block = _pem_decode(from_bytes(cert_pem))
    if block is None:
        raise FuncError("unable to decode certificate")
    try:
        x509.load_der_x509_certificate(block[1])
    except ValueError as e:
        raise FuncError(f"error parsing certificate: decodedCert.Bytes: {e}") from None
    try:
        _parse_private_key(from_bytes(key_pem))
    except FuncError as e:
        raise FuncError(f"error parsing private key: {e}") from None
    return Certificate(from_bytes(cert_pem), from_bytes(key_pem))


# ----- AES ---------------------------------------------------------------------------------


def _aes_key(password: str) -> bytes:
    # Go copies the password into 32 zero bytes: shorter ones are padded, longer ones cut.
    return to_bytes(password)[:32].ljust(32, b"\0")


@gofunc("string", "string")
def encrypt_aes(password: str, plaintext: str) -> str:
    """AES-256-CBC with PKCS#7 padding and a random IV in front, base64; "" stays ""."""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    if plaintext == "":
        return ""
    content = to_bytes(plaintext)
    pad = 16 - len(content) % 16
    content += bytes([pad]) * pad
    iv = secrets.token_bytes(16)
    enc = Cipher(algorithms.AES(_aes_key(password)), modes.CBC(iv)).encryptor()
    return base64.b64encode(iv + enc.update(content) + enc.finalize()).decode("ascii")


@gofunc("string", "string")
def decrypt_aes(password: str, crypt64: str) -> str:
    """Undo encryptAES; Go's panics on malformed input become errors with Go's runtime texts."""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    if crypt64 == "":
        return ""
    try:
        data = go_b64decode(crypt64)
    except ValueError as e:
        raise FuncError(str(e)) from None
    if len(data) < 16:
        raise FuncError(f"runtime error: slice bounds out of range [:16] with capacity {len(data)}")
    iv, body = data[:16], data[16:]
    if len(body) % 16:
        raise FuncError("crypto/cipher: input not full blocks")
    if not body:
        raise FuncError("runtime error: index out of range [-1]")
    dec = Cipher(algorithms.AES(_aes_key(password)), modes.CBC(iv)).decryptor()
    plain = dec.update(body) + dec.finalize()
    # Go trusts the last byte as the padding length, without checking the padding.
    end = len(plain) - plain[-1]
    if end < 0:
        raise FuncError(f"runtime error: slice bounds out of range [:{end}]")
    return from_bytes(plain[:end])


FUNCS: dict[str, Callable[..., Any]] = {
    "bcrypt": bcrypt,
    "htpasswd": htpasswd,
    "genPrivateKey": gen_private_key,
    "derivePassword": derive_password,
    "buildCustomCert": build_custom_cert,
    "genCA": gen_ca,
    "genCAWithKey": gen_ca_with_key,
    "genSelfSignedCert": gen_self_signed_cert,
    "genSelfSignedCertWithKey": gen_self_signed_cert_with_key,
    "genSignedCert": gen_signed_cert,
    "genSignedCertWithKey": gen_signed_cert_with_key,
    "encryptAES": encrypt_aes,
    "decryptAES": decrypt_aes,
}


def _dsa() -> Any:
    """cryptography's DSA names without its deprecation warning: Sprig's genPrivateKey still offers
    "dsa", and a template using (or a key check touching) it must not print a Python warning."""
    import types
    import warnings

    from cryptography.utils import CryptographyDeprecationWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CryptographyDeprecationWarning)
        from cryptography.hazmat.primitives.asymmetric import dsa

        private_key = dsa.DSAPrivateKey

    def generate_private_key(key_size: int) -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CryptographyDeprecationWarning)
            return dsa.generate_private_key(key_size=key_size)

    return types.SimpleNamespace(DSAPrivateKey=private_key, generate_private_key=generate_private_key)
