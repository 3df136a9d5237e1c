"""The registry of the reporters' signing certificates: who may sign for which
agency (`python -m auth certs add|list|revoke`).

A submission's detached signature (intake/signatures.py) is accepted only when
the signer's certificate is registered here to the submitting agency and not
revoked. The table `certs` is in auth.sqlite (auth/db.py, migration 2), keyed
by the SHA-256 of the certificate's DER; its serial is kept in hex (lowercase).
A revoked certificate stays in the table (who signed what stays readable) and
cannot be registered again.

    add(pem_bytes, "UBND-22", by="cli:an")  -> the row (a dict)
    agency_of(fingerprint)                  -> "UBND-22", or None (unknown, revoked)
"""

from __future__ import annotations

import time
from datetime import UTC
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization

from auth.db import connect
from auth.scope import check_reporting_agency

COLUMNS = (
    "fingerprint",
    "agency",
    "subject",
    "serial",
    "issuer",
    "not_before",
    "not_after",
    "pem",
    "added_at",
    "added_by",
    "revoked_at",
    "revoked_by",
)
MAX_PEM_BYTES = 64 * 1024  # one certificate; a chain or a bundle is refused


def load_certificate(data: bytes) -> x509.Certificate:
    """The one certificate of a PEM (or DER) file; ValueError says why not."""
    if len(data) > MAX_PEM_BYTES:
        raise ValueError("not a certificate: the file is larger than one can be")
    stripped = data.strip()
    try:
        if stripped.startswith(b"-----BEGIN"):
            found = x509.load_pem_x509_certificates(stripped)
        else:
            found = [x509.load_der_x509_certificate(stripped)]
    except ValueError:
        raise ValueError(
            "not a certificate: expected one X.509 certificate (PEM or DER)"
        ) from None
    if len(found) != 1:
        raise ValueError(
            f"the file holds {len(found)} certificates: give the signer's one only"
        )
    return found[0]


def fingerprint(cert: x509.Certificate) -> str:
    """SHA-256 of the certificate's DER, lowercase hex."""
    return cert.fingerprint(hashes.SHA256()).hex()


def serial_hex(serial: int) -> str:
    return format(serial, "x")


def _iso(moment) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def describe(cert: x509.Certificate) -> dict:
    """The registry's columns read from a certificate (besides agency and who)."""
    return {
        "fingerprint": fingerprint(cert),
        "subject": cert.subject.rfc4514_string(),
        "serial": serial_hex(cert.serial_number),
        "issuer": cert.issuer.rfc4514_string(),
        "not_before": _iso(cert.not_valid_before_utc),
        "not_after": _iso(cert.not_valid_after_utc),
        "pem": cert.public_bytes(serialization.Encoding.PEM).decode("ascii"),
    }


def _is_ca(cert: x509.Certificate) -> bool:
    try:
        return bool(
            cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
        )
    except x509.ExtensionNotFound:
        return False


def add(pem_bytes: bytes, agency: str, by: str, root: Path | None = None) -> dict:
    """Register a signer's certificate to a reporting agency (a ministry, or
    UBND-<province or commune in force>). ValueError: not one certificate, a
    CA's certificate, an unknown agency, or already registered (or revoked)."""
    agency = check_reporting_agency(agency)
    cert = load_certificate(pem_bytes)
    if _is_ca(cert):
        raise ValueError(
            "a CA's certificate signs certificates, not reports: put it in the "
            "trust store, and register the signer's own certificate here"
        )
    row = describe(cert) | {
        "agency": agency,
        "added_at": time.time(),
        "added_by": by,
        "revoked_at": None,
        "revoked_by": None,
    }
    with connect(root, write=True) as con:
        old = con.execute(
            "SELECT agency, revoked_at FROM certs WHERE fingerprint = ?",
            [row["fingerprint"]],
        ).fetchone()
        if old is not None:
            if old["revoked_at"] is not None:
                raise ValueError(
                    f"certificate {row['fingerprint'][:16]}… was revoked: it "
                    "cannot be registered again"
                )
            raise ValueError(
                f"certificate {row['fingerprint'][:16]}… is already registered "
                f"to {old['agency']}"
            )
        con.execute(
            f"INSERT INTO certs ({', '.join(COLUMNS)}) "
            f"VALUES ({', '.join('?' for _ in COLUMNS)})",
            [row[c] for c in COLUMNS],
        )
    return row


def list_certs(agency: str | None = None, root: Path | None = None) -> list[dict]:
    """The registered certificates (revoked ones too), by agency then subject."""
    sql = f"SELECT {', '.join(COLUMNS)} FROM certs"
    args: list = []
    if agency:
        sql += " WHERE agency = ?"
        args.append(str(agency).strip().upper())
    with connect(root) as con:
        rows = con.execute(sql + " ORDER BY agency, subject, added_at", args)
        return [dict(r) for r in rows.fetchall()]


def _normal_key(serial_or_fingerprint: str) -> str:
    return str(serial_or_fingerprint).strip().lower().replace(":", "")


def revoke(serial_or_fingerprint: str, by: str, root: Path | None = None) -> list[dict]:
    """Revoke the live certificates of a fingerprint (64 hex digits) or of a
    serial (hex; every issuer's, since a serial is unique only per CA). Returns
    the rows revoked (none: nothing live matched); `by`: who (cli:<login>)."""
    key = _normal_key(serial_or_fingerprint)
    if not key or any(c not in "0123456789abcdef" for c in key):
        raise ValueError(
            f"{serial_or_fingerprint!r} is neither a serial nor a fingerprint (hex)"
        )
    serial = key.lstrip("0") or "0"
    now = time.time()
    with connect(root, write=True) as con:
        rows = con.execute(
            f"SELECT {', '.join(COLUMNS)} FROM certs "
            "WHERE (fingerprint = ? OR serial = ?) AND revoked_at IS NULL",
            [key, serial],
        ).fetchall()
        con.executemany(
            "UPDATE certs SET revoked_at = ?, revoked_by = ? WHERE fingerprint = ?",
            [(now, by, r["fingerprint"]) for r in rows],
        )
    return [dict(r) | {"revoked_at": now, "revoked_by": by} for r in rows]


def lookup(fingerprint_hex: str, root: Path | None = None) -> dict | None:
    """The registry's row of a certificate (revoked or not), or None."""
    with connect(root) as con:
        row = con.execute(
            f"SELECT {', '.join(COLUMNS)} FROM certs WHERE fingerprint = ?",
            [_normal_key(fingerprint_hex)],
        ).fetchone()
    return dict(row) if row else None


def agency_of(fingerprint_hex: str, root: Path | None = None) -> str | None:
    """The agency a certificate is registered to; None if unknown or revoked."""
    row = lookup(fingerprint_hex, root)
    if row is None or row["revoked_at"] is not None:
        return None
    return row["agency"]


class Registry:
    """The registry of one auth directory, as intake.signatures takes it
    (`lookup` and `agency_of`); Registry() is the configured one."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root

    def lookup(self, fingerprint_hex: str) -> dict | None:
        return lookup(fingerprint_hex, self.root)

    def agency_of(self, fingerprint_hex: str) -> str | None:
        return agency_of(fingerprint_hex, self.root)
