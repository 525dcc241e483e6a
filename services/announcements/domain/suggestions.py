"""Whom to meet: other participants ranked by what the platform knows, each with its reasons.

Reasons come from the organisation projection and the profiles: sectors in common (the profile's
or, failing it, the organisation's), the country the reader seeks, a France-China pair (the
forum's purpose), and words of what the reader seeks found in what the other offers. Anyone the
reader has already met, asked, been asked by or been declined by is left out.
"""

from __future__ import annotations

import re

from sqlalchemy import or_, select

from shared.auth import Caller
from shared.i18n import pick

from ..models import MeetingRequest, Organisation, Participant
from . import participants

WEIGHTS = {"country_sought": 3, "shared_sector": 2, "france_china": 2, "offers_what_you_seek": 1}
TEXTS = {
    "shared_sector": {
        "en": "You share sectors: {sectors}.",
        "fr": "Secteurs en commun : {sectors}.",
        "zh": "共同领域: {sectors}。",
    },
    "country_sought": {
        "en": "Based in {country}, a country you seek.",
        "fr": "Établi en {country}, un pays que vous recherchez.",
        "zh": "位于您寻找的国家: {country}。",
    },
    "france_china": {
        "en": "A France-China partnership, the forum's aim.",
        "fr": "Un partenariat France-Chine, le but du forum.",
        "zh": "中法合作, 正是论坛的宗旨。",
    },
    "offers_what_you_seek": {
        "en": "Offers what you seek: {words}.",
        "fr": "Propose ce que vous cherchez : {words}.",
        "zh": "提供您所寻求的: {words}。",
    },
}
_WORD = re.compile(r"\w{4,}|[\u4e00-\u9fff]{2,}")


def _words(text: dict) -> set[str]:
    return {w.casefold() for value in (text or {}).values() for w in _WORD.findall(value)}


def _sectors(participant: Participant, organisation: Organisation) -> set[str]:
    return set(participant.sectors or ()) or set(organisation.sectors or ())


def _reason(code: str, language: str | None, **values) -> dict:
    template = pick(TEXTS[code], language) or ""
    return {"code": code, "text": template.format(**values)}


def reasons(
    me: Participant, mine: Organisation, other: Participant, theirs: Organisation, language
) -> list[dict]:
    found = []
    if theirs.country in set(me.countries_sought or ()):
        found.append(_reason("country_sought", language, country=theirs.country))
    common = sorted(_sectors(me, mine) & _sectors(other, theirs))
    if common:
        found.append(_reason("shared_sector", language, sectors=", ".join(common)))
    if {mine.country, theirs.country} == {"FR", "CN"}:
        found.append(_reason("france_china", language))
    words = sorted(_words(me.seeks) & _words(other.offers))
    if words:
        found.append(_reason("offers_what_you_seek", language, words=", ".join(words[:5])))
    return found


def _excluded(session, me: Participant) -> set:
    """Those the reader has met, asked, been asked by, or declined (or been declined by)."""
    rows = session.execute(
        select(MeetingRequest.requester_id, MeetingRequest.recipient_id).where(
            MeetingRequest.announcement_id == me.announcement_id,
            MeetingRequest.status.in_(("requested", "accepted", "declined")),
            or_(MeetingRequest.requester_id == me.id, MeetingRequest.recipient_id == me.id),
        )
    ).all()
    return {a for row in rows for a in row} - {me.id}


def suggest(session, caller: Caller, announcement_id, language: str | None, limit: int):
    """The best matches for the caller's participation, best first, with reasons."""
    me = participants.acting(session, caller, announcement_id)
    mine = session.get(Organisation, me.organisation_id)
    language = language or caller.language
    excluded = _excluded(session, me)
    rows = session.execute(
        select(Participant, Organisation)
        .join(Organisation, Organisation.id == Participant.organisation_id)
        .where(
            Participant.announcement_id == me.announcement_id,
            Participant.organisation_id != me.organisation_id,
            Organisation.status == "verified",
        )
    ).all()
    ranked = []
    for other, theirs in rows:
        if other.id in excluded or mine is None:
            continue
        found = reasons(me, mine, other, theirs, language)
        if found:
            score = sum(WEIGHTS[r["code"]] for r in found)
            ranked.append((score, other, theirs, found))
    ranked.sort(key=lambda item: (-item[0], item[1].created_at, str(item[1].id)))
    return [
        {"participant": participants.shown(other, theirs), "score": score, "reasons": found}
        for score, other, theirs, found in ranked[:limit]
    ]
