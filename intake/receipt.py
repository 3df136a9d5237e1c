"""The receipt (biên nhận) of a received submission: what was received, when,
from whom, and what became of it. JSON for the API, plain text to download
(the /submit page and GET /api/v1/submissions/<id>/receipt?format=txt)."""

from __future__ import annotations

import time

from core.tz import VIETNAM_OFFSET_HOURS
from store.inbox import Received

TITLE = {"vi": "BIÊN NHẬN BÁO CÁO", "en": "SUBMISSION RECEIPT"}
STATES = {
    "queued": {"vi": "đã tiếp nhận, chờ nạp", "en": "received, waiting to load"},
    "loading": {"vi": "đang nạp", "en": "loading"},
    "published": {"vi": "đã công bố", "en": "published"},
    "rejected": {"vi": "bị từ chối", "en": "rejected"},
}
LABELS = {
    "id": {"vi": "Mã tiếp nhận", "en": "Submission id"},
    "agency": {"vi": "Đơn vị báo cáo", "en": "Reporting agency"},
    "file_name": {"vi": "Tệp", "en": "File"},
    "sha256": {"vi": "SHA-256", "en": "SHA-256"},
    "size": {"vi": "Dung lượng (byte)", "en": "Size (bytes)"},
    "rows": {"vi": "Số dòng số liệu", "en": "Rows"},
    "channel": {"vi": "Kênh", "en": "Channel"},
    "received_at": {"vi": "Thời điểm tiếp nhận", "en": "Received at"},
    "signer": {"vi": "Người ký", "en": "Signed by"},
    "state": {"vi": "Kết quả", "en": "Outcome"},
    "snapshot_id": {"vi": "Công bố trong bản dữ liệu", "en": "Published in snapshot"},
    "errors": {"vi": "Số lỗi", "en": "Errors"},
    "issued_at": {"vi": "Lập lúc", "en": "Issued at"},
}


def _vietnam(epoch: float) -> str:
    stamp = time.gmtime(epoch + VIETNAM_OFFSET_HOURS * 3600)
    return time.strftime("%Y-%m-%d %H:%M:%S", stamp) + " (GMT+7)"


def _utc(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def receipt(item: Received, now: float | None = None) -> dict:
    """The receipt as JSON: id, sha256, received time, rows and the outcome."""
    now = time.time() if now is None else now
    return {
        "receipt": dict(TITLE),
        "id": item.id,
        "agency": item.agency,
        "principal": item.principal,
        "channel": item.channel,
        "file_name": item.file_name,
        "sha256": item.sha256,
        "size": item.size,
        "rows": item.rows,
        "signer": item.signer,
        "received_at": _utc(item.received_at),
        "received_at_vietnam": _vietnam(item.received_at),
        "outcome": {
            "state": item.state,
            "snapshot_id": item.snapshot_id,
            "errors": len(item.errors),
            "updated_at": _utc(item.updated_at),
        },
        "issued_at": _utc(now),
    }


def receipt_text(item: Received, lang: str = "vi", now: float | None = None) -> str:
    """The receipt as plain text in `lang` (vi, en), to download or print."""
    lang = lang if lang in TITLE else "vi"
    now = time.time() if now is None else now
    signer = item.signer or {}
    signed = signer.get("subject") or ("—" if not signer else str(signer))
    lines = [
        ("id", item.id),
        ("agency", item.agency),
        ("file_name", item.file_name),
        ("sha256", item.sha256),
        ("size", str(item.size)),
        ("rows", "" if item.rows is None else str(item.rows)),
        ("channel", item.channel),
        ("received_at", _vietnam(item.received_at)),
        ("signer", signed),
        ("state", STATES.get(item.state, {}).get(lang, item.state)),
    ]
    if item.snapshot_id:
        lines.append(("snapshot_id", item.snapshot_id))
    if item.errors:
        lines.append(("errors", str(len(item.errors))))
    lines.append(("issued_at", _vietnam(now)))
    width = max(len(LABELS[k][lang]) for k, _ in lines)
    body = [f"{LABELS[k][lang]:<{width}}  {v}" for k, v in lines]
    return "\n".join([TITLE[lang], "=" * len(TITLE[lang]), *body, ""])
