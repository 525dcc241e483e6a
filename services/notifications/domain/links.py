"""Where a notification leads on the public site: the page of what it is about.

Paths are the portal's (relative to PUBLIC_BASE_URL), so an inbox item and its e-mail open the
project, the announcement or the organisation page instead of the home page.
"""

from __future__ import annotations


def link_for(event_type: str, data: dict) -> str | None:
    """The site path of what an event is about; None when there is no better page than home."""
    if event_type.startswith("project."):
        project_id = (data.get("project") or {}).get("id")
        return f"/projects/{project_id}" if project_id else None
    if event_type.startswith("announcement."):
        announcement_id = (data.get("announcement") or {}).get("id")
        return f"/announcements/{announcement_id}" if announcement_id else None
    if event_type == "organisation.registration_received":
        return f"/admin/organisations/{data['id']}"  # staff's verification page
    if event_type.startswith("organisation."):
        return "/my-organisation"
    if event_type.startswith("webhook."):
        endpoint_id = data.get("endpoint_id")
        suffix = f"/{endpoint_id}" if endpoint_id else ""
        return f"/my-organisation/integrations{suffix}"
    return None
