"""Matchmaking: projects for an organisation, partners for a project, each with its reasons.

A match scores shared sectors (3 each), the partner sought (2 for the country, 2 for the kind),
keywords and skills found in the other side's profile (1 each, at most 3) and, because the
platform exists for it, 2 for a French organisation meeting a Chinese one. Only verified
organisations are recommended. Candidate partners share a sector or are of the country or kind
sought; the database keeps the `SHORTLIST` best of them before keywords refine the order.
Candidate projects are the newest open calls carrying one of the organisation's facets, at
most `CANDIDATES` of them, so the cost stays flat however many projects the platform holds.

Answers are kept per process (`shared.data_version.AnswerCache`, given by the API) while no
transaction has written organisations, projects, their terms or partners since they were
computed, and, for projects, until the next open call's deadline passes; access is checked on
every request, before a kept answer is looked at.
"""

from __future__ import annotations

import functools
import operator

from sqlalchemy import String, case, cast, literal, or_, select
from sqlalchemy.orm import Session

from shared.auth import Caller
from shared.data_version import AnswerCache
from shared.errors import Forbidden, NotFound
from shared.vocabulary import SECTORS

from ..models import Organisation, Partner, Project, ProjectTerm
from . import access, reasons, search_terms
from .listing import item
from .search import next_deadline, open_call

CANDIDATES = 300
# Partners: the best by sectors and partner sought, in SQL, then refined with keywords.
SHORTLIST = 300
SECTOR, COUNTRY, KIND, KEYWORD, BRIDGE = 3.0, 2.0, 2.0, 1.0, 2.0
MAX_KEYWORDS = 3
BRIDGE_COUNTRIES = frozenset({"FR", "CN"})


def _profile_text(organisation: Organisation) -> str:
    """The organisation's words as one folded text, to find a project's keywords in."""
    parts = [organisation.name, organisation.name_zh or "", *organisation.description.values()]
    parts += [label for code in organisation.sectors for label in SECTORS.get(code, {}).values()]
    return search_terms.fold(" ".join(parts))


def _keywords_found(words: list[str], text: str) -> list[str]:
    return [w for w in dict.fromkeys(words) if search_terms.fold(w) in text][:MAX_KEYWORDS]


def score(project, owner_country: str, candidate, text: str, language: str | None = None):
    """How well `candidate` fits `project` (owned from `owner_country`), and why, in words."""
    points, why = 0.0, []
    shared = [s for s in project.sectors if s in set(candidate.sectors)]
    if shared:
        points += SECTOR * len(shared)
        why.append(reasons.sectors(shared, language))
    if candidate.country in project.seeks_countries:
        points += COUNTRY
        why.append(reasons.country(candidate.country, language))
    if candidate.kind in project.seeks_kinds:
        points += KIND
        why.append(reasons.kind(candidate.kind, language))
    found = _keywords_found([*project.keywords, *project.seeks_skills], text)
    if found:
        points += KEYWORD * len(found)
        why.append(reasons.keywords(found, language))
    if {owner_country, candidate.country} == BRIDGE_COUNTRIES:
        points += BRIDGE
        why.append(reasons.bridge(owner_country, candidate.country, language))
    return points, why


def _computed(answers: AnswerCache | None, key: tuple, compute):
    if answers is None:
        return compute()[0]
    return answers.get(key, compute)


def projects_for(
    session: Session,
    caller: Caller,
    organisation_id,
    *,
    limit: int = 10,
    language=None,
    answers: AnswerCache | None = None,
) -> list[dict]:
    """Open calls the organisation could answer, best first, for its own members (or staff)."""
    if not (caller.is_platform_admin or caller.belongs_to(organisation_id)):
        raise Forbidden("Recommendations are for the organisation's own members.")
    # The answer depends on the caller only by staff's wider view (members of the organisation
    # never own the projects recommended to it, so no owner is shown to them).
    key = ("projects", str(organisation_id), caller.is_platform_admin, limit, language)

    def compute():
        valid_until = next_deadline(session)
        return _projects_for(session, caller, organisation_id, limit, language), valid_until

    return _computed(answers, key, compute)


