"""Platform staff hear of each new registration in their inbox, in their language, with a link
to its verification page (members e-mails them itself, so no second e-mail)."""

from __future__ import annotations

import copy
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from services.notifications.models import Broadcast, Email, Notification, User, db
from shared.events import catalogue
from tests.notifications.support import handle


def _staff(language: str, name: str) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "email": f"{name.lower().replace(' ', '.')}@platform.example",
        "full_name": name,
        "language": language,
        "timezone": "Europe/Paris",
    }


def _received(*staff, **changes) -> dict:
    data = copy.deepcopy(catalogue.latest("organisation.registration_received").example)
    data.update(staff=list(staff), **changes)
    return data


def _inbox(user_id: str) -> list[Notification]:
    with db.transaction() as session:
        return list(
            session.scalars(select(Notification).where(Notification.user_id == uuid.UUID(user_id)))
        )


def test_each_staff_member_is_told_in_their_language_with_the_registrant(world):
    claire, wang = _staff("fr", "Claire Martin"), _staff("zh", "Wang Fang")
    member = world.person(world.organisation())
    data = _received(claire, wang, name="Biot Materials", name_zh=None)
    handle("organisation.registration_received", data)

    [french] = _inbox(claire["id"])
    assert french.title == "Biot Materials s'est inscrite\u202f: à vérifier"
    assert french.body == "Li Na (li.na@zijin-bio.example) l'a inscrite."
    assert french.category == "organisation_status"
    assert french.link == f"/admin/organisations/{data['id']}"
    [chinese] = _inbox(wang["id"])
    assert chinese.title.startswith("Biot Materials 已注册")
    assert _inbox(member) == []
    with db.transaction() as session:  # staff are now known, to be reached again
        assert session.get(User, uuid.UUID(wang["id"])).language == "zh"
        assert session.scalar(select(func.count()).select_from(Email)) == 0


def test_a_redelivered_registration_tells_nobody_twice(world):
    from services.notifications.events import HANDLERS
    from shared.events.inbox import Consumer

    claire = _staff("en", "Claire Martin")
    message = handle("organisation.registration_received", _received(claire, name="Biot"))
    Consumer(db, HANDLERS).handle(message)
    assert [n.title for n in _inbox(claire["id"])] == ["Biot registered: to verify"]


def test_a_registration_whose_registrant_was_deleted_holds_up_no_late_membership(world):
    claire = _staff("en", "Claire Martin")
    data = _received(claire, name="Biot")
    handle("organisation.registration_received", data)
    registrant = data["registrant"]["user_id"]
    handle("user.deleted", {"id": registrant})
    with db.transaction() as session:  # the kept broadcast no longer names them
        kept = [b.data for b in session.scalars(select(Broadcast))]
        assert kept and registrant not in str(kept)
    # A membership that began before the registration arrives late: the kept broadcasts are
    # asked again for its person, and the one naming nobody any more must not fail the event.
    organisation = world.organisation()
    late = {
        "organisation_id": organisation,
        "user_id": str(uuid.uuid4()),
        "role": "org_member",
        "email": "late@example.org",
        "full_name": "Late Comer",
        "language": "en",
        "timezone": "Europe/Paris",
    }
    handle("member.joined", late, occurred_at=datetime.now(UTC) - timedelta(hours=1))
    assert _inbox(late["user_id"]) == []  # not staff: the registration was never theirs
