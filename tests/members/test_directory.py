"""The directory: verified organisations found in English, French, Chinese and pinyin."""

from __future__ import annotations

import pytest

URL = "/api/members/v1/directory"


def _names(client, query: str = "", **headers) -> list[str]:
    response = client.get(f"{URL}?{query}", headers=headers)
    assert response.status_code == 200, response.json
    return [item["name"] for item in response.json["items"]]


@pytest.fixture
def park(make):
    """Organisations of both parks, built by the plain factory (terms follow every write)."""
    make.organisation(
        name="Azur Génomique",
        sectors=["biotech_health"],
        description={"en": "Genome sequencing.", "fr": "Séquençage du génome."},
    )
    make.organisation(
        name="Purple Mountain Biotech",
        name_zh="南京生物科技有限公司",
        country="CN",
        park="jiangning",
        city="Jiangning",
        kind="company",
        sectors=["biotech_health"],
        description={"zh": "单克隆抗体研发。", "en": "Monoclonal antibodies."},
    )
    make.organisation(
        name="Studio Brague XR",
        kind="company",
        sectors=["virtual_augmented_reality"],
        description={"en": "Virtual reality training.", "fr": "Formation en réalité virtuelle."},
    )
    make.organisation(
        name="Jiangning Smart Sensing",
        name_zh="江宁智感物联",
        country="CN",
        park="jiangning",
        city="Jiangning",
        kind="research_lab",
        sectors=["iot"],
        description={"zh": "工业物联网传感器。"},
    )
    make.organisation(name="Pending Biotech", status="pending", sectors=["biotech_health"])
    make.organisation(name="Suspended Genomics", status="suspended")


def test_the_directory_lists_verified_organisations_in_name_order(client, park):
    assert _names(client) == [
        "Azur Génomique",
        "Jiangning Smart Sensing",
        "Purple Mountain Biotech",
        "Studio Brague XR",
    ]


def test_items_show_the_public_profile_with_a_short_description(client, park):
    [item] = client.get(f"{URL}?q=brague").json["items"]
    assert set(item) == {
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
    }
    assert item["description"] == "Virtual reality training."


def test_the_description_follows_the_readers_language(client, park):
    def description(**kwargs):
        query = "q=brague" + "".join(f"&{k}={v}" for k, v in kwargs.pop("params", {}).items())
        return client.get(f"{URL}?{query}", headers=kwargs).json["items"][0]["description"]

    assert description(**{"Accept-Language": "fr-FR,fr;q=0.9"}) == "Formation en réalité virtuelle."
    assert description(params={"lang": "fr"}) == "Formation en réalité virtuelle."
    assert description(**{"Accept-Language": "zh-CN"}) == "Virtual reality training."  # fallback


def test_a_long_description_is_cut_at_a_word(client, make):
    make.organisation(name="Verbose Labs", description={"en": "word " * 100})
    [item] = client.get(f"{URL}?q=verbose").json["items"]
    assert item["description"].endswith("…")
    assert len(item["description"]) <= 201


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("genomique", ["Azur Génomique"]),  # accents folded
        ("GÉNOMIQUE", ["Azur Génomique"]),
        ("séquençage génome", ["Azur Génomique"]),  # French description
        ("virtual reality", ["Studio Brague XR"]),  # English description
        ("réalité", ["Studio Brague XR"]),
        ("antibodies", ["Purple Mountain Biotech"]),
        ("purple mountain", ["Purple Mountain Biotech"]),
    ],
)
def test_search_in_english_and_french(client, park, query, expected):
    assert _names(client, f"q={query}") == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("生物", ["Azur Génomique", "Purple Mountain Biotech"]),  # 生物 also in a sector label
        ("南京", ["Purple Mountain Biotech"]),
        ("南京生物科技有限公司", ["Purple Mountain Biotech"]),
        ("生物科技", ["Azur Génomique", "Purple Mountain Biotech"]),
        ("抗体", ["Purple Mountain Biotech"]),  # Chinese description
        ("物联网", ["Jiangning Smart Sensing"]),
        ("江宁", ["Jiangning Smart Sensing"]),
        ("京", ["Purple Mountain Biotech"]),  # a single character of a name
    ],
)
def test_search_in_chinese_finds_words_in_unspaced_text(client, park, query, expected):
    assert _names(client, f"q={query}") == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("nanjing", ["Purple Mountain Biotech"]),
        ("nan jing", ["Purple Mountain Biotech"]),
        ("shengwu", ["Purple Mountain Biotech"]),
        ("nanjingshengwukeji", ["Purple Mountain Biotech"]),  # the joined name, as a prefix
        ("zhigan", ["Jiangning Smart Sensing"]),
    ],
)
def test_search_in_pinyin(client, park, query, expected):
    assert _names(client, f"q={query}") == expected


def test_the_last_latin_word_matches_as_a_prefix(client, park):
    assert _names(client, "q=genom") == ["Azur Génomique"]
    assert _names(client, "q=studio bra") == ["Studio Brague XR"]
    assert _names(client, "q=bra studio") == []  # only the last word is a prefix


def test_every_query_word_must_match(client, park):
    assert _names(client, "q=nanjing genomique") == []


def test_sector_labels_in_any_language_are_searchable(client, park):
    assert _names(client, "q=internet of things") == ["Jiangning Smart Sensing"]
    assert _names(client, "q=物联网") == ["Jiangning Smart Sensing"]


