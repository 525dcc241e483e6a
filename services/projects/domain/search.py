"""Finding projects by words in any language (Chinese and pinyin too) and by facets, newest first.

Rows come newest first on the (created_at, id) keyset, so a deep page costs what the first does;
each query term is looked up in the (term, project_id) key of the terms table, rarest first:
a rare term's projects are fetched (IN), a common one is checked row by row (EXISTS) until the
page is full.
"""

from __future__ import annotations

import uuid

from sqlalchemy import and_, false, func, or_, select
from sqlalchemy.orm import Session, aliased

from shared.auth import Caller
from shared.data_version import AnswerCache
from shared.db import utcnow
from shared.pagination import keyset, page

from ..models import Organisation, Project, ProjectTerm
from . import access, search_terms
from .listing import LIST_COLUMNS, row_item

RARE = 500
_TERMS = ProjectTerm.__table__


def _term_rows(term: str | None = None, prefix: str | None = None):
    if prefix is None:
        return _TERMS.c.term == term
    return and_(_TERMS.c.term >= prefix, _TERMS.c.term < search_terms.prefix_upper_bound(prefix))


def _frequency(session: Session, condition) -> int:
    capped = select(_TERMS.c.project_id).where(condition).limit(RARE + 1).subquery()
    return session.execute(select(func.count()).select_from(capped)).scalar_one()


def term_filters(session: Session, exact: list[str], prefix: str | None) -> list | None:
    """WHERE clauses for the terms, rarest first; None when one matches nothing."""
    conditions = [_term_rows(term=t) for t in exact]
    if prefix:
        conditions.append(_term_rows(prefix=prefix))
    if not conditions:
        return []
    counted = sorted((_frequency(session, c), i) for i, c in enumerate(conditions))
    if counted[0][0] == 0:
        return None
    clauses = []
    for position, (count, index) in enumerate(counted):
        condition = conditions[index]
        if position == 0 and count <= RARE:
            clauses.append(Project.id.in_(select(_TERMS.c.project_id).where(condition)))
        else:
            clauses.append(
                select(_TERMS.c.project_id)
                .where(condition, _TERMS.c.project_id == Project.id)
                .offset(0)
                .exists()
            )
    return clauses


def open_call() -> list:
    """An open call: not closed, deadline ahead (a function of the column, so that no planner
    walks the deadline index instead of the newest-first one)."""
    now = utcnow()
    return [Project.call_closed_at.is_(None), func.coalesce(Project.call_deadline, now) > now]


def next_deadline(session: Session):
    """The moment the next open call closes by its deadline: what an answer is true until."""
    now = utcnow()
    return session.execute(
        select(func.min(Project.call_deadline)).where(
            Project.state == "open", Project.call_closed_at.is_(None), Project.call_deadline > now
        )
    ).scalar()


def visible_to(session: Session, caller: Caller | None, stmt, state: str | None):
    """Only what the caller may read: published projects (members-only ones for members);
    anonymous readers see published public projects only."""
    if caller is None:
        if state == "draft":
            return stmt.where(false())
        stmt = stmt.where(Project.state == state if state else Project.state != "draft")
        return stmt.where(Project.visibility == "public")
    if state == "draft":
        if caller.is_platform_admin:
            return stmt.where(Project.state == "draft")
        return stmt.where(
            Project.state == "draft", Project.organisation_id == caller.organisation_id
        )
    # `!= draft` rather than IN: the newest-first index then serves the walk, with no sort.
    stmt = stmt.where(Project.state == state if state else Project.state != "draft")
    if not (caller.is_platform_admin or access.caller_is_verified_member(session, caller)):
        stmt = stmt.where(
            or_(Project.visibility == "public", Project.organisation_id == caller.organisation_id)
        )
    return stmt


def search(
    session: Session,
    caller: Caller | None,
    answers: AnswerCache | None = None,
    **criteria,
) -> dict:
    """`find`'s page, kept in `answers` while no project, term or organisation changes (and,
    for open calls, until the next deadline passes). What a page shows depends on the reader
    only through whether they are staff and which organisation they belong to."""
    if answers is None:
        return find(session, caller, **criteria)
    reader = None if caller is None else (caller.is_platform_admin, str(caller.organisation_id))
    key = ("search", reader, tuple(sorted(criteria.items())))

    def compute():
        until = next_deadline(session) if criteria.get("open_calls") else None
        return find(session, caller, **criteria), until

    return answers.get(key, compute)


def find(
    session: Session,
    caller: Caller | None,
    *,
    q: str | None = None,
    sector: str | None = None,
    state: str | None = None,
    kind: str | None = None,
    country: str | None = None,
    seeks_country: str | None = None,
    seeks_kind: str | None = None,
    open_calls: bool = False,
    organisation_id: uuid.UUID | None = None,
    language: str | None = None,
    cursor: str | None = None,
    limit: int = 20,
) -> dict:
    """One page `{items, next}` (JSON-ready) of the projects the caller may read that match."""
    stmt = select(*LIST_COLUMNS).join(Organisation, Organisation.id == Project.organisation_id)
    stmt = visible_to(session, caller, stmt, state)
    if country:
        # Checked row by row as projects come newest first (no sort of every owner's projects).
        owners = aliased(Organisation)
        stmt = stmt.where(
            select(owners.id)
            .where(owners.id == Project.organisation_id, owners.country == country)
            .offset(0)
            .exists()
        )
    if organisation_id:
        stmt = stmt.where(Project.organisation_id == organisation_id)
        if not (caller and (caller.is_platform_admin or caller.belongs_to(organisation_id))):
            stmt = stmt.where(Project.anonymous.is_(False))  # a discreet owner stays discreet
    if open_calls:
        stmt = stmt.where(Project.state == "open", *open_call())
    exact, prefix = search_terms.query_terms(q)
    for name, code in (
        ("sector", sector),
        ("kind", kind),
        ("seeks_country", seeks_country),
        ("seeks_kind", seeks_kind),
    ):
        if code:
            exact.append(search_terms.facet(name, code))
    clauses = term_filters(session, exact, prefix)
    if clauses is None:
        return {"items": [], "next": None}
    stmt = keyset(stmt.where(*clauses), [Project.created_at, Project.id], cursor, limit, True)
    rows = session.execute(stmt).all()
    result = page(rows, limit, lambda r: (r.created_at, r.id))
    result["items"] = [row_item(r, caller, language) for r in result["items"]]
    return result
