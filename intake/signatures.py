"""Detached CMS (PKCS#7) signatures of reporters' submissions.

    signer = verify_detached(file_bytes, p7s_bytes, "UBND-22")   # or SignatureError
    signer.as_json()  # subject, serial, issuer, signing_time, fingerprint

A signature (DER or PEM) is accepted when, in this order:

1. it is one CMS SignedData with one signer, no encapsulated content, the
   signer's certificate inside, and the signed attributes contentType,
   messageDigest and signingTime ("malformed" otherwise; "missing": none);
2. its signingTime is not in the future (CLOCK_SKEW of slack; "future_time");
3. the messageDigest attribute is the digest of the file's bytes and the
   signature over the signed attributes verifies with the certificate's key
   ("digest");
4. the certificate chains (with the intermediates the signature carries) to a
   CA of the trust store, `settings.trust_dir()`: every *.pem / *.crt file
   there, PEM (one or more certificates) or DER ("untrusted");
5. every certificate of that chain was valid at the signing time ("expired",
   "not_yet_valid"): a report signed while the certificate was valid stays
   valid after the certificate expires;
6. the signer's certificate has the key usage digitalSignature or
   nonRepudiation ("key_usage");
7. the certificate is registered (auth/certs.py, `python -m auth certs add`)
   to the submitting agency, and not revoked there ("wrong_agency",
   "revoked").

The library: pyHanko's CMS validation (`pyhanko.sign.validation.generic_cms`)
with pyhanko-certvalidator's RFC 5280 path validation, at the signing time.
`cryptography` (already here) makes CMS signatures but does not verify them: it
would have left us to write the SignerInfo check (signed attributes re-tagged,
digest compared, signature algorithm matched to the key) by hand, and that is
the part that must not be home-made. pyHanko is maintained (0.38, 2026), does
exactly this for CAdES/PAdES signatures in the EU's and other states' e-ID
work, enforces an algorithm policy (no MD5/SHA-1 signatures) and checks the
ESS signing-certificate attributes when present; certvalidator builds and
validates the path offline (`allow_fetching=False`: no network on the closed
government networks; no OCSP/CRL fetching, so revocation is the registry's).
The few checks it leaves to the caller are written here: the signing time (it
is the signer's claim, as the brief asks; a time-stamp token would be a
stronger proof), and the registry.
"""

from __future__ import annotations

import asyncio
import csv
import hashlib
import logging
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from asn1crypto import cms, core, pem
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from pyhanko.sign.general import extract_certificate_info, extract_signer_info
from pyhanko.sign.validation.generic_cms import async_validate_detached_cms
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko_certvalidator import ValidationContext

import settings
from auth.certs import Registry
from core.i18n import register, t

log = logging.getLogger(__name__)
# pyHanko logs every refused certificate as a WARNING with a traceback; a
# refusal is an answer here (SignatureError, the audit log), not a fault.
logging.getLogger("pyhanko.sign.validation.generic_cms").setLevel(logging.ERROR)

MAX_SIGNATURE_BYTES = 1024 * 1024  # a .p7s with its chain is a few kB
CLOCK_SKEW = timedelta(minutes=5)  # a signer's clock may run this far ahead
SIGNING_USAGES = frozenset({"digital_signature", "non_repudiation"})
TRUST_SUFFIXES = (".pem", ".crt")

CODES = (
    "missing",
    "malformed",
    "digest",
    "untrusted",
    "expired",
    "not_yet_valid",
    "key_usage",
    "revoked",
    "wrong_agency",
    "future_time",
)