def test_pending_and_suspended_organisations_are_never_listed(client, park):
    assert "Pending Biotech" not in _names(client, "q=biotech")
    assert _names(client, "q=suspended") == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=CN", ["Jiangning Smart Sensing", "Purple Mountain Biotech"]),
        ("country=fr", ["Azur Génomique", "Studio Brague XR"]),
        ("park=jiangning&kind=research_lab", ["Jiangning Smart Sensing"]),
        ("sector=biotech_health", ["Azur Génomique", "Purple Mountain Biotech"]),
        ("sector=biotech_health&country=CN&q=生物", ["Purple Mountain Biotech"]),
        ("sector=energy", []),
    ],
)
def test_filters(client, park, query, expected):
    assert _names(client, query) == expected


@pytest.mark.parametrize(
    "query",
    [
        "country=XX",
        "park=mars",
        "sector=astrology",
        "kind=cartel",
        "lang=de",
        "limit=0",
        "limit=101",
        "cursor=not-a-cursor",
        "q=" + "x" * 201,
    ],
)
def test_bad_parameters_are_validation_errors(client, query):
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"


def test_pages_follow_each_other_without_gaps_or_duplicates(client, make):
    names = [f"Organisation {i:02d}" for i in range(23)]
    for name in reversed(names):
        make.organisation(name=name)
    make.organisation(name="organisation 05")  # same sort key as another: the id breaks ties
    seen, cursor, pages = [], None, 0
    while True:
        query = "limit=5" + (f"&cursor={cursor}" if cursor else "")
        response = client.get(f"{URL}?{query}")
        body = response.json
        seen += [item["id"] for item in body["items"]]
        pages += 1
        cursor = body["next"]
        if not cursor:
            assert "Link" not in response.headers
            break
        assert 'rel="next"' in response.headers["Link"]
    assert pages == 5
    assert len(seen) == len(set(seen)) == 24


def test_the_next_link_is_percent_encoded_for_chinese_queries(client, make):
    for i in range(3):
        make.organisation(name=f"Biotech {i}", name_zh=f"南京生物{i}号")
    response = client.get(f"{URL}?q=生物 南京&limit=2")
    link = response.headers["Link"]
    target = link[link.index("<") + 1 : link.index(">")]
    assert link.isascii() and " " not in target
    following = client.get(target)
    assert len(following.json["items"]) == 1


def test_the_default_page_holds_twenty(client, make):
    for i in range(21):
        make.organisation(name=f"Member {i:02d}")
    body = client.get(URL).json
    assert len(body["items"]) == 20 and body["next"]


def test_an_unchanged_page_is_not_sent_again(client, park):
    first = client.get(f"{URL}?q=biotech")
    etag = first.headers["ETag"]
    again = client.get(f"{URL}?q=biotech", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""


def test_a_changed_page_has_a_new_etag(client, make, park):
    etag = client.get(URL).headers["ETag"]
    make.organisation(name="Newcomer Robotics")
    response = client.get(URL, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert "Newcomer Robotics" in [item["name"] for item in response.json["items"]]


def test_the_vocabulary_lists_sectors_with_labels_in_three_languages(client):
    response = client.get("/api/members/v1/vocabulary")
    assert response.status_code == 200
    sectors = {entry["code"]: entry["labels"] for entry in response.json["sectors"]}
    assert sectors["iot"] == {
        "en": "Internet of things",
        "fr": "Internet des objets",
        "zh": "物联网",
    }
    assert {"biotech_health", "virtual_augmented_reality", "ai_data"} <= set(sectors)
    assert [entry["code"] for entry in response.json["sizes"]] == [
        "micro",
        "small",
        "medium",
        "large",
    ]
    assert {entry["code"] for entry in response.json["parks"]} == {
        "sophia_antipolis",
        "jiangning",
        "other",
    }


@pytest.mark.parametrize("weight", [0, 10**9])
def test_common_and_rare_terms_give_the_same_answers(client, park, monkeypatch, weight):
    """Both query plans (walk in name order, or fetch the term's rows first) agree."""
    from services.members.domain import directory

    monkeypatch.setattr(directory, "WALK_WEIGHT", weight)
    assert _names(client, "q=生物") == ["Azur Génomique", "Purple Mountain Biotech"]
    assert _names(client, "q=nan jing") == ["Purple Mountain Biotech"]
    assert _names(client, "q=réalité virt") == ["Studio Brague XR"]
    assert _names(client, "sector=iot&q=jiangning") == ["Jiangning Smart Sensing"]
    assert _names(client, "q=biotech&country=CN") == ["Purple Mountain Biotech"]


def test_a_page_costs_two_statements_whatever_the_query(client, app, park):
    """The terms' frequencies in one statement, the page in another: never one per term."""
    from sqlalchemy import event

    from services.members.models import db

    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        for query in ("q=nan jing biotech&sector=biotech_health&country=CN", "q=生物 南京", ""):
            statements.clear()
            assert client.get(f"{URL}?{query}").status_code == 200
            assert len(statements) == (2 if query else 1), statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def test_a_term_frequency_is_estimated_from_a_few_random_ids():
    """uuid4 ids are uniform: the 32nd smallest of n of them says n to within a fraction."""
    import random
    import uuid

    from services.members.domain.directory import SAMPLE, _estimate

    rng = random.Random(7)
    for n in (SAMPLE, 1_000, 100_000):
        ids = sorted(uuid.UUID(int=rng.getrandbits(128), version=4) for _ in range(n))
        assert 0.5 * n <= _estimate(SAMPLE, ids[SAMPLE - 1]) <= 2 * n
    assert _estimate(5, None) == 5  # fewer than the sample: the exact count


def test_a_cursor_of_the_wrong_shape_is_a_validation_error(client, park):
    from shared.pagination import encode_cursor

    for values in ([1, 2], ["name", "not-an-id"], ["name", {"t": "2024-01-01T00:00:00"}]):
        response = client.get(f"{URL}?cursor={encode_cursor(values)}")
        assert response.status_code == 422, values
        assert response.mimetype == "application/problem+json"
