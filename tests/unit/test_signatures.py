"""Reporters' detached CMS signatures (intake/signatures.py) and the registry of
their certificates (auth/certs.py, `python -m auth certs`): a good signature
names its signer; each way a signature can be bad is refused with its own
code and words. The CA and the certificates are made here, thrown away after.
"""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives import serialization
from typer.testing import CliRunner

import settings
from auth import audit, certs
from auth.__main__ import app
from auth.db import MIGRATIONS, SCHEMA
from core.i18n import STRINGS
from intake.signatures import (
    CODES,
    SignatureError,
    Signer,
    load_trust_store,
    regime_requires_signature,
    verify_detached,
)
from tests.signing import (
    fingerprint,
    make_ca,
    new_key,
    pem,
    sign_detached,
    sign_detached_pyca,
    to_pem,
)

CONTENT = (
    "indicator_code,unit_code,unit_name,period,value,reporter\n"
    "NS.01,22,Quảng Ninh,2026-09,52340.5,UBND-22\n"
).encode()
NOW = datetime.now(UTC).replace(microsecond=0)
RUN = CliRunner()


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """A data directory in tmp_path: its trust store and auth.sqlite are the
    defaults that verify_detached() reads when given neither."""
    monkeypatch.setenv("CC_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CC_AUTH_DIR", str(tmp_path / "auth"))
    monkeypatch.delenv("CC_TRUST_DIR", raising=False)
    return tmp_path


@pytest.fixture
def ca(data_dir):
    return make_ca(data_dir)


@pytest.fixture
def reporter(ca):
    """A signer of Quảng Ninh's People's Committee, registered to it."""
    cert, key = ca.issue("Sở Tài chính Quảng Ninh", agency="UBND-22")
    certs.add(pem(cert), "UBND-22", by="test")
    return cert, key


def refusal(content, signature, agency="UBND-22", **kwargs) -> str:
    with pytest.raises(SignatureError) as caught:
        verify_detached(content, signature, agency, **kwargs)
    return caught.value.code


def registered(ca, agency="UBND-22", **issue):
    cert, key = ca.issue("Người ký", agency=agency, **issue)
    certs.add(pem(cert), agency, by="test")
    return cert, key


# ------------------------------------------------------------------ accepted


def test_a_good_signature_names_its_signer(reporter, ca):
    cert, key = reporter
    when = NOW - timedelta(hours=3)
    signer = verify_detached(
        CONTENT, sign_detached(CONTENT, cert, key, signing_time=when), "UBND-22"
    )
    assert signer == Signer(
        subject=cert.subject.rfc4514_string(),
        serial=format(cert.serial_number, "x"),
        issuer=ca.cert.subject.rfc4514_string(),
        signing_time=when,
        fingerprint=hashlib.sha256(
            cert.public_bytes(serialization.Encoding.DER)
        ).hexdigest(),
    )
    assert "Quảng Ninh" in signer.subject and "UBND-22" in signer.subject
    assert signer.signing_time.tzinfo is not None
    as_json = signer.as_json()
    assert datetime.fromisoformat(as_json["signing_time"]) == when
    assert as_json["fingerprint"] == fingerprint(cert)
    assert set(as_json) == {
        "subject",
        "serial",
        "issuer",
        "signing_time",
        "fingerprint",
    }


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda c, k: sign_detached(CONTENT, c, k), id="der"),
        pytest.param(lambda c, k: to_pem(sign_detached(CONTENT, c, k)), id="pem"),
        pytest.param(lambda c, k: sign_detached_pyca(CONTENT, c, k), id="pyca-der"),
        pytest.param(
            lambda c, k: to_pem(sign_detached_pyca(CONTENT, c, k)), id="pyca-pem"
        ),
    ],
)
def test_der_and_pem_from_either_producer_are_accepted(reporter, make):
    cert, key = reporter
    signer = verify_detached(CONTENT, make(cert, key), " ubnd-22 ")
    assert signer.fingerprint == fingerprint(cert)


def test_an_rsa_signer_under_an_intermediate_ca_is_accepted(ca):
    intermediate, inter_key = ca.issue("Cục Chứng thực số", agency=None, ca=True)
    sub = type(ca)(intermediate, inter_key, ca.trust_dir)
    cert, key = sub.issue("Bộ Tài chính", agency="BTC", key_kind="rsa")
    certs.add(pem(cert), "BTC", by="test")
    signed = sign_detached(CONTENT, cert, key, chain=(intermediate,))
    assert verify_detached(CONTENT, signed, "BTC").issuer == (
        intermediate.subject.rfc4514_string()
    )
    # without the intermediate in the signature there is no path to the root
    assert refusal(CONTENT, sign_detached(CONTENT, cert, key), "BTC") == "untrusted"


