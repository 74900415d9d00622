"""Sprig's crypto functions: Sprig's crypto_test vectors, Helm's answers, and Helm reading our output.

Expected texts marked "Helm:" were printed by Helm's engine for the same template call.
"""

from __future__ import annotations

import base64
import datetime
import json
import tempfile
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed25519, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from pilothouse.funcs import crypto
from pilothouse.gotemplate.gotypes import FuncError


def helm_render(template: str) -> str:
    """Render one template with Helm's own engine (the test-only `helm_python` package)."""
    import helm_python as h
    from helm_python import _native

    with tempfile.TemporaryDirectory() as d:
        root = Path(d) / "t"
        (root / "templates").mkdir(parents=True)
        (root / "Chart.yaml").write_text("apiVersion: v2\nname: t\nversion: 0.1.0\n")
        (root / "templates" / "a.txt").write_text(template, encoding="utf-8")
        chart = h.Chart.load(str(root))
        try:
            out = _native.call_string("helm_render", chart._raw(), "{}", json.dumps({"name": "r", "namespace": "n"}))
        finally:
            chart.close()
    return json.loads(out)["t/templates/a.txt"]


def _b64(s: str) -> str:
    return base64.b64encode(s.encode()).decode()


@pytest.fixture(scope="module")
def ca() -> crypto.Certificate:
    return crypto.gen_ca("my-ca", 365)


def _cert(c: crypto.Certificate) -> x509.Certificate:
    return x509.load_pem_x509_certificate(c.Cert.encode())


def _key(c: crypto.Certificate) -> object:
    return serialization.load_pem_private_key(c.Key.encode(), None)


# ----- passwords ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        # Sprig's crypto_test.go
        ((1, "long", "password", "user", "example.com"), "ZedaFaxcZaso9*"),
        ((2, "long", "password", "user", "example.com"), "Fovi2@JifpTupx"),
        ((1, "maximum", "password", "user", "example.com"), "pf4zS1LjCg&LjhsZ7T2~"),
        ((1, "medium", "password", "user", "example.com"), "ZedJuz8$"),
        ((1, "basic", "password", "user", "example.com"), "pIS54PLs"),
        ((1, "short", "password", "user", "example.com"), "Zed5"),
        ((1, "pin", "password", "user", "example.com"), "6685"),
        # Helm:
        ((2, "maximum", "pw", "u", "s"), "S2$TYTKe9bU9YXWCqT@%"),
        ((3, "medium", "pw", "u", "s"), "Yun9!Fir"),
        ((4, "short", "pw", "u", "s"), "Han2"),
        ((5, "basic", "pw", "u", "s"), "FiB08GFi"),
        ((6, "pin", "pw", "u", "s"), "9870"),
        ((1, "nope", "pw", "u", "s"), "cannot find password template nope"),
        ((7, "long", "päss", "üser", "exämple.com"), "PivaHomdSoji4["),
    ],
)
def test_derive_password(args: tuple, expected: str) -> None:
    assert crypto.derive_password(*args) == expected


def test_bcrypt() -> None:
    import bcrypt

    h = crypto.bcrypt("password")
    assert h.startswith("$2a$10$") and len(h) == 60  # Helm: $2a$10$gSz8TPIZ2fz7fyJC7Sv9HO...
    assert bcrypt.checkpw(b"password", h.encode())
    # Helm: a 73-byte password is refused, as text.
    assert crypto.bcrypt("0" * 73) == "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes"


def test_htpasswd() -> None:
    import bcrypt

    user, _, h = crypto.htpasswd("user", "pass").partition(":")
    assert user == "user" and h.startswith("$2a$10$") and bcrypt.checkpw(b"pass", h.encode())
    assert crypto.htpasswd("us:er", "pass") == "invalid username: us:er"  # Helm
    # Sprig's crypto_test.go
    special_user, special_pass = "special'o79Cv_*qFe,)<user", "special<j7+3p#6-.Jx2U:m8G;kGypassword"
    user, _, h = crypto.htpasswd(special_user, special_pass).partition(":")
    assert user == special_user and bcrypt.checkpw(special_pass.encode(), h.encode())