def _projects_for(session: Session, caller: Caller, organisation_id, limit, language):
    organisation = session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound("No such organisation.")
    facets = [search_terms.facet("sector", s) for s in organisation.sectors]
    facets += [
        search_terms.facet("seeks_country", organisation.country),
        search_terms.facet("seeks_kind", organisation.kind),
    ]
    carries_facet = (
        select(ProjectTerm.project_id)
        .where(ProjectTerm.term.in_(facets), ProjectTerm.project_id == Project.id)
        .exists()
    )
    stmt = (
        select(*_PROJECT_COLUMNS, Organisation.country.label("owner_country"))
        .join(Organisation, Organisation.id == Project.organisation_id)
        .where(
            Project.state == "open",
            *open_call(),
            Project.organisation_id != organisation.id,
            Organisation.status == "verified",
            carries_facet,
        )
        .order_by(Project.created_at.desc(), Project.id.desc())
        .limit(CANDIDATES)
    )
    if not (organisation.is_verified or caller.is_platform_admin):
        stmt = stmt.where(Project.visibility == "public")
    text = _profile_text(organisation)
    ranked = []
    for row in session.execute(stmt).all():
        points, why = score(row, row.owner_country, organisation, text, language)
        if points > 0:
            ranked.append((points, row.created_at, row.id, why))
    ranked.sort(key=lambda r: (-r[0], -r[1].timestamp(), str(r[2])))
    best = ranked[:limit]
    # Only the few recommended projects are loaded whole.
    loaded = {
        project.id: (project, owner)
        for project, owner in session.execute(
            select(Project, Organisation)
            .join(Organisation, Organisation.id == Project.organisation_id)
            .where(Project.id.in_([project_id for _p, _w, project_id, _r in best]))
        ).all()
    }
    return [
        {"project": item(*loaded[project_id], caller, language), "score": points, "reasons": why}
        for points, _when, project_id, why in best
    ]


# What scoring a candidate project needs, and no more (JSON decoding is the cost).
_PROJECT_COLUMNS = [
    Project.id,
    Project.created_at,
    Project.sectors,
    Project.keywords,
    Project.seeks_countries,
    Project.seeks_kinds,
    Project.seeks_skills,
]
_CANDIDATE_COLUMNS = [
    Organisation.id,
    Organisation.name,
    Organisation.name_zh,
    Organisation.country,
    Organisation.kind,
    Organisation.size,
    Organisation.sectors,
    Organisation.description,
]


def _could_fit(project: Project):
    """Organisations sharing a sector or of the country or kind sought (one cheap scan)."""
    sectors_text = cast(Organisation.sectors, String)
    return or_(
        Organisation.country.in_(project.seeks_countries or [""]),
        Organisation.kind.in_(project.seeks_kinds or [""]),
        *(sectors_text.like(f'%"{code}"%') for code in project.sectors),
    )


def _rough_score(project: Project, owner_country: str):
    """The score without keywords, in SQL: the database keeps the `SHORTLIST` best."""
    sectors_text = cast(Organisation.sectors, String)
    parts = [case((sectors_text.like(f'%"{code}"%'), SECTOR), else_=0) for code in project.sectors]
    if project.seeks_countries:
        parts.append(case((Organisation.country.in_(project.seeks_countries), COUNTRY), else_=0))
    if project.seeks_kinds:
        parts.append(case((Organisation.kind.in_(project.seeks_kinds), KIND), else_=0))
    if owner_country in BRIDGE_COUNTRIES:
        other = next(iter(BRIDGE_COUNTRIES - {owner_country}))
        parts.append(case((Organisation.country == other, BRIDGE), else_=0))
    return functools.reduce(operator.add, parts, literal(0.0))


def partners_for(
    session: Session,
    caller: Caller,
    project_id,
    *,
    limit: int = 10,
    language=None,
    answers: AnswerCache | None = None,
) -> list[dict]:
    """Verified organisations that fit the project, best first, for the owner's members."""
    project = access.readable(session, caller, project_id)
    if not access.is_owner_member(caller, project):
        raise Forbidden("Partner recommendations are for the project's owner.")
    # Past the access checks, the answer is the same for every reader.
    key = ("partners", str(project.id), limit, language)
    return _computed(answers, key, lambda: (_partners_for(session, project, limit, language), None))


def _partners_for(session: Session, project: Project, limit, language):
    owner = session.get(Organisation, project.organisation_id)
    taken = select(Partner.organisation_id).where(Partner.project_id == project.id)
    candidates = session.execute(
        select(*_CANDIDATE_COLUMNS)
        .where(
            Organisation.status == "verified",
            Organisation.id != project.organisation_id,
            Organisation.id.not_in(taken),
            _could_fit(project),
        )
        .order_by(_rough_score(project, owner.country).desc(), Organisation.id)
        .limit(SHORTLIST)
    ).all()
    ranked = []
    for candidate in candidates:
        text = _profile_text(candidate)
        points, why = score(project, owner.country, candidate, text, language)
        if points > 0:
            ranked.append((points, candidate.name.casefold(), candidate, why))
    ranked.sort(key=lambda r: (-r[0], r[1], str(r[2].id)))
    return [
        {
            "organisation": {
                "id": str(c.id),
                "name": c.name,
                "name_zh": c.name_zh,
                "country": c.country,
                "kind": c.kind,
                "size": c.size,
                "sectors": list(c.sectors),
            },
            "score": points,
            "reasons": why,
        }
        for points, _name, c, why in ranked[:limit]
    ]
