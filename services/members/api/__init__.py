"""members' HTTP API: one blueprint a concern."""


def blueprints():
    from . import auth, clients, directory, jwks, memberships, organisations, users

    return [
        auth.blp,
        jwks.blp,
        organisations.blp,
        directory.blp,
        memberships.blp,
        users.blp,
        clients.blp,
    ]