# ----- private keys ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "header", "cls"),
    [
        ("rsa", "RSA PRIVATE KEY", rsa.RSAPrivateKey),
        ("dsa", "DSA PRIVATE KEY", dsa.DSAPrivateKey),
        ("ecdsa", "EC PRIVATE KEY", ec.EllipticCurvePrivateKey),
        ("ed25519", "PRIVATE KEY", ed25519.Ed25519PrivateKey),
    ],
)
def test_gen_private_key(kind: str, header: str, cls: type) -> None:
    pem = crypto.gen_private_key(kind)
    assert pem.startswith(f"-----BEGIN {header}-----\n") and pem.endswith(f"-----END {header}-----\n")
    assert all(len(line) <= 64 for line in pem.splitlines())
    key = serialization.load_pem_private_key(pem.encode(), None)
    assert isinstance(key, cls)
    if kind == "rsa":
        assert key.key_size == 4096
    if kind == "dsa":
        assert (key.key_size, key.parameters().parameter_numbers().q.bit_length()) == (2048, 256)
    if kind == "ecdsa":
        assert key.curve.name == "secp256r1"


def test_gen_private_key_unknown() -> None:
    assert crypto.gen_private_key("foo") == "Unknown type foo"  # Helm


# ----- certificates ------------------------------------------------------------------------


def test_gen_ca(ca: crypto.Certificate) -> None:
    # Sprig's crypto_test: a CA with the CN, 365 days, IsCA, KeyUsageCertSign.
    cert = _cert(ca)
    assert ca.go_type == "sprig.certificate" and ca.go_fields == ("Cert", "Key")
    assert ca.Cert.startswith("-----BEGIN CERTIFICATE-----\n") and ca.Key.startswith(
        "-----BEGIN RSA PRIVATE KEY-----\n"
    )
    assert cert.subject == cert.issuer
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "my-ca"
    assert cert.not_valid_after_utc - cert.not_valid_before_utc == datetime.timedelta(days=365)
    assert abs(cert.not_valid_before_utc - datetime.datetime.now(datetime.UTC)) < datetime.timedelta(minutes=1)
    assert cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is True
    ku = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert ku.key_cert_sign and ku.digital_signature and ku.key_encipherment
    key = _key(ca)
    assert isinstance(key, rsa.RSAPrivateKey) and key.key_size == 2048
    assert cert.public_key().public_numbers() == key.public_key().public_numbers()
    cert.verify_directly_issued_by(cert)
    assert 0 < cert.serial_number < 1 << 128


def test_certificate_layout_matches_go(ca: crypto.Certificate) -> None:
    # What a certificate made by Helm's genCA / genSignedCert contains, extension by extension.
    leaf = crypto.gen_signed_cert("leaf.example.com", ["10.0.0.1", "::1"], ["leaf.example.com", "alt"], 30, ca)
    ca_cert, leaf_cert = _cert(ca), _cert(leaf)
    names = [e.oid for e in ca_cert.extensions]
    assert names == [x509.KeyUsage.oid, x509.ExtendedKeyUsage.oid, x509.BasicConstraints.oid,
                     x509.SubjectKeyIdentifier.oid]  # fmt: skip
    assert [e.oid for e in leaf_cert.extensions] == [
        x509.KeyUsage.oid, x509.ExtendedKeyUsage.oid, x509.BasicConstraints.oid,
        x509.AuthorityKeyIdentifier.oid, x509.SubjectAlternativeName.oid,
    ]  # fmt: skip
    assert [e.critical for e in leaf_cert.extensions] == [True, False, True, False, False]
    eku = leaf_cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert list(eku) == [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
    ski = ca_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
    # Go 1.25+: the first 20 bytes of SHA-256 of the public key bits.
    pkcs1 = ca_cert.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.PKCS1)
    digest = hashes.Hash(hashes.SHA256())
    digest.update(pkcs1)
    assert ski == digest.finalize()[:20]
    assert leaf_cert.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value.key_identifier == ski
    san = leaf_cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert [str(n.value) for n in san] == ["leaf.example.com", "alt", "10.0.0.1", "::1"]
    assert leaf_cert.signature_algorithm_oid._name == "sha256WithRSAEncryption"
    # The CA signs the leaf.
    leaf_cert.verify_directly_issued_by(ca_cert)
    ca_cert.public_key().verify(
        leaf_cert.signature, leaf_cert.tbs_certificate_bytes, padding.PKCS1v15(), leaf_cert.signature_hash_algorithm
    )
    assert leaf_cert.not_valid_after_utc - leaf_cert.not_valid_before_utc == datetime.timedelta(days=30)
    # Go writes printable common names as PrintableString, others as UTF8String.
    cn = ca_cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0]
    assert cn._type.name == "PrintableString"


def test_self_signed_cert() -> None:
    c = crypto.gen_self_signed_cert("", None, None, 1)
    cert = _cert(c)
    assert list(cert.subject) == [] and cert.subject == cert.issuer
    assert [e.oid for e in cert.extensions] == [x509.KeyUsage.oid, x509.ExtendedKeyUsage.oid, x509.BasicConstraints.oid]
    assert cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is False
    cert.verify_directly_issued_by(cert)
    named = _cert(crypto.gen_self_signed_cert("é", ["::ffff:1.2.3.4"], ["x"], 2))
    cn = named.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0]
    assert (cn.value, cn._type.name) == ("é", "UTF8String")
    san = named.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    assert [str(n.value) for n in san.value] == ["x", "1.2.3.4"]  # Go writes mapped IPv4 as IPv4


