"""The directory: verified organisations found by words in any language, in name order.

Rows come in (sort_key, id) order from the (status, sort_key, id) index (or its country or park
sibling), so a page costs the same at the first organisation and the 100,000th. A request runs
at most two statements, each built once per shape of query and then reused with new values
(building and caching SQLAlchemy statements cost more than SQLite running them):

1. how common each term is, read a few index entries deep whatever the table's size
   (`_frequencies`);
2. the page: the rarest term's rows fetched first (IN) when it is rare, every other term
   checked on each row walked in name order (EXISTS), rarest first.
"""

from __future__ import annotations

import functools
import uuid

from sqlalchemy import and_, bindparam, func, literal_column, or_, select

from shared.i18n import pick
from shared.pagination import decode_cursor, encode_cursor

from ..models import Organisation, OrganisationTerm
from . import search_terms

SUMMARY_LENGTH = 200
_ORGS = Organisation.__table__
_TERMS = OrganisationTerm.__table__
_SHOWN = [
    _ORGS.c[name]
    for name in (
        "id",
        "name",
        "name_zh",
        "country",
        "park",
        "city",
        "kind",
        "sectors",
        "website",
        "description",
        "sort_key",
    )
]
_FILTERS = ("country", "park", "kind")

# The rarest term's rows are fetched first (IN) when that costs less than walking the rows in
# name order and checking each for the terms (EXISTS) until the page is full. The walk visits
# about (page size) x organisations / (term's organisations) rows, the IN list holds the term's
# organisations, so IN wins while count^2 < WALK_WEIGHT x page size x organisations: a term one
# organisation in 50 carries (a word of a park's trade) is fetched first, one in 12 (a sector)
# is walked, at ten thousand organisations and at a hundred thousand alike
# (bench/members_directory.py measures both).
WALK_WEIGHT = 2
# A prefix spans several words: its entries are counted, no further than this.
PREFIX_CAP = 5000
# How deep into a word's index entries its frequency is read (see `_frequency_statement`).
SAMPLE = 32
_ID_SPACE = 1 << 128


