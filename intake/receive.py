"""The one receiving path of reports: the /submit page and the push API.

    received, created = receive_submission(content, "bc-thang-9.csv", scope, "api")

checks, before anything is stored, in this order:
  1. the caller may submit (capability `submit`) and has a reporting agency;
  2. the Idempotency-Key (at most 200 printable characters): a key this
     principal sent before names the submission it made (nothing new is
     stored; the same key with other content is refused);
  3. the size (settings.max_submission_bytes, 413);
  4. the type, from the file name, else from the content: csv, xlsx, json;
  5. the rows, through the ETL's own checks with no warehouse
     (etl.run.validate_files, the caller's agency as the file's reporter):
     rows naming another reporter, units the agency does not report for, or
     (a ministry) indicators it does not own are out of its reach (403);
     any other bad row is a 422 with the row-level report;
  6. the signature, when one is given (intake.signatures.verify_detached),
     and that one is given when a regime of the file's indicators requires it;
then stores it durably in the inbox (store.inbox) for `python -m etl worker`.
A refusal raises Refused (HTTP status, code, message in vi and en, row
errors). Every submission and every refusal is in the audit log (`submit`).
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import logging
import re
import tempfile
from functools import lru_cache
from pathlib import Path

from flask import has_request_context, request

import settings
from auth import audit
from core.roles import SUBMIT
from core.scope import Scope
from etl.readers import ParsedFile, read_file
from etl.run import Submission, validate_files
from intake import signatures
from store.inbox import CHANNELS, EXTENSIONS, Inbox, Received

KEY_RE = re.compile(r"^[!-~](?:[ -~]{0,198}[!-~])?$")  # printable, no edge spaces
log = logging.getLogger(__name__)
MAX_ERRORS = 1000  # row errors in one answer (the total is given beside)
NAME_RE = re.compile(r"[^A-Za-z0-9._-]+")


class Refused(Exception):
    """A submission refused before anything was stored."""

    def __init__(
        self,
        status: int,
        code: str,
        vi: str,
        en: str,
        errors: list[dict] | None = None,
    ) -> None:
        super().__init__(en)
        self.status, self.code = status, code
        self.messages = {"vi": vi, "en": en}
        self.errors = errors or []

    def message(self, lang: str = "vi") -> str:
        return self.messages.get(lang, self.messages["vi"])

    def as_json(self, lang: str = "en") -> dict:
        """The API's answer: error (in `lang`), status, code, both messages,
        the row errors (at most MAX_ERRORS; errors_total says how many)."""
        return {
            "error": self.message(lang),
            "status": self.status,
            "code": self.code,
            "message": dict(self.messages),
            "errors": self.errors[:MAX_ERRORS],
            "errors_total": len(self.errors),
        }


def receive_submission(
    content: bytes,
    file_name: str,
    scope: Scope,
    channel: str,
    idempotency_key: str | None = None,
    signature: bytes | None = None,
) -> tuple[Received, bool]:
    """Check a report and store it in the inbox: (it, True) once durable, or
    (the earlier one, False) for a retry of the same Idempotency-Key.
    Refused (with the HTTP status to answer) when it may not be stored."""
    detail = {
        "channel": channel,
        "file_name": str(file_name)[:200],
        "size": len(content),
        "sha256": hashlib.sha256(content).hexdigest(),
        "agency": scope.agency,
        "signed": signature is not None,
    }
    try:
        received, created = _receive(
            content, file_name, scope, channel, idempotency_key, signature
        )
    except Refused as exc:
        audit.record(
            audit.SUBMIT,
            target=str(file_name)[:200],
            outcome="refused" if exc.status in (401, 403) else "invalid",
            detail={
                **detail,
                "status": exc.status,
                "code": exc.code,
                "reason": exc.message("en"),
                "errors": len(exc.errors),
            },
            **_who(scope),
        )
        raise
    audit.record(
        audit.SUBMIT,
        target=received.id,
        outcome="queued" if created else "duplicate",
        detail={**detail, "id": received.id, "rows": received.rows},
        **_who(scope),
    )
    return received, created


def _who(scope: Scope) -> dict:
    ip = request.remote_addr if has_request_context() else None
    return {"actor": scope.principal, "role": scope.role, "ip": ip}


def _receive(
    content: bytes,
    file_name: str,
    scope: Scope,
    channel: str,
    idempotency_key: str | None,
    signature: bytes | None,
) -> tuple[Received, bool]:
    if channel not in CHANNELS:
        raise ValueError(f"channel must be one of {', '.join(CHANNELS)}")
    agency = scope.agency
    if not scope.can(SUBMIT) or not agency:
        raise Refused(
            403,
            "not_permitted",
            "Vai trò này không được nộp báo cáo.",
            f"role {scope.role} may not submit reports (a reporter of one agency may)",
        )
    inbox = Inbox()
    if idempotency_key is not None:
        check_key(idempotency_key)
        earlier = inbox.by_key(scope.principal, idempotency_key)
        if earlier is not None:
            if earlier.sha256 != hashlib.sha256(content).hexdigest():
                raise Refused(
                    422,
                    "key_reused",
                    "Idempotency-Key này đã dùng cho một báo cáo khác.",
                    "this Idempotency-Key was used for another submission "
                    f"({earlier.id}): a new report needs a new key",
                )
            return earlier, False
    check_size(len(content))
    ext = file_type(file_name, content)
    rows = check_rows(content, file_name, ext, agency)
    signer = check_signature(content, signature, agency, rows.indicators)
    return inbox.receive(
        content,
        file_name=str(file_name or f"submission.{ext}"),
        ext=ext,
        principal=scope.principal,
        agency=agency,
        channel=channel,
        idempotency_key=idempotency_key,
        rows=rows.count,
        signer=signer,
        signature=signature,
    )


def check_key(key: str) -> str:
    if not isinstance(key, str) or not KEY_RE.match(key):
        raise Refused(
            400,
            "bad_key",
            "Idempotency-Key phải gồm 1–200 ký tự in được (ASCII).",
            "Idempotency-Key must be 1-200 printable ASCII characters",
        )
    return key


def check_size(size: int) -> None:
    limit = settings.max_submission_bytes()
    if size > limit:
        raise Refused(
            413,
            "too_large",
            f"Tệp quá lớn: tối đa {limit:,} byte.".replace(",", "."),
            f"the file is too large: at most {limit:,} bytes",
        )
    if size == 0:
        raise Refused(400, "empty", "Tệp rỗng.", "the file is empty")


def file_type(file_name: str, content: bytes) -> str:
    """csv, xlsx or json: the file name's extension, else the content's look;
    a name and a content that disagree (an .xlsx that is no workbook) or a
    binary that is none of the three are refused (415)."""
    suffix = Path(str(file_name or "")).suffix.lower().lstrip(".")
    suffix = {"txt": "csv"}.get(suffix, suffix)
    zipped = content[:4] == b"PK\x03\x04"  # an XLSX is a zip archive
    if suffix in EXTENSIONS:
        if (suffix == "xlsx") != zipped:
            raise Refused(
                415,
                "type_mismatch",
                f"Nội dung tệp không phải {suffix.upper()} như tên tệp.",
                f"the content is not {suffix.upper()}, as the file name says",
            )
        return suffix
    if suffix:
        raise _unsupported(suffix)
    if zipped:
        return "xlsx"
    head = content[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not a character cut at the end
            raise _unsupported("binary") from None
    return "json" if head[:1] in (b"{", b"[") else "csv"


def _unsupported(what: str) -> Refused:
    return Refused(
        415,
        "unsupported_type",
        f"Loại tệp không được nhận ({what}): CSV, XLSX hoặc JSON.",
        f"unsupported file type ({what}): CSV, XLSX or JSON",
    )


@dataclasses.dataclass(frozen=True)
class Rows:
    count: int
    indicators: frozenset[str]


def _error(row: int, column: str, value, expected: str) -> dict:
    return {
        "row": int(row),
        "column": column,
        "value": "" if value is None else str(value),
        "expected": expected,
    }


def check_rows(content: bytes, file_name: str, ext: str, agency: str) -> Rows:
    """The ETL's checks of the file (no warehouse), and the agency's reach."""
    stem = NAME_RE.sub("-", Path(str(file_name or "")).stem).strip("-.")[:80]
    with tempfile.TemporaryDirectory(prefix="cc-submit-") as folder:
        path = Path(folder) / f"{stem or 'submission'}.{ext}"
        path.write_bytes(content)
        parsed = read_file(path)
        out_of_reach = _reach_errors(parsed, agency)
        outcome = validate_files([Submission(path, reporter=agency)]).outcomes[0]
    errors = [_error(e.row, e.column, e.value, e.expected) for e in outcome.errors]
    # the ETL's reporter errors are the reach of the agency (the units a
    # People's Committee reports): refused as out of reach too
    out_of_reach += [e for e in errors if e["column"] == "reporter"]
    if out_of_reach:
        once = {(e["row"], e["column"]): e for e in reversed(out_of_reach)}
        raise Refused(
            403,
            "out_of_reach",
            f"Báo cáo có số liệu ngoài phạm vi của {agency}.",
            f"the report holds figures outside the reach of {agency}",
            sorted(once.values(), key=lambda e: (e["row"], e["column"])),
        )
    if errors:
        n = len({e["row"] for e in errors})
        raise Refused(
            422,
            "invalid_rows",
            f"Tệp có {n} dòng không hợp lệ; chưa lưu gì.",
            f"{n} row(s) are not valid; nothing was stored",
            errors,
        )
    table = parsed.rows_table()
    codes = {
        str(c).strip().upper()
        for c in table.column("indicator_code").to_pylist()
        if c is not None
    }
    return Rows(parsed.n_rows, frozenset(codes))


def _reach_errors(parsed: ParsedFile, agency: str) -> list[dict]:
    """Rows that name another reporter than the caller's agency (the file's
    own `reporter` too), and, for a ministry, indicators it does not own."""
    found = []
    if parsed.reporter and parsed.reporter.strip().upper() != agency:
        found.append(_error(0, "reporter", parsed.reporter, agency))
    if parsed.problems:
        return found
    table = parsed.rows_table()
    numbers = table.column("row_no").to_pylist()
    reporters = table.column("reporter").to_pylist()
    for row, reporter in zip(numbers, reporters, strict=True):
        if reporter and reporter.strip() and reporter.strip().upper() != agency:
            found.append(_error(row, "reporter", reporter, agency))
    owners = _owners()
    if agency in _ministries():
        codes = table.column("indicator_code").to_pylist()
        for row, code in zip(numbers, codes, strict=True):
            owner = owners.get(str(code or "").strip().upper())
            if owner is not None and owner != agency:
                found.append(
                    _error(
                        row,
                        "indicator_code",
                        code,
                        f"an indicator owned by {agency} (this one is {owner}'s)",
                    )
                )
    return found


def _reference(name: str) -> list[dict]:
    with open(settings.REFERENCE_DIR / name, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@lru_cache(maxsize=1)
def _catalog() -> dict[str, dict]:
    return {r["code"].strip().upper(): r for r in _reference("indicators.csv")}


def _owners() -> dict[str, str]:
    return {code: r["owner"].strip().upper() for code, r in _catalog().items()}


@lru_cache(maxsize=1)
def _ministries() -> frozenset[str]:
    return frozenset(r["code"].strip().upper() for r in _reference("agencies.csv"))


def regimes_of(indicators: frozenset[str]) -> set[str]:
    """The reporting regimes (indicators.csv `regime`) of these indicators."""
    catalog = _catalog()
    return {
        catalog[c]["regime"].strip()
        for c in indicators
        if c in catalog and catalog[c].get("regime", "").strip()
    }


def check_signature(
    content: bytes,
    signature: bytes | None,
    agency: str,
    indicators: frozenset[str],
) -> dict | None:
    """The signer (as JSON) of a good signature; None for an unsigned report
    whose regimes do not require one; Refused otherwise."""
    if signature is None or not signature.strip():
        required = sorted(r for r in regimes_of(indicators) if _requires(r))
        if required:
            raise Refused(
                422,
                "signature_required",
                "Chế độ báo cáo "
                + ", ".join(required)
                + " yêu cầu chữ ký số: gửi kèm chữ ký (tệp .p7s).",
                "the reporting regime "
                + ", ".join(required)
                + " requires a digital signature: send a detached .p7s",
            )
        return None
    try:
        signer = signatures.verify_detached(content, signature, agency)
    except signatures.SignatureError as exc:
        raise Refused(
            422,
            f"signature_{exc.code}",
            "Chữ ký số không hợp lệ: " + exc.message("vi"),
            "the digital signature is not valid: " + exc.message("en"),
        ) from None
    return signer.as_json()


def _requires(regime: str) -> bool:
    try:
        return signatures.regime_requires_signature(regime)
    except ValueError:  # a regime the catalog names but regimes.csv lacks
        log.warning("indicators.csv names an unknown regime %r", regime)
        return False
