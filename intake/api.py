"""The push API of the reporters' systems: /api/v1/submissions.

  POST /api/v1/submissions               a report: JSON {"reporter"?, "rows": [...],
                                         "signature"?: base64} or multipart `file`
                                         (+ `signature`, a .p7s); Idempotency-Key
                                         header. 202 queued; 200 for a retry
  GET  /api/v1/submissions?since=        the caller's agency's, newest first
  GET  /api/v1/submissions/<id>          one of them: state, snapshot_id, errors
  GET  /api/v1/submissions/<id>/receipt  its receipt (?format=txt: to download)

Signed in like every /api/v1 route (auth.gate: `Authorization: Bearer`, or
a session cookie); a session's POST also needs its CSRF token (header
X-CSRF-Token or form field csrf_token): a bearer token is never sent by a
browser on its own, a cookie is. Only callers with `submit` and a reporting
agency (role reporter); another agency's submission is not found (404), so
ids cannot be probed. POSTs are limited per principal and minute
(settings.submit_rate_per_minute; 429 with Retry-After), counted in the
flask-caching cache: shared through Redis with CC_REDIS_URL, else per process.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import logging
import threading
import time
from datetime import datetime, timedelta, timezone

from flask import Blueprint, Response, current_app, g, jsonify, request, session
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

import settings
from auth import audit
from core.context import current_scope
from core.roles import SUBMIT
from core.tz import VIETNAM_OFFSET_HOURS
from data.cache import cache
from intake.receipt import receipt, receipt_text
from intake.receive import Refused, check_key, receive_submission
from store.inbox import Inbox, Received

log = logging.getLogger(__name__)
intake_api = Blueprint("intake_api", __name__, url_prefix="/api/v1/submissions")

JSON_FIELDS = {"reporter", "rows", "signature"}
FORM_FIELDS = {"file", "signature", "csrf_token"}
PARAMETERS = {
    "submit": set(),
    "submissions": {"since", "limit"},
    "submission": set(),
    "submission_receipt": {"format", "lang"},
}
MAX_SIGNATURE_BYTES = 256 * 1024
OVERHEAD_BYTES = 1024 * 1024  # a signature, multipart boundaries, JSON framing
MAX_ID_LENGTH = 64
VIETNAM = timezone(timedelta(hours=VIETNAM_OFFSET_HOURS))


def _lang() -> str:
    best = request.accept_languages.best_match(["en", "vi"])
    return "vi" if best == "vi" else "en"


def _answer(refused: Refused):
    response = jsonify(refused.as_json(_lang()))
    response.status_code = refused.status
    return response


def _bad(status: int, code: str, vi: str, en: str) -> Refused:
    return Refused(status, code, vi, en)


@intake_api.errorhandler(Refused)
def _refused(exc: Refused):
    if request.method == "POST" and not getattr(exc, "audited", False):
        scope = current_scope()
        audit.record(
            audit.SUBMIT,
            target=request.path,
            outcome="refused" if exc.status in (401, 403) else "invalid",
            detail={
                "status": exc.status,
                "code": exc.code,
                "reason": exc.message("en"),
            },
            actor=scope.principal,
            role=scope.role,
            ip=request.remote_addr,
        )
    elif exc.status == 403:
        audit.record(
            audit.DENIED,
            target=request.path,
            outcome="refused",
            detail={"reason": exc.message("en")},
        )
    return _answer(exc)


@intake_api.errorhandler(RequestEntityTooLarge)
def _too_large(_exc: RequestEntityTooLarge):
    limit = settings.max_submission_bytes()
    return _refused(
        _bad(
            413,
            "too_large",
            f"Yêu cầu quá lớn: tệp tối đa {limit:,} byte.".replace(",", "."),
            f"the request is too large: a file of at most {limit:,} bytes",
        )
    )


@intake_api.errorhandler(HTTPException)
def _http_error(exc: HTTPException):
    return _answer(
        _bad(
            exc.code or 400,
            "bad_request",
            "Yêu cầu không hợp lệ.",
            exc.description or "bad request",
        )
    )


@intake_api.before_request
def _check_request():
    """Who (submit + an agency), the query parameters, CSRF for a session's
    POST, the rate limit, and how much of a body may be read."""
    request.max_content_length = settings.max_submission_bytes() + OVERHEAD_BYTES
    scope = current_scope()
    if not scope.can(SUBMIT) or not scope.agency:
        raise _bad(
            403,
            "not_permitted",
            "Chỉ đơn vị báo cáo được nộp và xem báo cáo của mình.",
            f"role {scope.role} may not submit or read submissions "
            "(a reporter of one agency may)",
        )
    endpoint = (request.endpoint or "").rpartition(".")[2]
    allowed = PARAMETERS.get(endpoint, set())
    for name in request.args:
        values = request.args.getlist(name)
        if name not in allowed or len(values) > 1 or len(values[0]) > 64:
            known = ", ".join(sorted(allowed)) or "none"
            raise _bad(
                400,
                "bad_parameter",
                f"Tham số không hợp lệ: {name}.",
                f"unknown, repeated or over-long parameter {name!r} "
                f"(this endpoint takes: {known})",
            )
    if request.method == "POST":
        if g.get("cc_auth") == "session" and not _csrf_ok():
            raise _bad(
                403,
                "csrf",
                "Thiếu mã chống giả mạo (CSRF): tải lại trang và thử lại.",
                "a session's POST needs its CSRF token (X-CSRF-Token header)",
            )
        retry_after = _rate_limited(scope.principal)
        if retry_after is not None:
            refused = _bad(
                429,
                "rate_limited",
                "Gửi quá nhiều báo cáo trong một phút: thử lại sau "
                f"{retry_after} giây.",
                f"too many submissions in a minute: retry in {retry_after} s",
            )
            response = _refused(refused)
            response.headers["Retry-After"] = str(retry_after)
            return response
    return None


def _csrf_ok() -> bool:
    sent = request.headers.get("X-CSRF-Token") or ""
    if not sent and request.mimetype == "multipart/form-data":
        sent = request.form.get("csrf_token", "")
    expected = session.get("csrf", "")
    return bool(sent and expected) and hmac.compare_digest(sent, expected)


# -- the rate limit: a counter per principal and minute in the shared cache --

_local: dict[str, int] = {}
_local_lock = threading.Lock()


def _now() -> float:
    return time.time()


def _rate_limited(principal: str) -> int | None:
    """Seconds to wait when `principal` is over its submissions this minute,
    else None (and this request is counted)."""
    limit = settings.submit_rate_per_minute()
    if limit <= 0:
        return None
    now = _now()
    window = int(now // 60)
    who = hashlib.sha1(principal.encode()).hexdigest()[:16]
    key = f"rl:submit:{who}:{window}"
    count = None
    if cache in current_app.extensions.get("cache", {}):
        try:
            backend = cache.cache
            backend.add(key, 0, timeout=120)
            count = backend.inc(key)
        except Exception:  # a cache that is down counts in the process instead
            log.exception("rate limit: the cache did not answer")
    if count is None:
        with _local_lock:
            for old in [k for k in _local if not k.endswith(f":{window}")]:
                del _local[old]
            _local[key] = count = _local.get(key, 0) + 1
    if count > limit:
        return max(1, 60 - int(now % 60))
    return None


# -- POST: a report --


def _body() -> tuple[bytes, str, bytes | None]:
    """(content, file name, signature) of the request."""
    mimetype = request.mimetype
    if mimetype == "application/json":
        return _json_body()
    if mimetype == "multipart/form-data":
        return _multipart_body()
    raise _bad(
        415,
        "unsupported_media_type",
        "Kiểu nội dung không được nhận: application/json hoặc multipart/form-data.",
        f"unsupported Content-Type {mimetype or '(none)'!r}: send application/json "
        "or multipart/form-data (a `file` field)",
    )


def canonical_json(document: dict) -> bytes:
    """The stored (and signed) bytes of a JSON body: its fields but the
    signature, sorted keys, no spaces, UTF-8 (no \\u escapes)."""
    return json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")


def _json_body() -> tuple[bytes, str, bytes | None]:
    raw = request.get_data(cache=False)
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise _bad(
            400,
            "bad_json",
            "Nội dung JSON không đọc được.",
            f"the body is not valid UTF-8 JSON ({str(exc)[:200]})",
        ) from None
    if not isinstance(document, dict) or not isinstance(document.get("rows"), list):
        raise _bad(
            400,
            "bad_json",
            'JSON phải là một đối tượng {"reporter"?, "rows": [...]}.',
            'the body must be an object {"reporter"?: "...", "rows": [...]}',
        )
    unknown = sorted(set(document) - JSON_FIELDS)
    if unknown:
        raise _bad(
            400,
            "bad_json",
            "Trường không được nhận: " + ", ".join(unknown) + ".",
            "unknown field(s) " + ", ".join(unknown) + " (reporter, rows, signature)",
        )
    if "reporter" in document and not isinstance(document["reporter"], str):
        raise _bad(
            400, "bad_json", "reporter phải là chuỗi.", "reporter must be a string"
        )
    signature = None
    if "signature" in document:
        text = document.pop("signature")
        try:
            if not isinstance(text, str):
                raise ValueError
            signature = base64.b64decode(text, validate=True)
        except (ValueError, binascii.Error):
            raise _bad(
                400,
                "bad_signature_encoding",
                "signature phải là chữ ký CMS mã hoá base64.",
                "signature must be a base64 detached CMS signature",
            ) from None
    return canonical_json(document), "submission.json", signature


def _read_limited(storage, limit: int, what: str) -> bytes:
    data = storage.stream.read(limit + 1)
    if len(data) > limit:
        raise _bad(
            413,
            "too_large",
            f"{what} quá lớn: tối đa {limit:,} byte.".replace(",", "."),
            f"the {what} is too large: at most {limit:,} bytes",
        )
    return data


def _multipart_body() -> tuple[bytes, str, bytes | None]:
    unknown = sorted((set(request.files) | set(request.form)) - FORM_FIELDS)
    if unknown:
        raise _bad(
            400,
            "bad_form",
            "Trường không được nhận: " + ", ".join(unknown) + ".",
            "unknown form field(s) " + ", ".join(unknown) + " (file, signature)",
        )
    files = request.files.getlist("file")
    if len(files) != 1 or "file" in request.form:
        raise _bad(
            400,
            "bad_form",
            "Gửi đúng một tệp trong trường file.",
            "send exactly one file in the form field `file`",
        )
    upload = files[0]
    content = _read_limited(upload, settings.max_submission_bytes(), "file")
    signature = None
    signed = request.files.getlist("signature")
    if len(signed) > 1 or "signature" in request.form:
        raise _bad(
            400,
            "bad_form",
            "signature là một tệp .p7s.",
            "`signature` is one file (a detached .p7s)",
        )
    if signed:
        signature = _read_limited(signed[0], MAX_SIGNATURE_BYTES, "signature")
    return content, upload.filename or "", signature


def _with_links(item: Received) -> dict:
    base = f"{intake_api.url_prefix}/{item.id}"
    return {**item.as_json(), "links": {"self": base, "receipt": f"{base}/receipt"}}


@intake_api.post("")
def submit():
    key = request.headers.get("Idempotency-Key")
    if key is not None:
        check_key(key)
    content, file_name, signature = _body()
    try:
        item, created = receive_submission(
            content,
            file_name,
            current_scope(),
            "api",
            idempotency_key=key,
            signature=signature,
        )
    except Refused as exc:
        exc.audited = True
        raise
    response = jsonify(_with_links(item))
    response.status_code = 202 if created else 200
    response.headers["Location"] = f"{intake_api.url_prefix}/{item.id}"
    if not created:
        response.headers["Idempotent-Replayed"] = "true"
    return response


# -- GET: the caller's own --


def _own(sid: str) -> Received:
    """The caller's agency's submission `sid`; any other is not found."""
    item = Inbox().get(sid) if len(sid) <= MAX_ID_LENGTH else None
    if item is None or item.agency != current_scope().agency:
        raise _bad(
            404,
            "not_found",
            "Không có báo cáo này.",
            f"no submission {sid[:MAX_ID_LENGTH]!r} of your agency",
        )
    return item


def parse_since(value: str) -> float:
    """Epoch seconds of `since`: a date (00:00 of that day) or an ISO time;
    without a zone, Vietnam time (GMT+7)."""
    text = value.strip()
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise _bad(
            400,
            "bad_since",
            "since phải là ngày (2026-10-15) hoặc thời điểm ISO.",
            "since must be a date (2026-10-15) or an ISO time "
            "(2026-10-15T08:00:00Z, 2026-10-15T15:00:00+07:00)",
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=VIETNAM)
    return moment.timestamp()


@intake_api.get("")
def submissions():
    since = request.args.get("since")
    limit_text = request.args.get("limit", "200")
    if not limit_text.isdigit() or not 1 <= int(limit_text) <= 1000:
        raise _bad(
            400,
            "bad_limit",
            "limit là số từ 1 đến 1000.",
            "limit must be a whole number from 1 to 1000",
        )
    items = Inbox().list(
        current_scope().agency,
        parse_since(since) if since else None,
        int(limit_text),
    )
    return jsonify(
        {
            "agency": current_scope().agency,
            "count": len(items),
            "submissions": [_with_links(i) for i in items],
        }
    )


@intake_api.get("/<sid>")
def submission(sid: str):
    return jsonify(_with_links(_own(sid)))


@intake_api.get("/<sid>/receipt")
def submission_receipt(sid: str):
    item = _own(sid)
    fmt = request.args.get("format", "json")
    lang = request.args.get("lang", "vi")
    if fmt not in ("json", "txt") or lang not in ("vi", "en"):
        raise _bad(
            400,
            "bad_parameter",
            "format là json hoặc txt; lang là vi hoặc en.",
            "format is json or txt; lang is vi or en",
        )
    if fmt == "json":
        return jsonify(receipt(item))
    return Response(
        receipt_text(item, lang),
        mimetype="text/plain",
        headers={
            "Content-Disposition": f'attachment; filename="bien-nhan-{item.id}.txt"'
        },
    )
