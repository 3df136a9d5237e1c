"""Several plans per figure (issue 12): "59,4 % KH tỉnh · 90,1 % KH Thủ tướng giao".

A target has a basis: the National Assembly's plan (QH), the Prime Minister's /
the Government's (TTg), the province's People's Council's (HDND) or a
ministry's own (BO). Status is measured against the catalog's primary plan; the
others are shown beside it, the unit's own plans first.
"""

from __future__ import annotations

from components.fmt import fmt_pct
from core.i18n import register, t

register(
    {
        "plan.QH": {"vi": "KH Quốc hội", "en": "National Assembly plan"},
        "plan.TTg": {"vi": "KH Thủ tướng giao", "en": "Prime Minister's plan"},
        "plan.HDND": {"vi": "KH tỉnh", "en": "provincial plan"},
        "plan.BO": {"vi": "KH bộ, ngành", "en": "ministry plan"},
        "plan.title": {"vi": "So với từng kế hoạch", "en": "Against each plan"},
    }
)

BASES = ("HDND", "BO", "TTg", "QH")  # the order they are shown in


def primary_basis(catalog_basis: str | None, unit_code: str) -> str:
    """The plan status is measured against: the catalog's; HDND (the unit's
    elected council) is, for the nation, the National Assembly (QH)."""
    basis = catalog_basis or ""
    return "QH" if basis == "HDND" and unit_code == "00" else basis


def attach_plans(rows: list[dict], others: list[dict], unit_code: str) -> list[dict]:
    """Each progress row with `plans`: [(basis, pct_of_target)] of every plan it
    is held to, when there is more than the primary one (`others`: m_plans rows
    of the unit, indicator_code, period, basis, pct_of_target)."""
    by_figure: dict[tuple, list[tuple[str, float]]] = {}
    for other in others:
        key = (other["indicator_code"], other["period"])
        by_figure.setdefault(key, []).append((other["basis"], other["pct_of_target"]))
    out = []
    for row in rows:
        extra = by_figure.get((row.get("indicator_code"), row.get("period")))
        if extra and row.get("pct_of_target") is not None:
            primary = primary_basis(row.get("target_basis"), unit_code)
            plans = [(primary, row["pct_of_target"]), *extra]
            plans.sort(key=lambda p: BASES.index(p[0]) if p[0] in BASES else 9)
            row = {**row, "plans": plans}
        out.append(row)
    return out


def plans_text(plans: list[tuple[str, float]] | None, lang: str) -> str:
    """ "59,4 % KH tỉnh · 90,1 % KH Thủ tướng giao" ('' for one plan)."""
    if not plans or len(plans) < 2:
        return ""
    return " · ".join(
        f"{fmt_pct(pct, lang)} {t('plan.' + basis, lang)}" for basis, pct in plans
    )