def test_validity_is_judged_at_the_signing_time_not_today(ca):
    cert, key = registered(
        ca, not_before=NOW - timedelta(days=400), not_after=NOW - timedelta(days=10)
    )
    signed_then = sign_detached(
        CONTENT, cert, key, signing_time=NOW - timedelta(days=100)
    )
    assert verify_detached(CONTENT, signed_then, "UBND-22").signing_time == (
        NOW - timedelta(days=100)
    )


def test_explicit_trust_dir_and_registry_are_used(tmp_path):
    ca = make_ca(tmp_path / "elsewhere")
    cert, key = ca.issue("A")
    signed = sign_detached(CONTENT, cert, key)
    registry = {fingerprint(cert): "UBND-22"}
    signer = verify_detached(
        CONTENT, signed, "UBND-22", trust_dir=ca.trust_dir, registry=registry
    )
    assert signer.fingerprint == fingerprint(cert)
    assert refusal(
        CONTENT, signed, trust_dir=tmp_path / "nothing", registry=registry
    ) == ("untrusted")


# ------------------------------------------------------------------ refused


def test_changed_content_or_another_key_is_a_digest_error(reporter):
    cert, key = reporter
    signed = sign_detached(CONTENT, cert, key)
    assert refusal(CONTENT.replace(b"52340.5", b"92340.5"), signed) == "digest"
    assert refusal(CONTENT + b"\n", signed) == "digest"
    # right digest, but the signed attributes signed by a key not the certificate's
    assert refusal(CONTENT, sign_detached(CONTENT, cert, new_key())) == "digest"


def test_a_ca_outside_the_trust_store_is_untrusted(data_dir):
    stranger = make_ca(data_dir / "stranger", name="Stranger CA", trusted=False)
    cert, key = registered(stranger)
    assert refusal(CONTENT, sign_detached(CONTENT, cert, key)) == "untrusted"


def test_an_empty_or_missing_trust_store_trusts_nobody(reporter, data_dir):
    cert, key = reporter
    signed = sign_detached(CONTENT, cert, key)
    for path in (data_dir / "trust").iterdir():
        path.unlink()
    assert refusal(CONTENT, signed) == "untrusted"
    (data_dir / "trust").rmdir()
    assert refusal(CONTENT, signed) == "untrusted"


def test_a_certificate_expired_at_signing_time_is_refused(ca):
    cert, key = registered(
        ca, not_before=NOW - timedelta(days=400), not_after=NOW - timedelta(days=10)
    )
    assert refusal(CONTENT, sign_detached(CONTENT, cert, key)) == "expired"
    early = sign_detached(CONTENT, cert, key, signing_time=NOW - timedelta(days=500))
    assert refusal(CONTENT, early) == "not_yet_valid"


def test_a_signing_time_in_the_future_is_refused(reporter):
    cert, key = reporter
    later = sign_detached(CONTENT, cert, key, signing_time=NOW + timedelta(hours=1))
    assert refusal(CONTENT, later) == "future_time"
    # a signer's clock a minute ahead is within the slack
    ahead = sign_detached(CONTENT, cert, key, signing_time=NOW + timedelta(minutes=1))
    assert verify_detached(CONTENT, ahead, "UBND-22")


@pytest.mark.parametrize(
    "usage", [("key_encipherment",), ("key_agreement", "data_encipherment"), None]
)
def test_a_certificate_not_for_signing_is_refused(ca, usage):
    cert, key = registered(ca, key_usage=usage)
    assert refusal(CONTENT, sign_detached(CONTENT, cert, key)) == "key_usage"


@pytest.mark.parametrize("usage", [("digital_signature",), ("non_repudiation",)])
def test_either_signing_usage_suffices(ca, usage):
    cert, key = registered(ca, key_usage=usage)
    assert verify_detached(CONTENT, sign_detached(CONTENT, cert, key), "UBND-22")


def test_a_certificate_of_another_agency_or_none_is_wrong_agency(ca):
    cert, key = registered(ca, agency="UBND-01")
    signed = sign_detached(CONTENT, cert, key)
    assert refusal(CONTENT, signed, "UBND-22") == "wrong_agency"
    assert verify_detached(CONTENT, signed, "UBND-01")
    unknown, unknown_key = ca.issue("Chưa đăng ký")
    assert (
        refusal(CONTENT, sign_detached(CONTENT, unknown, unknown_key)) == "wrong_agency"
    )


def test_a_revoked_certificate_is_refused(reporter):
    cert, key = reporter
    signed = sign_detached(CONTENT, cert, key)
    assert verify_detached(CONTENT, signed, "UBND-22")
    (row,) = certs.revoke(format(cert.serial_number, "x"), by="test")
    assert row["fingerprint"] == fingerprint(cert)
    assert refusal(CONTENT, signed) == "revoked"
    assert certs.agency_of(fingerprint(cert)) is None


