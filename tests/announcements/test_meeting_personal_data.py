"""A person's data export holds their brokerage meetings: their profiles and their requests."""

from __future__ import annotations

from services.announcements.domain import personal_data
from services.announcements.models import db
from tests.announcements.meeting_setup import Brokerage


def test_the_export_holds_ones_participations_and_meetings_and_not_others(make, client):
    brokerage = Brokerage(make, client)
    asker, asked, stranger = brokerage.join(), brokerage.join(), brokerage.join()
    meeting = brokerage.requested(asker, asked, reason="Sensors for the Nanjing pilot.")
    assert brokerage.accept(asked, meeting, brokerage.slot(0, 1)).status_code == 200
    other = brokerage.requested(stranger, asker)

    with db.transaction() as session:
        files, readme = personal_data.collect(session, asked.person.id)
    assert set(files) == set(readme)
    [participation] = files["meeting_participations.json"]
    assert participation["id"] == asked.id and "calendar_secret_hash" not in participation
    [request] = files["meeting_requests.json"]
    assert request["id"] == meeting["id"] and request["reason"] == "Sensors for the Nanjing pilot."
    assert request["status"] == "accepted"

    with db.transaction() as session:
        files, _readme = personal_data.collect(session, asker.person.id)
    assert {r["id"] for r in files["meeting_requests.json"]} == {meeting["id"], other["id"]}
