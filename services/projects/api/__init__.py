"""projects' HTTP API: one blueprint a concern, thin views over the domain."""

from __future__ import annotations


def blueprints() -> list:
    """The service's blueprints, registered under `/api/projects/v1`."""
    from . import applications, projects, recommendations

    return [projects.blp, applications.blp, recommendations.blp]