register(
    {
        "sig.missing": {
            "vi": "Báo cáo phải có chữ ký số (tệp .p7s đi kèm) nhưng không có chữ ký.",
            "en": "The report must be digitally signed (a .p7s file with it), "
            "but no signature came with it.",
        },
        "sig.malformed": {
            "vi": "Không đọc được chữ ký số: đây không phải chữ ký CMS (PKCS#7) "
            "tách rời hợp lệ, hoặc chữ ký dùng thuật toán không được chấp nhận.",
            "en": "The signature cannot be read: it is not a valid detached CMS "
            "(PKCS#7) signature, or it uses an algorithm that is not accepted.",
        },
        "sig.digest": {
            "vi": "Chữ ký số không khớp với nội dung tệp: tệp đã bị thay đổi sau "
            "khi ký, hoặc chữ ký là của tệp khác.",
            "en": "The signature does not match the file: the file was changed "
            "after it was signed, or the signature is another file's.",
        },
        "sig.untrusted": {
            "vi": "Chứng thư số của người ký không do tổ chức cung cấp dịch vụ "
            "chứng thực chữ ký số được tin cậy cấp.",
            "en": "The signer's certificate was not issued by a trusted "
            "certification authority.",
        },
        "sig.expired": {
            "vi": "Chứng thư số của người ký đã hết hiệu lực tại thời điểm ký.",
            "en": "The signer's certificate had expired at the time of signing.",
        },
        "sig.not_yet_valid": {
            "vi": "Chứng thư số của người ký chưa có hiệu lực tại thời điểm ký.",
            "en": "The signer's certificate was not yet valid at the time of signing.",
        },
        "sig.key_usage": {
            "vi": "Chứng thư số của người ký không được dùng để ký số (thiếu mục "
            "đích chữ ký số hoặc chống chối bỏ).",
            "en": "The signer's certificate may not be used for signing (it has "
            "neither the digital signature nor the non-repudiation key usage).",
        },
        "sig.revoked": {
            "vi": "Chứng thư số của người ký đã bị thu hồi.",
            "en": "The signer's certificate has been revoked.",
        },
        "sig.wrong_agency": {
            "vi": "Chứng thư số của người ký chưa được đăng ký cho cơ quan nộp "
            "báo cáo.",
            "en": "The signer's certificate is not registered to the submitting "
            "agency.",
        },
        "sig.future_time": {
            "vi": "Thời điểm ký ghi trong chữ ký số ở tương lai.",
            "en": "The signing time in the signature is in the future.",
        },
    }
)


@dataclass(frozen=True)
class Signer:
    """Who signed a submission, as its provenance keeps it."""

    subject: str  # RFC 4514 string of the signer's certificate subject
    serial: str  # hex
    issuer: str
    signing_time: datetime  # aware, UTC
    fingerprint: str  # sha256 hex of the certificate's DER

    def as_json(self) -> dict:
        return {
            "subject": self.subject,
            "serial": self.serial,
            "issuer": self.issuer,
            "signing_time": self.signing_time.isoformat(),
            "fingerprint": self.fingerprint,
        }


class SignatureError(ValueError):
    """A refused signature: `code` (one of CODES) says why, `message(lang)`
    says it in words; `detail` is the technical reason (English, for logs)."""

    def __init__(self, code: str, detail: str = "") -> None:
        if code not in CODES:
            raise ValueError(f"unknown signature error code {code!r}")
        self.code = code
        self.detail = detail
        super().__init__(self.message("en") + (f" ({detail})" if detail else ""))

    def message(self, lang: str) -> str:
        return t(f"sig.{self.code}", lang)