@pytest.mark.parametrize(
    "signature",
    [
        pytest.param(b"garbage bytes, not a signature", id="garbage"),
        pytest.param(bytes(range(256)) * 4, id="binary"),
        pytest.param(b"0\x82\x01\x00\x06\x09", id="truncated-der"),
        pytest.param(b"-----BEGIN CMS-----\n!!!\n-----END CMS-----\n", id="bad-pem"),
    ],
)
def test_garbage_is_malformed(reporter, signature):
    assert refusal(CONTENT, signature) == "malformed"


def test_a_certificate_or_a_signature_without_signing_time_is_malformed(reporter):
    cert, key = reporter
    assert refusal(CONTENT, pem(cert)) == "malformed"  # a certificate, not a CMS
    assert refusal(CONTENT, sign_detached(CONTENT, cert, key)[:-40]) == "malformed"
    untimed = sign_detached(CONTENT, cert, key, with_signing_time=False)
    assert refusal(CONTENT, untimed) == "malformed"


@pytest.mark.parametrize("signature", [b"", b"  \n", None])
def test_no_signature_is_missing(reporter, signature):
    assert refusal(CONTENT, signature) == "missing"


def test_every_code_is_said_in_vietnamese_and_english():
    seen = set()
    for code in CODES:
        error = SignatureError(code)
        vi, en = error.message("vi"), error.message("en")
        assert STRINGS[f"sig.{code}"] == {"vi": vi, "en": en}
        assert vi != en and vi not in seen and en not in seen
        seen |= {vi, en}
        assert str(error).startswith(en)
        assert isinstance(error, ValueError)
    assert "chữ ký" in SignatureError("digest").message("vi").lower()
    with pytest.raises(ValueError):
        SignatureError("nonsense")


# ------------------------------------------------------------------ trust store


def test_the_trust_store_reads_pem_bundles_and_der_and_skips_bad_files(data_dir):
    trust = data_dir / "trust"
    first, second = make_ca(data_dir / "a", "A"), make_ca(data_dir / "b", "B")
    trust.mkdir()
    (trust / "bundle.pem").write_bytes(first.pem + second.pem)
    third = make_ca(data_dir / "c", "C")
    (trust / "c.crt").write_bytes(third.cert.public_bytes(serialization.Encoding.DER))
    (trust / "broken.pem").write_bytes(b"-----BEGIN CERTIFICATE-----\nAAAA\n")
    (trust / "notes.txt").write_bytes(first.pem)  # not a trust file's name
    subjects = sorted(c.subject.human_friendly for c in load_trust_store())
    assert subjects == [
        "Common Name: A, Country: VN",
        "Common Name: B, Country: VN",
        "Common Name: C, Country: VN",
    ]


def test_trust_dir_is_cc_trust_dir_else_the_data_dirs(data_dir, monkeypatch):
    assert settings.trust_dir() == data_dir.resolve() / "trust"
    assert settings.trust_dir(data_dir / "x") == (data_dir / "x").resolve() / "trust"
    monkeypatch.setenv("CC_TRUST_DIR", str(data_dir / "gov-ca"))
    assert settings.trust_dir() == (data_dir / "gov-ca").resolve()


def test_regimes_say_whether_they_require_signatures():
    assert regime_requires_signature("NSNN_M") is True
    assert regime_requires_signature("KTXH_M") is False
    with pytest.raises(ValueError, match="unknown regime"):
        regime_requires_signature("NOPE_M")


# ------------------------------------------------------------------ registry


def test_the_registry_keeps_a_certificate_and_its_agency(ca, data_dir):
    cert, _ = ca.issue("Phường Hồng Gai", agency="UBND-22")
    row = certs.add(pem(cert), "ubnd-22", by="cli:an")
    assert row["agency"] == "UBND-22" and row["added_by"] == "cli:an"
    assert row["fingerprint"] == fingerprint(cert)
    assert row["serial"] == format(cert.serial_number, "x")
    assert row["not_after"].startswith(cert.not_valid_after_utc.strftime("%Y-%m-%d"))
    (listed,) = certs.list_certs()
    assert listed == row
    assert certs.list_certs("UBND-01") == []
    assert certs.agency_of(row["fingerprint"]) == "UBND-22"
    assert certs.agency_of("0" * 64) is None
    der = cert.public_bytes(serialization.Encoding.DER)
    other, _ = ca.issue("BTC", agency="BTC")
    assert certs.add(other.public_bytes(serialization.Encoding.DER), "BTC", "t")
    assert [r["agency"] for r in certs.list_certs()] == ["BTC", "UBND-22"]
    with pytest.raises(ValueError, match="already registered to UBND-22"):
        certs.add(der, "UBND-01", by="x")


