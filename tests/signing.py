"""Throw-away certificate authorities, reporters' certificates and detached CMS
signatures for tests (unit, API, browser). Every key is made in the test run
and lost with it: none is committed, none is a secret of production.

    ca = make_ca(tmp_path)                 # its certificate in tmp_path/trust/
    cert, key = ca.issue("Sở Tài chính Quảng Ninh", agency="UBND-22")
    p7s = sign_detached(content, cert, key)            # DER; pem(...) for PEM
    verify_detached(content, p7s, "UBND-22", trust_dir=ca.trust_dir, ...)
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from asn1crypto import algos, cms
from asn1crypto import pem as asn1_pem
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import NameOID

SIGNING_USAGE = ("digital_signature", "non_repudiation")
KEY_USAGE_FLAGS = (
    "digital_signature",
    "content_commitment",  # nonRepudiation's name in cryptography
    "key_encipherment",
    "data_encipherment",
    "key_agreement",
    "key_cert_sign",
    "crl_sign",
    "encipher_only",
    "decipher_only",
)


def new_key(kind: str = "ec"):
    if kind == "rsa":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return ec.generate_private_key(ec.SECP256R1())


def _name(cn: str, agency: str | None = None) -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if agency:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, agency))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    return x509.Name(attrs)


def _key_usage(usages) -> x509.KeyUsage:
    names = {"non_repudiation": "content_commitment"}
    wanted = {names.get(u, u) for u in usages}
    unknown = wanted - set(KEY_USAGE_FLAGS)
    if unknown:
        raise ValueError(f"unknown key usage {sorted(unknown)}")
    return x509.KeyUsage(**{flag: flag in wanted for flag in KEY_USAGE_FLAGS})


@dataclass
class CA:
    """A certificate authority of the test; `trust_dir` holds its certificate
    when it was made with trusted=True."""

    cert: x509.Certificate
    key: object
    trust_dir: Path
    serial: int = field(default=1000)

    @property
    def pem(self) -> bytes:
        return pem(self.cert)

    def issue(
        self,
        cn: str,
        agency: str | None = "UBND-22",
        not_before: datetime | None = None,
        not_after: datetime | None = None,
        key_usage=SIGNING_USAGE,
        key_kind: str = "ec",
        ca: bool = False,
    ):
        """(certificate, private key) of a signer (or, with ca=True, of an
        intermediate CA). `key_usage`: names as in SIGNING_USAGE, or None for
        a certificate without the extension."""
        key = new_key(key_kind)
        now = datetime.now(UTC)
        self.serial += 1
        builder = (
            x509.CertificateBuilder()
            .subject_name(_name(cn, agency))
            .issuer_name(self.cert.subject)
            .public_key(key.public_key())
            .serial_number(self.serial)
            .not_valid_before(not_before or now - timedelta(days=30))
            .not_valid_after(not_after or now + timedelta(days=365))
            .add_extension(
                x509.BasicConstraints(ca=ca, path_length=0 if ca else None),
                critical=True,
            )
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                critical=False,
            )
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(
                    self.key.public_key()
                ),
                critical=False,
            )
        )
        if ca:
            key_usage = ("digital_signature", "key_cert_sign", "crl_sign")
        if key_usage is not None:
            builder = builder.add_extension(_key_usage(key_usage), critical=True)
        return builder.sign(self.key, hashes.SHA256()), key


def make_ca(
    folder: Path,
    name: str = "Test Root CA",
    trusted: bool = True,
    not_before: datetime | None = None,
    not_after: datetime | None = None,
) -> CA:
    """A self-signed root CA. trusted: its certificate is written to
    `folder`/trust/<name>.pem, the trust store of a data directory `folder`."""
    key = new_key()
    now = datetime.now(UTC)
    subject = _name(name)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or now - timedelta(days=3650))
        .not_valid_after(not_after or now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            _key_usage(("digital_signature", "key_cert_sign", "crl_sign")),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    trust_dir = Path(folder) / "trust"
    if trusted:
        trust_dir.mkdir(parents=True, exist_ok=True)
        slug = "".join(c if c.isalnum() else "-" for c in name).lower()
        (trust_dir / f"{slug}.pem").write_bytes(pem(cert))
    return CA(cert, key, trust_dir)


def pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def fingerprint(cert: x509.Certificate) -> str:
    return cert.fingerprint(hashes.SHA256()).hex()


def sign_detached(
    content: bytes,
    cert: x509.Certificate,
    key,
    signing_time: datetime | None = None,
    chain: tuple[x509.Certificate, ...] = (),
    with_signing_time: bool = True,
) -> bytes:
    """A detached CMS SignedData (DER) over `content` by `cert`/`key`, with the
    signed attributes contentType, signingTime (default now) and messageDigest,
    SHA-256, and `chain` (intermediates) beside the signer's certificate.
    Built with asn1crypto so that the signing time can be chosen."""
    when = (signing_time or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    attrs = [cms.CMSAttribute({"type": "content_type", "values": ["data"]})]
    if with_signing_time:
        attrs.append(
            cms.CMSAttribute(
                {"type": "signing_time", "values": [cms.Time({"utc_time": when})]}
            )
        )
    attrs.append(
        cms.CMSAttribute(
            {"type": "message_digest", "values": [hashlib.sha256(content).digest()]}
        )
    )
    signed_attrs = cms.CMSAttributes(attrs)
    to_sign = signed_attrs.dump()  # the SET OF, as the signature covers it
    if isinstance(key, rsa.RSAPrivateKey):
        signature = key.sign(to_sign, padding.PKCS1v15(), hashes.SHA256())
        algorithm = "sha256_rsa"
    else:
        signature = key.sign(to_sign, ec.ECDSA(hashes.SHA256()))
        algorithm = "sha256_ecdsa"
    a_cert = asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    signer_info = cms.SignerInfo(
        {
            "version": "v1",
            "sid": cms.SignerIdentifier(
                {
                    "issuer_and_serial_number": cms.IssuerAndSerialNumber(
                        {"issuer": a_cert.issuer, "serial_number": a_cert.serial_number}
                    )
                }
            ),
            "digest_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
            "signed_attrs": signed_attrs,
            "signature_algorithm": algos.SignedDigestAlgorithm(
                {"algorithm": algorithm}
            ),
            "signature": signature,
        }
    )
    certificates = [a_cert] + [
        asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER))
        for c in chain
    ]
    signed_data = cms.SignedData(
        {
            "version": "v1",
            "digest_algorithms": [algos.DigestAlgorithm({"algorithm": "sha256"})],
            "encap_content_info": {"content_type": "data"},
            "certificates": certificates,
            "signer_infos": [signer_info],
        }
    )
    return cms.ContentInfo(
        {"content_type": "signed_data", "content": signed_data}
    ).dump()


def sign_detached_pyca(content: bytes, cert: x509.Certificate, key) -> bytes:
    """The same made by cryptography's PKCS7SignatureBuilder (OpenSSL-style
    S/MIME attributes, signing time now): a second, independent producer."""
    return (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(content)
        .add_signer(cert, key, hashes.SHA256())
        .sign(
            serialization.Encoding.DER,
            [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary],
        )
    )


def to_pem(der_signature: bytes) -> bytes:
    """A DER signature armoured as PEM (`openssl cms -outform PEM` style)."""
    return asn1_pem.armor("CMS", der_signature)
