"""A discreet owner stays unnamed: nothing another organisation can read about its project, from
any endpoint, holds an identifier of the owner or of its people until it accepts a partner."""

from __future__ import annotations

import json


def _everything_another_organisation_reads(api, reader, reader_org, project_id) -> str:
    """Every answer a member of another organisation gets about the project, as one text."""
    paths = [
        f"/projects/{project_id}",
        f"/projects/{project_id}/history",
        f"/projects/{project_id}/milestones",
        f"/projects/{project_id}/recommended-partners",
        "/projects?limit=100",
        "/projects?q=sensors&limit=100",
        f"/organisations/{reader_org}/recommended-projects?limit=100",
        f"/organisations/{reader_org}/applications?limit=100",
    ]
    answers = []
    for path in paths:
        response = api.call("GET", path, reader)
        answers.append(f"{path} {response.status_code} {json.dumps(response.get_json())}")
    return "\n".join(answers)


def test_nothing_another_organisation_reads_names_a_discreet_owner_or_its_people(api, make):
    owner_org = make.organisation(name="Nanjing Discreet Sensors", country="CN", sectors=["iot"])
    owner = make.admin(owner_org)
    colleague = make.member(owner_org)
    project = api.opened(owner, anonymous=True, sectors=["iot"])
    api.call(
        "POST",
        f"/projects/{project['id']}/milestones",
        colleague,
        json={"title": {"en": "Prototype"}, "due_on": "2027-06-30"},
    )
    reader_org = make.organisation(name="Valbonne Buyers", sectors=["iot"])
    reader = make.admin(reader_org)
    applied = api.call(
        "POST", f"/projects/{project['id']}/applications", reader, json={"message": "Hello."}
    )
    assert applied.status_code == 201, applied.get_json()

    seen = _everything_another_organisation_reads(api, reader, reader_org, project["id"])
    assert project["id"] in seen  # the reader does see the project itself
    for secret in (str(owner_org), "Nanjing Discreet Sensors", str(owner.id), str(colleague.id)):
        assert secret not in seen, f"{secret} is readable by another organisation"

    # Its own people see who moved it.
    history = api.call("GET", f"/projects/{project['id']}/history", colleague).get_json()
    assert str(owner.id) in {change["changed_by"] for change in history}
