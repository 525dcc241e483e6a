"""The code imports in one direction: no module reaches itself again through its imports.

A circle forces lazy imports inside functions and makes each module of it unusable alone
(issue: members' accounts and tokens, shared.db and the events package). Imports inside
functions count too: grimp reads every import statement.
"""

from __future__ import annotations

from graphlib import CycleError, TopologicalSorter

import grimp


def test_services_and_shared_import_without_circles():
    graph = grimp.build_graph("services", "shared", cache_dir=None)
    ordering = TopologicalSorter(
        {module: graph.find_modules_directly_imported_by(module) for module in graph.modules}
    )
    try:
        ordering.prepare()
    except CycleError as circle:
        raise AssertionError(f"import circle: {' -> '.join(circle.args[1])}") from None


def test_domain_modules_do_not_import_flask():
    """The rules run the same in a web request, a Celery task and a test: settings come from
    the service's `settings.get`, presentation from its api package."""
    graph = grimp.build_graph("services", "shared", include_external_packages=True, cache_dir=None)
    domain = [m for m in graph.modules if ".domain" in m and m.startswith("services.")]
    assert domain
    with_flask = sorted(
        module
        for module in domain
        if any(
            name == "flask" or name.startswith("flask_")
            for name in graph.find_modules_directly_imported_by(module)
        )
    )
    assert with_flask == []
