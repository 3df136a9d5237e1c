"""The roles of the command center and what each may do.

A capability names a kind of access the data layer and the routes check:
  reference  the catalog, units, periods (every signed-in role)
  values     indicator figures (pages, API, downloads), within the scope
  status     the data-status page: reports owed and received, rejected files
  audit      the audit log (/admin/audit and its export)
  present    drive the wall and the presenter view
  submit     submit reports for the own agency; read the own submissions
             (/submit, /api/v1/submissions)
  links      the links register (/links): reporters' systems, their tokens and
             exchanges (operators and administrators, not every `status` role)
"""

from __future__ import annotations

from dataclasses import dataclass

REFERENCE, VALUES, STATUS, AUDIT, PRESENT, SUBMIT, LINKS = (
    "reference",
    "values",
    "status",
    "audit",
    "present",
    "submit",
    "links",
)


@dataclass(frozen=True)
class Role:
    code: str
    vi: str
    en: str
    capabilities: frozenset[str]
    # "province", "ministry" or "agency" (one reporting agency): the scope it
    # must be given
    needs: str | None = None
    home: str = "/"  # where a sign-in lands ({province}: the scope's own)


def _role(code, vi, en, caps, needs=None, home="/") -> Role:
    return Role(code, vi, en, frozenset({REFERENCE, *caps}), needs, home)


ROLES: dict[str, Role] = {
    r.code: r
    for r in (
        _role(
            "national_leader", "Lãnh đạo", "National leader", (VALUES, STATUS, PRESENT)
        ),
        _role("viewer", "Người xem", "Viewer", (VALUES, STATUS)),
        _role(
            "ministry_analyst",
            "Chuyên viên bộ, ngành",
            "Ministry analyst",
            (VALUES, STATUS),
            needs="ministry",
        ),
        _role(
            "province_analyst",
            "Chuyên viên tỉnh",
            "Province analyst",
            (VALUES, STATUS),
            needs="province",
            home="/province/{province}",
        ),
        _role("presenter", "Người trình chiếu", "Presenter", (VALUES, PRESENT)),
        _role(
            "data_operator",
            "Cán bộ dữ liệu",
            "Data operator",
            (STATUS, LINKS),
            home="/data-status",
        ),
        _role(
            "administrator",
            "Quản trị hệ thống",
            "Administrator",
            (STATUS, AUDIT, LINKS),
            home="/admin/audit",
        ),
        _role(
            "reporter",
            "Đơn vị báo cáo",
            "Reporter",
            (SUBMIT,),
            needs="agency",
            home="/submit",
        ),
    )
}


def home_path(role_code: str | None, province: str | None = None) -> str:
    """Where a caller lands (after signing in, or from "not permitted"): the
    role's home page; a province analyst's is the own province's page."""
    home = ROLES[role_code].home if role_code in ROLES else "/"
    if "{province}" in home:
        return home.format(province=province) if province else "/"
    return home


def role(code: str) -> Role:
    try:
        return ROLES[code]
    except KeyError:
        raise ValueError(f"unknown role {code!r}; one of: {', '.join(ROLES)}") from None


# The navbar's pages: (path, label key, icon, the capability its page asks of
# the caller). A caller is offered only the pages that would not answer "not
# permitted".
MENU = (
    ("/", "nav.overview", "bi-speedometer2", VALUES),
    ("/provinces", "nav.provinces", "bi-map", VALUES),
    ("/sectors", "nav.sectors", "bi-diagram-3", VALUES),
    ("/data-status", "nav.data_status", "bi-clipboard-check", STATUS),
    ("/links", "nav.links", "bi-plug", LINKS),
    ("/present", "nav.present", "bi-easel", PRESENT),
    ("/admin/audit", "nav.audit", "bi-journal-text", AUDIT),
    ("/submit", "nav.submit", "bi-cloud-upload", SUBMIT),
)


def menu(capabilities: frozenset[str] | None) -> tuple[tuple[str, str, str], ...]:
    """The navbar items (path, label key, icon) of a caller with `capabilities`
    (None: every page)."""
    return tuple(
        (path, key, icon)
        for path, key, icon, needs in MENU
        if capabilities is None or needs in capabilities
    )