def summary(description: dict | None, language: str | None) -> str | None:
    """The description in the reader's language, cut at a word near `SUMMARY_LENGTH`."""
    text = pick(description, language)
    if not text or len(text) <= SUMMARY_LENGTH:
        return text
    cut = text[:SUMMARY_LENGTH]
    space = cut.rfind(" ")
    return (cut[:space] if space > SUMMARY_LENGTH // 2 else cut).rstrip(" ,.;:") + "…"


def _word_rows(i: int):
    return _TERMS.c.term == bindparam(f"word{i}")


def _prefix_rows():
    return and_(_TERMS.c.term >= bindparam("prefix"), _TERMS.c.term < bindparam("prefix_end"))


def _sampled(rows: list, ids):
    """Rows counted up to `SAMPLE`, and the `SAMPLE`-th id in id order (None if fewer).

    Both read the ids in index order, so both stop after `SAMPLE` entries (without the order,
    PostgreSQL counts through a bitmap of every entry of the word).
    """
    head = select(ids).where(*rows).order_by(ids).limit(SAMPLE).subquery()
    return [
        select(func.count()).select_from(head).scalar_subquery(),
        select(ids).where(*rows).order_by(ids).limit(1).offset(SAMPLE - 1).scalar_subquery(),
    ]


@functools.lru_cache(maxsize=64)
def _frequency_statement(words: int, prefix: bool):
    """How many organisations there are, and carry each word, and the prefix: one row.

    Organisation ids are random (uuid4), and the organisations' and each word's index entries
    are stored in id order, so past `SAMPLE` entries the `SAMPLE`-th id's place in the id space
    estimates how many there are (within a fifth or so, plenty to choose a plan): reading 32
    entries costs the same among ten thousand organisations as among ten million. A prefix
    spans several words, so its entries are counted, to `PREFIX_CAP + 1` at most.
    """
    columns = _sampled([], _ORGS.c.id)
    for i in range(words):
        columns += _sampled([_word_rows(i)], _TERMS.c.organisation_id)
    if prefix:
        capped = select(literal_column("1")).select_from(_TERMS).where(_prefix_rows())
        capped = capped.limit(PREFIX_CAP + 1)
        columns.append(select(func.count()).select_from(capped.subquery()).scalar_subquery())
    return select(*columns)


def _estimate(counted: int, sampled_id: uuid.UUID | None) -> int:
    if sampled_id is None or counted < SAMPLE:
        return counted
    return SAMPLE * _ID_SPACE // (sampled_id.int + 1)


def _frequencies(connection, params: dict, words: int, prefix: bool) -> tuple[int, list[int]]:
    """The organisations (estimated past `SAMPLE`), and those carrying each word and prefix."""
    row = connection.execute(_frequency_statement(words, prefix), params).one()
    found = [_estimate(row[2 * i], row[2 * i + 1]) for i in range(words + 1)]
    if prefix:
        found.append(row[-1])
    return found[0], found[1:]


@functools.lru_cache(maxsize=256)
def _page_statement(filters: tuple[str, ...], plan: tuple[tuple[str, str], ...], after: bool):
    """The page's SELECT for one shape of query; values are bound at execution.

    `plan` lists the term conditions rarest first, each as (`word<i>` or `prefix`, `in` or
    `exists`).
    """
    stmt = select(*_SHOWN).where(_ORGS.c.status == "verified")
    for name in filters:
        stmt = stmt.where(_ORGS.c[name] == bindparam(name))
    for source, strategy in plan:
        condition = _prefix_rows() if source == "prefix" else _word_rows(int(source[4:]))
        if strategy == "in":
            stmt = stmt.where(_ORGS.c.id.in_(select(_TERMS.c.organisation_id).where(condition)))
        else:
            # OFFSET 0 keeps PostgreSQL from turning this into a join driven by the term
            # (its estimate for a common term can be far too low): a per-row check it stays.
            stmt = stmt.where(
                select(_TERMS.c.organisation_id)
                .where(condition, _TERMS.c.organisation_id == _ORGS.c.id)
                .offset(0)
                .exists()
            )
    if after:
        # (sort_key, id) > (:after_key, :after_id), spelled out so every backend uses the index.
        key, ident = bindparam("after_key"), bindparam("after_id")
        stmt = stmt.where(
            or_(_ORGS.c.sort_key > key, and_(_ORGS.c.sort_key == key, _ORGS.c.id > ident))
        )
    return stmt.order_by(_ORGS.c.sort_key, _ORGS.c.id).limit(bindparam("rows"))


def _after(cursor: str) -> dict:
    """The cursor's (sort_key, id) as bound values, or a 422 naming the cursor."""
    key, ident = decode_cursor(cursor, (str, uuid.UUID))
    return {"after_key": key, "after_id": ident}


def _item(row, language: str | None) -> dict:
    return {
        "id": str(row.id),
        "name": row.name,
        "name_zh": row.name_zh,
        "country": row.country,
        "park": row.park,
        "city": row.city,
        "kind": row.kind,
        "sectors": row.sectors or [],
        "website": row.website,
        "description": summary(row.description, language),
    }


def search(
    connection,
    *,
    q: str | None = None,
    country: str | None = None,
    park: str | None = None,
    sector: str | None = None,
    kind: str | None = None,
    language: str | None = None,
    cursor: str | None = None,
    limit: int = 20,
) -> dict:
    """One page `{items, next}` of verified organisations matching every term and filter."""
    params: dict = {"rows": limit + 1}
    filters = []
    for name, value in zip(_FILTERS, (country, park, kind), strict=True):
        if value:
            filters.append(name)
            params[name] = value
    words, prefix = search_terms.query_terms(q)
    if sector:
        words.append(search_terms.sector_term(sector))
    plan: list[tuple[str, str]] = []
    if words or prefix:
        params.update({f"word{i}": word for i, word in enumerate(words)})
        sources = [f"word{i}" for i in range(len(words))]
        if prefix:
            params.update(prefix=prefix, prefix_end=search_terms.prefix_upper_bound(prefix))
            sources.append("prefix")
        total, found = _frequencies(connection, params, len(words), bool(prefix))
        counted = sorted(zip(found, sources, strict=True))
        rarest = counted[0][0]
        if rarest == 0:
            return {"items": [], "next": None}
        fetch_first = rarest * rarest <= WALK_WEIGHT * (limit + 1) * total
        plan = [
            (source, "in" if position == 0 and fetch_first else "exists")
            for position, (_count, source) in enumerate(counted)
        ]
    if cursor:
        params.update(_after(cursor))
    stmt = _page_statement(tuple(filters), tuple(plan), bool(cursor))
    rows = connection.execute(stmt, params).all()
    shown = rows[:limit]
    following = None
    if len(rows) > limit and shown:
        following = encode_cursor([shown[-1].sort_key, shown[-1].id])
    return {"items": [_item(row, language) for row in shown], "next": following}
