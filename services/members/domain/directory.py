"""The directory: verified organisations found by words in any language, in name order.

Rows come in (sort_key, id) order from the (status, sort_key, id) index, so a page costs the
same at the first organisation and the 100,000th; each query term is looked up in the
(term, organisation_id) index, rare terms first. Core selects of the shown columns only.
"""

from __future__ import annotations

from sqlalchemy import and_, func, select

from shared.i18n import pick
from shared.pagination import keyset, page

from ..models import Organisation, OrganisationTerm
from . import search_terms

SUMMARY_LENGTH = 200
_ORGS = Organisation.__table__
_TERMS = OrganisationTerm.__table__
_SHOWN = [
    _ORGS.c[name]
    for name in (
        "id",
        "name",
        "name_zh",
        "country",
        "park",
        "city",
        "kind",
        "sectors",
        "website",
        "description",
        "sort_key",
    )
]


def summary(description: dict | None, language: str | None) -> str | None:
    """The description in the reader's language, cut at a word near `SUMMARY_LENGTH`."""
    text = pick(description, language)
    if not text or len(text) <= SUMMARY_LENGTH:
        return text
    cut = text[:SUMMARY_LENGTH]
    space = cut.rfind(" ")
    return (cut[:space] if space > SUMMARY_LENGTH // 2 else cut).rstrip(" ,.;:") + "…"


# Below this many organisations a term is "rare": its rows are fetched first (IN). Above it,
# the rows are walked in name order and each is checked for the term (EXISTS) until the page
# is full, which stops early precisely because the term is common. Fetching a few thousand ids
# from the index costs less than a correlated EXISTS on each of the hundreds of rows a walk
# visits for a term 1 in 50 organisations carry (bench/members_directory.py, 100,000 rows).
RARE = 5000


def _term_rows(term: str | None = None, prefix: str | None = None):
    if prefix is None:
        return _TERMS.c.term == term
    upper = search_terms.prefix_upper_bound(prefix)
    return and_(_TERMS.c.term >= prefix, _TERMS.c.term < upper)


def _frequency(connection, condition) -> int:
    """How many rows carry the term, counted no further than `RARE + 1` (an index range)."""
    capped = select(_TERMS.c.organisation_id).where(condition).limit(RARE + 1).subquery()
    return connection.execute(select(func.count()).select_from(capped)).scalar_one()


def _term_filters(connection, q: str | None, sector: str | None) -> list | None:
    """WHERE clauses for the query's terms, rarest first; None when a term matches nothing."""
    exact, prefix = search_terms.query_terms(q)
    if sector:
        exact.append(search_terms.sector_term(sector))
    conditions = [_term_rows(term=t) for t in exact]
    if prefix:
        conditions.append(_term_rows(prefix=prefix))
    if not conditions:
        return []
    counted = sorted(((_frequency(connection, c), i) for i, c in enumerate(conditions)))
    if counted[0][0] == 0:
        return None
    clauses = []
    for position, (count, index) in enumerate(counted):
        condition = conditions[index]
        if position == 0 and count <= RARE:
            clauses.append(_ORGS.c.id.in_(select(_TERMS.c.organisation_id).where(condition)))
        else:
            # OFFSET 0 keeps PostgreSQL from turning this into a join driven by the term
            # (its estimate for a common term can be far too low): a per-row check it stays.
            clauses.append(
                select(_TERMS.c.organisation_id)
                .where(condition, _TERMS.c.organisation_id == _ORGS.c.id)
                .offset(0)
                .exists()
            )
    return clauses


def search(
    session,
    *,
    q: str | None = None,
    country: str | None = None,
    park: str | None = None,
    sector: str | None = None,
    kind: str | None = None,
    language: str | None = None,
    cursor: str | None = None,
    limit: int = 20,
) -> dict:
    """One page `{items, next}` of verified organisations matching every term and filter."""
    stmt = select(*_SHOWN).where(_ORGS.c.status == "verified")
    if country:
        stmt = stmt.where(_ORGS.c.country == country)
    if park:
        stmt = stmt.where(_ORGS.c.park == park)
    if kind:
        stmt = stmt.where(_ORGS.c.kind == kind)
    clauses = _term_filters(session, q, sector)
    if clauses is None:
        return {"items": [], "next": None}
    stmt = stmt.where(*clauses)
    stmt = keyset(stmt, [_ORGS.c.sort_key, _ORGS.c.id], cursor, limit)
    rows = session.execute(stmt).all()
    result = page(rows, limit, lambda r: (r.sort_key, r.id))
    result["items"] = [
        {
            "id": str(r.id),
            "name": r.name,
            "name_zh": r.name_zh,
            "country": r.country,
            "park": r.park,
            "city": r.city,
            "kind": r.kind,
            "sectors": r.sectors or [],
            "website": r.website,
            "description": summary(r.description, language),
        }
        for r in result["items"]
    ]
    return result