@pytest.mark.parametrize("kind", ["ecdsa", "ed25519", "rsa2048"])
def test_with_key_variants(kind: str, ca: crypto.Certificate) -> None:
    if kind == "rsa2048":
        pem = crypto._key_pem(rsa.generate_private_key(public_exponent=65537, key_size=2048))
    else:
        pem = crypto.gen_private_key(kind)
    own = crypto.gen_ca_with_key("k-ca", 10, pem)
    assert own.Key == pem
    cert = _cert(own)
    cert.verify_directly_issued_by(cert)
    expected = {"ecdsa": "ecdsa-with-SHA256", "ed25519": "ed25519", "rsa2048": "sha256WithRSAEncryption"}[kind]
    assert cert.signature_algorithm_oid._name == expected
    self_signed = crypto.gen_self_signed_cert_with_key("s", None, ["s.example"], 5, pem)
    assert self_signed.Key == pem
    signed = crypto.gen_signed_cert_with_key("l", None, None, 5, ca, pem)
    assert signed.Key == pem
    _cert(signed).verify_directly_issued_by(_cert(ca))
    # A CA with that key signs a leaf.
    _cert(crypto.gen_signed_cert("leaf", None, None, 1, own)).verify_directly_issued_by(cert)


def test_build_custom_cert(ca: crypto.Certificate) -> None:
    built = crypto.build_custom_cert(_b64(ca.Cert), _b64(ca.Key))
    assert (built.Cert, built.Key) == (ca.Cert, ca.Key)
    assert built.go_json() == {"Cert": ca.Cert, "Key": ca.Key}


@pytest.mark.parametrize(
    ("call", "message"),
    [
        # Helm's answers for the same calls
        (lambda ca: crypto.build_custom_cert("x", "y"), "unable to decode base64 certificate"),
        (lambda ca: crypto.build_custom_cert("eA==", "eA=="), "unable to decode certificate"),
        (
            lambda ca: crypto.build_custom_cert(_b64(ca.Cert), _b64("x")),
            "error parsing private key: no PEM data in input",
        ),
        (
            lambda ca: crypto.build_custom_cert(_b64(ca.Cert), _b64("-----BEGIN FOO-----\nYWJj\n-----END FOO-----\n")),
            "error parsing private key: no private key data in PEM block of type FOO",
        ),
        (lambda ca: crypto.gen_ca_with_key("x", 1, "junk"), "parsing private key: no PEM data in input"),
        (
            lambda ca: crypto.gen_ca_with_key("x", 1, crypto.gen_private_key("dsa")),
            "error creating certificate: x509: certificate private key does not implement crypto.Signer",
        ),
        (lambda ca: crypto.gen_self_signed_cert("x", ["1.2.3"], None, 1), "error parsing ip: 1.2.3"),
        (lambda ca: crypto.gen_self_signed_cert("x", [1], None, 1), "error parsing ip: 1 is not a string"),
        (
            lambda ca: crypto.gen_self_signed_cert("x", None, [1], 1),
            "error processing alternate dns name: 1 is not a string",
        ),
    ],
)
def test_certificate_errors(call, message: str, ca: crypto.Certificate) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(FuncError) as exc:
        call(ca)
    assert str(exc.value) == message


def test_negative_days_still_sign() -> None:
    # Helm: {{ genCA "a" -1 | typeOf }} → sprig.certificate (a certificate that expired a day ago).
    cert = _cert(crypto.gen_ca("a", -1))
    assert cert.not_valid_after_utc - cert.not_valid_before_utc == datetime.timedelta(days=-1)


# ----- AES ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "ciphertext", "plaintext"),
    [
        # Produced by Helm's encryptAES.
        ("secretkey", "6zMLTUcoBQ9z27T8R/WtdI5DGfVx4uaoXZMQ5kPflic=", "plaintext"),
        (
            "a-very-long-password-that-is-longer-than-32-bytes!!",
            "iaeSJ12hgQvbb05AMJhdfwGrJ7OJlIIlUsUfYKQQDYCHISROSJpwK4d05lvArKJ43rvHBd25WRnwV97z4Oyp+A==",
            "hello world, this is longer than one block",
        ),
        ("k", "iWxkBw4mp1iecqzWzTc44EnheXONkBFCvIy8ONnr4AiZT7sbwMAKfBInTwq2hSDa", "exactly16bytes!!"),
    ],
)
def test_decrypt_helm_ciphertext(password: str, ciphertext: str, plaintext: str) -> None:
    assert crypto.decrypt_aes(password, ciphertext) == plaintext