@pytest.mark.parametrize(
    "data, agency, message",
    [
        (None, "XYZ", "unknown reporting agency"),
        (None, "UBND-99", "unknown reporting agency"),
        (None, "", "needs --agency"),
        (b"not a certificate", "UBND-22", "not a certificate"),
        (b"", "UBND-22", "not a certificate"),
        ("two", "UBND-22", "2 certificates"),
        ("ca", "UBND-22", "trust store"),
    ],
)
def test_the_registry_refuses_bad_agencies_and_non_certificates(
    ca, data, agency, message
):
    cert, _ = ca.issue("X")
    if data is None:
        data = pem(cert)
    elif data == "two":
        data = pem(cert) + ca.pem
    elif data == "ca":
        data = ca.pem
    with pytest.raises(ValueError, match=message):
        certs.add(data, agency, by="t")
    assert certs.list_certs() == []


def test_revoke_by_fingerprint_or_serial_and_never_again(ca):
    cert, _ = registered(ca)
    fp = fingerprint(cert)
    with_colons = ":".join(fp[i : i + 2] for i in range(0, 64, 2)).upper()
    (row,) = certs.revoke(with_colons, by="cli:an")
    assert row["revoked_by"] == "cli:an" and row["revoked_at"]
    assert certs.lookup(fp)["revoked_at"] == row["revoked_at"]
    assert certs.revoke(fp, by="cli:an") == []  # nothing live any more
    with pytest.raises(ValueError, match="revoked"):
        certs.add(pem(cert), "UBND-22", by="t")
    with pytest.raises(ValueError, match="neither a serial nor a fingerprint"):
        certs.revoke("zz-top", by="t")


def test_an_auth_file_of_schema_1_gains_the_registry(data_dir, ca):
    path = data_dir / "auth" / "auth.sqlite"
    path.parent.mkdir()
    con = sqlite3.connect(path)
    con.executescript(SCHEMA)
    con.execute("PRAGMA user_version = 1")
    con.close()
    cert, _ = ca.issue("X")
    assert certs.add(pem(cert), "UBND-22", by="t")
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    con.close()


# ------------------------------------------------------------------ CLI


def cli(*args: str):
    return RUN.invoke(app, list(args))


def test_cli_adds_lists_and_revokes_with_audit_records(ca, data_dir):
    cert, key = ca.issue("Sở Tài chính Quảng Ninh", agency="UBND-22")
    file = data_dir / "signer.pem"
    file.write_bytes(pem(cert))
    added = cli("certs", "add", "--agency", "UBND-22", str(file))
    assert added.exit_code == 0, added.output
    assert "UBND-22" in added.output and fingerprint(cert) in added.output
    assert verify_detached(CONTENT, sign_detached(CONTENT, cert, key), "UBND-22")

    listed = cli("certs", "list", "--agency", "UBND-22")
    assert listed.exit_code == 0 and "live" in listed.output
    assert format(cert.serial_number, "x") in listed.output
    assert cli("certs", "list", "--agency", "BTC").output == ""

    revoked = cli("certs", "revoke", format(cert.serial_number, "x"))
    assert revoked.exit_code == 0, revoked.output
    assert "revoked" in cli("certs", "list").output
    assert refusal(CONTENT, sign_detached(CONTENT, cert, key)) == "revoked"

    events = audit.read_events(action=audit.ADMIN)
    ops = [(e["target"], e["detail"]) for e in reversed(events)]
    assert [t for t, _ in ops] == [f"cert:{fingerprint(cert)}"] * 2
    assert '"op": "add"' in ops[0][1] and '"agency": "UBND-22"' in ops[0][1]
    assert '"op": "revoke"' in ops[1][1]
    assert all(e["actor"].startswith("cli:") for e in events)


def test_cli_refuses_unknown_agencies_non_certificates_and_unknown_serials(
    ca, data_dir
):
    cert, _ = ca.issue("X")
    file = data_dir / "signer.pem"
    file.write_bytes(pem(cert))
    bad = cli("certs", "add", "--agency", "UBND-99", str(file))
    assert bad.exit_code == 2 and "UBND-99" in bad.output
    junk = data_dir / "junk.pem"
    junk.write_bytes(b"hello")
    bad = cli("certs", "add", "--agency", "UBND-22", str(junk))
    assert bad.exit_code == 2 and "not a certificate" in bad.output
    bad = cli("certs", "add", "--agency", "UBND-22", str(data_dir / "absent.pem"))
    assert bad.exit_code == 2 and "cannot read" in bad.output
    bad = cli("certs", "revoke", "abc123")
    assert bad.exit_code == 1 and "no live certificate" in bad.output
    assert certs.list_certs() == []
    assert audit.read_events(action=audit.ADMIN) == []  # refusals change nothing