def verify_detached(
    content: bytes,
    signature: bytes,
    agency: str,
    *,
    trust_dir: Path | None = None,
    registry=None,
) -> Signer:
    """The signer of `content`, if `signature` (DER or PEM) is a valid detached
    CMS signature over it by a certificate registered to `agency` (see the
    module's docstring); SignatureError otherwise. `registry`: an object with
    `lookup(fingerprint) -> row | None` (auth.certs.Registry, the default) or
    `agency_of(fingerprint)`, or a mapping fingerprint -> agency."""
    if signature is None or not bytes(signature).strip():
        raise SignatureError("missing")
    signed_data = _signed_data(bytes(signature))
    try:
        signer_info = extract_signer_info(signed_data)
        cert = extract_certificate_info(signed_data).signer_cert
    except (ValueError, KeyError, TypeError) as exc:
        raise SignatureError("malformed", str(exc)) from None
    signing_time = _signing_time(signer_info)
    if signing_time > datetime.now(UTC) + CLOCK_SKEW:
        raise SignatureError("future_time", signing_time.isoformat())

    context = ValidationContext(
        trust_roots=load_trust_store(trust_dir),
        moment=signing_time,
        allow_fetching=False,
        revocation_mode="soft-fail",
    )
    try:
        status = _run(
            async_validate_detached_cms(
                bytes(content),
                signed_data,
                signer_validation_context=context,
                key_usage_settings=KeyUsageConstraints(key_usage=SIGNING_USAGES),
            )
        )
    except Exception as exc:  # structural faults the parse did not reach
        raise SignatureError("malformed", f"{type(exc).__name__}: {exc}") from None
    if not status.intact or not status.valid:
        raise SignatureError(
            "digest", "message digest differs" if not status.intact else "bad signature"
        )
    if status.trust_problem_indic is not None:
        raise _trust_error(status, cert, signing_time)
    if not _signing_usage(cert):  # also when the signer is itself a trust anchor
        raise SignatureError("key_usage")

    signer = _signer(cert, signing_time)
    _check_registered(signer.fingerprint, agency, registry)
    return signer


def _signed_data(signature: bytes) -> cms.SignedData:
    if len(signature) > MAX_SIGNATURE_BYTES:
        raise SignatureError("malformed", f"larger than {MAX_SIGNATURE_BYTES} bytes")
    try:
        der = signature
        if pem.detect(signature):
            _, _, der = pem.unarmor(signature.strip())
        info = cms.ContentInfo.load(der, strict=True)
        if info["content_type"].native != "signed_data":
            raise ValueError(f"content type {info['content_type'].native}")
        signed_data = info["content"]
        signed_data.native  # noqa: B018 - parse it whole now, not lazily later
    except SignatureError:
        raise
    except Exception as exc:  # asn1crypto raises several kinds on bad input
        raise SignatureError("malformed", f"{type(exc).__name__}: {exc}") from None
    return signed_data


def _signing_time(signer_info: cms.SignerInfo) -> datetime:
    attrs = signer_info["signed_attrs"]
    if isinstance(attrs, core.Void):
        raise SignatureError("malformed", "no signed attributes")
    found = [a["values"] for a in attrs if a["type"].native == "signing_time"]
    if len(found) != 1 or len(found[0]) != 1:
        raise SignatureError("malformed", "no (or more than one) signingTime")
    moment = found[0][0].native
    if not isinstance(moment, datetime) or moment.tzinfo is None:
        raise SignatureError("malformed", "signingTime is not a UTC time")
    return moment.astimezone(UTC)


def _validity(cert: asn1_x509.Certificate) -> tuple[datetime, datetime]:
    validity = cert["tbs_certificate"]["validity"]
    return validity["not_before"].native, validity["not_after"].native


def _signing_usage(cert: asn1_x509.Certificate) -> bool:
    usage = cert.key_usage_value
    return usage is not None and bool(SIGNING_USAGES & set(usage.native))