def test_encrypt_round_trip() -> None:
    # Sprig's crypto_test: encryptAES then decryptAES gives the text back; "" stays "".
    for text in ("plaintext", "x" * 16, "ünïcödé", "a" * 100):
        c = crypto.encrypt_aes("secretkey", text)
        assert len(base64.b64decode(c)) == 16 + (len(text.encode()) // 16 + 1) * 16
        assert crypto.decrypt_aes("secretkey", c) == text
    assert crypto.encrypt_aes("k", "") == "" and crypto.decrypt_aes("k", "") == ""
    assert crypto.encrypt_aes("k", "same") != crypto.encrypt_aes("k", "same")  # random IV


@pytest.mark.parametrize(
    ("password", "ciphertext", "message"),
    [
        # Helm's answers (Go panics are reported as errors)
        ("k", "not base64!", "illegal base64 data at input byte 3"),
        ("k", "YWJj", "runtime error: slice bounds out of range [:16] with capacity 3"),
        ("k", "MDEyMzQ1Njc4OWFiY2RlZjAxMg==", "crypto/cipher: input not full blocks"),
        ("k", "MDEyMzQ1Njc4OWFiY2RlZg==", "runtime error: index out of range [-1]"),
        ("wrong", "6zMLTUcoBQ9z27T8R/WtdI5DGfVx4uaoXZMQ5kPflic=", "runtime error: slice bounds out of range [:-200]"),
    ],
)
def test_decrypt_errors(password: str, ciphertext: str, message: str) -> None:
    with pytest.raises(FuncError) as exc:
        crypto.decrypt_aes(password, ciphertext)
    assert str(exc.value) == message


def test_funcs_table() -> None:
    assert set(crypto.FUNCS) == {
        "bcrypt", "htpasswd", "genPrivateKey", "derivePassword", "buildCustomCert", "genCA", "genCAWithKey",
        "genSelfSignedCert", "genSelfSignedCertWithKey", "genSignedCert", "genSignedCertWithKey", "encryptAES",
        "decryptAES",
    }  # fmt: skip
    assert crypto.FUNCS["derivePassword"].__go_params__ == ("uint32", "string", "string", "string", "string")
    assert crypto.FUNCS["genSignedCert"].__go_params__[-1] == "sprig.certificate"
    assert crypto.FUNCS["genSelfSignedCert"].__go_params__ == ("string", "[]interface {}", "[]interface {}", "int")


# ----- Helm reads what we write ------------------------------------------------------------


def test_helm_reads_our_output(ca: crypto.Certificate) -> None:
    pytest.importorskip("helm_python", reason="helm-python-sdk (test-only reference) is not installed")
    ec_pem = crypto.gen_private_key("ecdsa")
    ed_pem = crypto.gen_private_key("ed25519")
    dsa_pem = crypto.gen_private_key("dsa")
    secret = crypto.encrypt_aes("pass-word", "hello from python")
    template = "\n".join(
        [
            f'{{{{ decryptAES "pass-word" "{secret}" }}}}',
            f'{{{{ (buildCustomCert "{_b64(ca.Cert)}" "{_b64(ca.Key)}").Cert | len }}}}',
            f'{{{{ (buildCustomCert "{_b64(ca.Cert)}" "{_b64(ec_pem)}").Key | len }}}}',
            f'{{{{ (buildCustomCert "{_b64(ca.Cert)}" "{_b64(ed_pem)}").Key | len }}}}',
            f'{{{{ (buildCustomCert "{_b64(ca.Cert)}" "{_b64(dsa_pem)}").Key | len }}}}',
            # Helm signs a leaf with our CA: it parsed our certificate and our key.
            f'{{{{ (genSignedCert "x" nil nil 1 (buildCustomCert "{_b64(ca.Cert)}" "{_b64(ca.Key)}")).Cert | b64enc }}}}',
            '{{ $k := "go-made" }}{{ encryptAES $k "from go" }}',
        ]
    )
    lines = helm_render(template).split("\n")
    assert lines[0] == "hello from python"
    assert lines[1:5] == [str(len(ca.Cert)), str(len(ec_pem)), str(len(ed_pem)), str(len(dsa_pem))]
    go_leaf = x509.load_pem_x509_certificate(base64.b64decode(lines[5]))
    go_leaf.verify_directly_issued_by(_cert(ca))
    assert crypto.decrypt_aes("go-made", lines[6]) == "from go"
