"""The kinds of demo indicator profile.

Kinds of profile (dicts built by the helpers below):
  F  flow: national amount per year (a number for 2019 growing by `g`, or
     {year: amount}); spread over provinces by a weight basis, over months by a
     season with the Tết dip; `covid` is the exponent of the COVID-19 shock,
     `path` a named multiplier path (international / domestic tourism).
  S  stock: national level (number at 2019-12 growing by `g`, or anchors).
  R  rate: national path (number or anchors {year | 'YYYY-MM' | 'YYYY-Qn': v}),
     province spread `sd` (correlated with development by `dev`), noise.
  D  derived: base indicator x share path (same measure as the base).
  X  transform of other series (year-on-year, differences, plan, ...).
Codes starting with `_` are hidden helper series (never reported).
Figures are rounded public orders of magnitude, not official statistics.
"""

from __future__ import annotations


def F(lv, season="flat", w="pop", covid=0.0, sd=0.08, g=0.05, path=None, idio=0.25):
    return dict(
        kind="F",
        lv=lv,
        season=season,
        w=w,
        covid=covid,
        sd=sd,
        g=g,
        path=path,
        idio=idio,
    )


def S(lv, w="pop", g=0.03, sd=0.01, lin=False, start=None, idio=0.25):
    return dict(kind="S", lv=lv, w=w, g=g, sd=sd, lin=lin, start=start, idio=idio)


def R(
    path,
    sd=1.0,
    noise=0.2,
    dev=0.0,
    mode="add",
    lo=None,
    hi=None,
    reg=None,
    season=None,
    tet=0.0,
    post=0.0,
    shock=None,
    w="pop",
    start=None,
    nat=None,
):
    return dict(
        kind="R",
        path=path,
        sd=sd,
        noise=noise,
        dev=dev,
        mode=mode,
        lo=lo,
        hi=hi,
        reg=reg,
        season=season,
        tet=tet,
        post=post,
        shock=shock,
        w=w,
        start=start,
        nat=nat,
    )


def D(base, share, sd=0.05, lo=0.0, hi=1.0, noise=0.01):
    return dict(kind="D", base=base, share=share, sd=sd, lo=lo, hi=hi, noise=noise)


def X(op, *args, **kw):
    return dict(kind="X", op=op, args=args, **kw)


def yrs(*values, start=2019):
    """{2019: v0, 2020: v1, ...}"""
    return {start + i: v for i, v in enumerate(values)}
