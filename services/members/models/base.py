"""The declarative base, the database handle and the revocation table every members table shares."""

from shared import events
from shared.db import Database, make_base
from shared.revocation import revocation_table

Base = make_base()
db = events.install(Database("members", Base.metadata))
# Moments from which tokens are refused (shared.revocation), written with each change.
access_revocations = revocation_table(Base.metadata)


def read_connection():
    """A pooled connection for a read-only request (the directory, one organisation).

    On PostgreSQL it runs in autocommit: a read needs no BEGIN and ROLLBACK around it, each a
    round trip to the server. SQLite reads start no transaction anyway, and switching its
    isolation level back and forth costs more than it saves.
    """
    connection = db.engine.connect()
    if connection.dialect.name == "postgresql":
        connection.execution_options(isolation_level="AUTOCOMMIT")
    return connection
