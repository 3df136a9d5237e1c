"""Demo accounts: one per role, and a wall token, for trying the app out.

Made by `python -m auth demo-accounts` (run by `make run` on first start).
Passwords are random unless one is given; they and the wall's URL are printed
once and kept in <auth dir>/demo-accounts.txt (0600) for later.
"""

from __future__ import annotations

from pathlib import Path

import settings
from auth import audit
from auth.db import create_private
from auth.passwords import generate_password
from auth.store import add_user, create_token, list_tokens, list_users

# name, role, province, agencies, display name
DEMO_USERS = (
    ("leader", "national_leader", None, (), "Lãnh đạo (demo)"),
    ("viewer", "viewer", None, (), "Người xem (demo)"),
    ("ministry-btc", "ministry_analyst", None, ("BTC",), "Bộ Tài chính (demo)"),
    ("province-22", "province_analyst", "22", (), "Quảng Ninh (demo)"),
    ("presenter", "presenter", None, (), "Trình chiếu (demo)"),
    ("operator", "data_operator", None, (), "Cán bộ dữ liệu (demo)"),
    ("admin", "administrator", None, (), "Quản trị (demo)"),
    # hands in Quảng Ninh's reports at /submit (its reporting agency: UBND-22)
    ("reporter-22", "reporter", None, ("UBND-22",), "UBND tỉnh Quảng Ninh (demo)"),
)
DEMO_TOKEN = "wall-demo"
NOTES_FILE = "demo-accounts.txt"


def make_demo_accounts(
    root: Path | None = None,
    password: str | None = None,
    base_url: str = "http://127.0.0.1:8050",
    actor: str = "cli",
) -> list[str]:
    """Create the demo accounts that do not exist yet; the lines to print."""
    existing = {u["name"] for u in list_users(root)}
    lines = []
    for name, role, province, agencies, display in DEMO_USERS:
        if name in existing:
            lines.append(f"{name:<14} {role:<17} (exists; password unchanged)")
            continue
        secret = password or generate_password()
        add_user(
            name,
            role,
            secret,
            province=province,
            agencies=agencies,
            display_name=display,
            root=root,
        )
        audit.append(
            audit.ADMIN,
            actor,
            target=f"user:{name}",
            detail={"op": "add", "role": role, "demo": True},
            root=root,
        )
        lines.append(f"{name:<14} {role:<17} password: {secret}")
    if not any(
        t["name"] == DEMO_TOKEN and not t["revoked_at"] for t in list_tokens(root)
    ):
        token, _ = create_token(DEMO_TOKEN, "viewer", created_by=actor, root=root)
        audit.append(
            audit.ADMIN,
            actor,
            target=f"token:{DEMO_TOKEN}",
            detail={"op": "create", "role": "viewer", "demo": True},
            root=root,
        )
        lines.append(f"wall (device token, viewer): {base_url}/wall?token={token}")
        lines.append(
            f"API: curl -H 'Authorization: Bearer {token}' {base_url}/api/v1/catalog"
        )
    notes = settings.auth_dir(root) / NOTES_FILE
    create_private(notes)
    with notes.open("a", encoding="utf-8") as f:
        f.write("\n".join(line for line in lines if "exists" not in line) + "\n")
    return lines