def _trust_error(status, cert, signing_time: datetime) -> SignatureError:
    """Which check of the chain failed, read from pyHanko's AdES indication and
    the certificates themselves."""
    indication = status.trust_problem_indic.name
    if indication == "NO_CERTIFICATE_CHAIN_FOUND":
        return SignatureError("untrusted", "no path to a trusted CA")
    if indication.startswith("CRYPTO_CONSTRAINTS"):
        return SignatureError("malformed", "algorithm not accepted")
    path = status.validation_path
    chain = [cert] + (
        [c for c in path.iter_certs(include_root=True) if c.dump() != cert.dump()]
        if path is not None
        else []
    )
    for member in chain:
        not_before, not_after = _validity(member)
        name = member.subject.human_friendly
        if signing_time > not_after:
            return SignatureError("expired", f"{name} ended {not_after:%Y-%m-%d}")
        if signing_time < not_before:
            return SignatureError("not_yet_valid", f"{name} from {not_before:%Y-%m-%d}")
    if indication.startswith("REVOKED"):
        return SignatureError("revoked", indication)
    if not _signing_usage(cert):
        return SignatureError("key_usage")
    if indication == "OUT_OF_BOUNDS_NO_POE":
        return SignatureError("expired", indication)
    return SignatureError("untrusted", indication)


def _signer(cert: asn1_x509.Certificate, signing_time: datetime) -> Signer:
    der = cert.dump()
    parsed = x509.load_der_x509_certificate(der)
    return Signer(
        subject=parsed.subject.rfc4514_string(),
        serial=format(parsed.serial_number, "x"),
        issuer=parsed.issuer.rfc4514_string(),
        signing_time=signing_time,
        fingerprint=hashlib.sha256(der).hexdigest(),
    )


def _check_registered(fingerprint: str, agency: str, registry) -> None:
    registry = Registry() if registry is None else registry
    wanted = str(agency or "").strip().upper()
    if isinstance(registry, Mapping):
        registered = registry.get(fingerprint)
    elif hasattr(registry, "lookup"):
        row = registry.lookup(fingerprint)
        if row is not None and row.get("revoked_at") is not None:
            raise SignatureError("revoked", "revoked in the certificate registry")
        registered = row.get("agency") if row else None
    else:
        registered = registry.agency_of(fingerprint)
    if registered is None:
        raise SignatureError("wrong_agency", "certificate not registered")
    if str(registered).strip().upper() != wanted:
        raise SignatureError("wrong_agency", f"registered to {registered}")


def load_trust_store(trust_dir: Path | None = None) -> list[asn1_x509.Certificate]:
    """The CA certificates of the trust store (a file that cannot be read is
    skipped, and logged)."""
    folder = Path(trust_dir) if trust_dir is not None else settings.trust_dir()
    if not folder.is_dir():
        log.warning(
            "trust store %s does not exist: no signature can be trusted", folder
        )
        return []
    roots = []
    for file in sorted(folder.iterdir()):
        if file.suffix.lower() not in TRUST_SUFFIXES or not file.is_file():
            continue
        try:
            data = file.read_bytes()
            if pem.detect(data):
                blocks = [
                    der
                    for kind, _, der in pem.unarmor(data, multiple=True)
                    if kind in ("CERTIFICATE", "TRUSTED CERTIFICATE")
                ]
            else:
                blocks = [data]
            for der in blocks:
                root = asn1_x509.Certificate.load(der, strict=True)
                root.native  # noqa: B018 - refuse a bad file here, not later
                roots.append(root)
        except Exception as exc:
            log.warning("trust store: %s skipped (%s)", file.name, exc)
    return roots


def _run(coro):
    """Run pyHanko's coroutine to its end, also from a thread that already
    runs an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


def regime_requires_signature(regime_code: str) -> bool:
    """Whether submissions of a regime must be signed (regimes.csv
    `signature_required`); ValueError for a regime that does not exist."""
    with open(
        settings.REFERENCE_DIR / "regimes.csv", encoding="utf-8-sig", newline=""
    ) as f:
        for row in csv.DictReader(f):
            if row["code"] == str(regime_code).strip().upper():
                value = (row.get("signature_required") or "").strip().lower()
                if value not in ("true", "false"):
                    raise ValueError(
                        f"regimes.csv: signature_required of {row['code']} must be "
                        f"true or false, not {value!r}"
                    )
                return value == "true"
    raise ValueError(f"unknown regime {regime_code!r}")
