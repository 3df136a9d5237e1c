"""python -m auth: accounts, device/API tokens, demo accounts, the audit log,
the registry of the reporters' signing certificates.

Every change is recorded in the audit log as cli:<your login name>.
"""

from __future__ import annotations

import getpass
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

import settings
from auth import audit, certs, store
from auth.demo import make_demo_accounts
from auth.lockout import unlock
from auth.passwords import check_password_strength, generate_password
from core.roles import ROLES

app = typer.Typer(
    help="Accounts, tokens and audit log of the command center.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
users = typer.Typer(help="User accounts.", no_args_is_help=True)
tokens = typer.Typer(
    help="Device and API tokens (walls, other systems).", no_args_is_help=True
)
log_app = typer.Typer(help="The audit log.", no_args_is_help=True)
certs_app = typer.Typer(
    help="Signing certificates registered to reporting agencies.",
    no_args_is_help=True,
)
app.add_typer(users, name="users")
app.add_typer(tokens, name="tokens")
app.add_typer(log_app, name="audit")
app.add_typer(certs_app, name="certs")

DataDir = Annotated[
    Path | None,
    typer.Option(
        help="Warehouse directory holding auth.sqlite [default: env CC_AUTH_DIR, "
        "else CC_DATA_DIR, else data/]"
    ),
]
RoleOpt = Annotated[str, typer.Option(help="One of: " + ", ".join(ROLES))]
Province = Annotated[
    str | None,
    typer.Option(help="province_analyst: a province of the 34 (2-digit code, e.g. 22)"),
]
Agency = Annotated[
    list[str] | None,
    typer.Option(
        "--agency",
        help="ministry_analyst: owner agency code (e.g. BTC), repeatable; "
        "reporter: its one reporting agency (UBND-22, a commune's UBND-<code>, BTC)",
    ),
]
Sector = Annotated[
    list[str] | None,
    typer.Option(
        "--sector", help="ministry_analyst: sector code (e.g. budget); repeatable"
    ),
]
Generate = Annotated[bool, typer.Option(help="Generate a password and print it")]
FromStdin = Annotated[bool, typer.Option(help="Read the password from stdin")]


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # no login name in some containers
        return "cli:unknown"


def _fail(message: str, code: int = 2):
    print(f"error: {message}", file=sys.stderr)
    raise typer.Exit(code)


def _password(generate: bool, from_stdin: bool) -> tuple[str, bool]:
    if generate:
        return generate_password(), True
    if from_stdin:
        return sys.stdin.readline().rstrip("\n"), False
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Again: "):
        _fail("the passwords differ")
    return first, False


def _log(target: str, detail: dict, root: Path | None) -> None:
    audit.append(audit.ADMIN, _actor(), target=target, detail=detail, root=root)


def _scope_text(row: dict) -> str:
    """A listed account's or token's scope: province, agencies/sectors, or a
    reporter's reporting agency."""
    return row["province"] or ",".join(
        filter(None, [row["agencies"], row["sectors"], row.get("agency")])
    )


def _when(epoch: float | None) -> str:
    if not epoch:
        return ""
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d %H:%M")


@users.command("add")
def users_add(
    name: str,
    role: RoleOpt,
    province: Province = None,
    agency: Agency = None,
    sector: Sector = None,
    display_name: str = "",
    generate: Generate = False,
    password_stdin: FromStdin = False,
    data_dir: DataDir = None,
) -> None:
    """Add a user with a role (and its province or agencies/sectors)."""
    password, show = _password(generate, password_stdin)
    try:
        user = store.add_user(
            name,
            role,
            password,
            province,
            tuple(agency or ()),
            tuple(sector or ()),
            display_name,
            root=data_dir,
        )
    except ValueError as exc:
        _fail(str(exc))
    _log(f"user:{user.name}", {"op": "add", "scope": user.scope().describe()}, data_dir)
    print(f"added {user.name} ({user.scope().describe()})")
    if show:
        print(f"password: {password}")


def _set_disabled(name: str, disabled: bool, data_dir: Path | None) -> None:
    try:
        store.set_disabled(name, disabled, root=data_dir)
    except ValueError as exc:
        _fail(str(exc))
    _log(f"user:{name}", {"op": "disable" if disabled else "enable"}, data_dir)
    print(f"{'disabled' if disabled else 'enabled'} {name}")


@users.command("disable")
def users_disable(name: str, data_dir: DataDir = None) -> None:
    """Disable an account; its sessions end at once."""
    _set_disabled(name, True, data_dir)


@users.command("enable")
def users_enable(name: str, data_dir: DataDir = None) -> None:
    """Enable a disabled account."""
    _set_disabled(name, False, data_dir)


@users.command("reset-password")
def users_reset(
    name: str,
    generate: Generate = False,
    password_stdin: FromStdin = False,
    data_dir: DataDir = None,
) -> None:
    """Set a new password; the account's sessions end and its lock-out is lifted."""
    password, show = _password(generate, password_stdin)
    try:
        check_password_strength(password)
        store.reset_password(name, password, root=data_dir)
    except ValueError as exc:
        _fail(str(exc))
    _log(f"user:{name}", {"op": "reset-password"}, data_dir)
    print(f"password reset for {name}" + (f": {password}" if show else ""))


@users.command("unlock")
def users_unlock(name: str, data_dir: DataDir = None) -> None:
    """Lift the lock-out of an account name after failed sign-ins."""
    unlock(name, root=data_dir)
    _log(f"user:{name}", {"op": "unlock"}, data_dir)
    print(f"unlocked {name}")


@users.command("list")
def users_list(
    as_json: Annotated[bool, typer.Option("--json")] = False, data_dir: DataDir = None
) -> None:
    """List the accounts (never their passwords)."""
    rows = store.list_users(root=data_dir)
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    for r in rows:
        scope = _scope_text(r)
        state = "disabled" if r["disabled"] else "active"
        print(f"{r['name']:<20} {r['role']:<17} {scope or '-':<12} {state}")


@tokens.command("create")
def tokens_create(
    name: Annotated[str, typer.Option(help="e.g. wall-1")],
    role: RoleOpt,
    province: Province = None,
    agency: Agency = None,
    sector: Sector = None,
    days: Annotated[
        float | None, typer.Option(help="Expires after this many days [default: never]")
    ] = None,
    data_dir: DataDir = None,
) -> None:
    """Create a token; it is printed once (only its hash is kept)."""
    try:
        token, ident = store.create_token(
            name,
            role,
            _actor(),
            province,
            tuple(agency or ()),
            tuple(sector or ()),
            days,
            root=data_dir,
        )
    except ValueError as exc:
        _fail(str(exc))
    _log(
        f"token:{ident.name}",
        {"op": "create", "id": ident.id, "scope": ident.scope().describe()},
        data_dir,
    )
    print(f"token {ident.id} {ident.name} ({ident.scope().describe()}):")
    print(token)
    print(
        "wall: open https://<host>/?token=<token> once (or /wall?token=...); "
        "API: Authorization: Bearer <token>",
        file=sys.stderr,
    )


@tokens.command("list")
def tokens_list(data_dir: DataDir = None) -> None:
    """List tokens (never the tokens themselves)."""
    for t in store.list_tokens(root=data_dir):
        state = f"revoked {_when(t['revoked_at'])}" if t["revoked_at"] else "live"
        scope = _scope_text(t)
        print(
            f"{t['id']:>4} {t['name']:<16} {t['role']:<17} {scope or '-':<10} "
            f"{state:<24} last used {_when(t['last_used_at']) or 'never'}"
        )


@tokens.command("revoke")
def tokens_revoke(id_or_name: str, data_dir: DataDir = None) -> None:
    """Revoke a token (by id, or every live one of a name); it stops at once."""
    n = store.revoke_token(id_or_name, root=data_dir)
    if not n:
        _fail(f"no live token {id_or_name}", 1)
    _log(f"token:{id_or_name}", {"op": "revoke", "count": n}, data_dir)
    print(f"revoked {n} token(s)")


@certs_app.command("add")
def certs_add(
    file: Annotated[Path, typer.Argument(help="The signer's certificate (PEM or DER)")],
    agency: Annotated[
        str,
        typer.Option(help="The reporting agency it signs for (UBND-22, BTC, ...)"),
    ],
    data_dir: DataDir = None,
) -> None:
    """Register a signer's certificate to a reporting agency."""
    try:
        data = file.read_bytes()
    except OSError as exc:
        _fail(f"cannot read {file}: {exc.strerror or exc}")
    try:
        row = certs.add(data, agency, _actor(), root=data_dir)
    except ValueError as exc:
        _fail(str(exc))
    _log(
        f"cert:{row['fingerprint']}",
        {
            "op": "add",
            "agency": row["agency"],
            "subject": row["subject"],
            "serial": row["serial"],
            "issuer": row["issuer"],
        },
        data_dir,
    )
    print(f"registered {row['subject']} (serial {row['serial']}) to {row['agency']}")
    print(f"sha256 {row['fingerprint']}, valid until {row['not_after']}")


@certs_app.command("list")
def certs_list(
    agency: Annotated[str | None, typer.Option(help="Only this agency's")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    data_dir: DataDir = None,
) -> None:
    """List the registered certificates (revoked ones too)."""
    rows = certs.list_certs(agency, root=data_dir)
    if as_json:
        print(json.dumps([{k: v for k, v in r.items() if k != "pem"} for r in rows]))
        return
    for r in rows:
        state = f"revoked {_when(r['revoked_at'])}" if r["revoked_at"] else "live"
        print(
            f"{r['agency']:<12} {r['serial']:<20} {r['not_after'][:10]} "
            f"{state:<24} {r['fingerprint'][:16]} {r['subject']}"
        )


@certs_app.command("revoke")
def certs_revoke(
    serial_or_fingerprint: Annotated[
        str, typer.Argument(help="Serial (hex) or SHA-256 fingerprint")
    ],
    data_dir: DataDir = None,
) -> None:
    """Revoke a certificate: signatures made with it are refused from now on."""
    try:
        rows = certs.revoke(serial_or_fingerprint, _actor(), root=data_dir)
    except ValueError as exc:
        _fail(str(exc))
    if not rows:
        _fail(f"no live certificate {serial_or_fingerprint}", 1)
    for r in rows:
        _log(
            f"cert:{r['fingerprint']}",
            {"op": "revoke", "agency": r["agency"], "serial": r["serial"]},
            data_dir,
        )
        print(f"revoked {r['subject']} (serial {r['serial']}) of {r['agency']}")


@app.command("demo-accounts")
def demo_accounts(
    password: Annotated[
        str | None,
        typer.Option(help="One password for every demo account [default: random]"),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(help="Where the app answers [default: http://HOST:PORT]"),
    ] = None,
    data_dir: DataDir = None,
) -> None:
    """Create one demo account per role and a wall token; print how to sign in."""
    base_url = base_url or settings.local_url()
    for line in make_demo_accounts(data_dir, password, base_url, _actor()):
        print(line)
    print(f"Sign in at {base_url}/login (kept in demo-accounts.txt beside auth.sqlite)")


@log_app.command("list")
def audit_list(
    actor: str | None = None,
    action: str | None = None,
    since: Annotated[str | None, typer.Option("--from")] = None,
    until: Annotated[str | None, typer.Option("--to")] = None,
    limit: int = 50,
    data_dir: DataDir = None,
) -> None:
    """The latest events, newest first."""
    try:
        events = audit.read_events(actor, action, since, until, limit, root=data_dir)
    except ValueError as exc:
        _fail(str(exc))
    for e in events:
        print(
            f"{e['at']} {e['actor']:<22} {e['action']:<13} {e['outcome']:<8} "
            f"{e['target']} {e['detail'] if e['detail'] != '{}' else ''}"
        )


@log_app.command("export")
def audit_export(output: Path, data_dir: DataDir = None) -> None:
    """Write the whole log as CSV."""
    output.write_text(
        audit.to_csv(audit.read_events(limit=None, root=data_dir)), encoding="utf-8"
    )
    audit.append(audit.EXPORT, _actor(), target=str(output), root=data_dir)
    print(f"wrote {output}")


@log_app.command("verify")
def audit_verify(data_dir: DataDir = None) -> None:
    """Check the hash chain: exit 1 when an event was changed or removed."""
    n, broken = audit.verify(root=data_dir)
    if broken is not None:
        _fail(f"the chain breaks at event {broken} (of {n} read)", 1)
    print(f"{n} events, chain intact")


if __name__ == "__main__":
    app()
