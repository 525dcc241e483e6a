"""Keyset pagination walks a list without gaps or repeats, and refuses forged cursors."""


def test_pages_cover_every_row_once_in_order(widgets):
    names = [f"w{i:03d}" for i in range(45)]
    for name in reversed(names):
        assert widgets.post("/api/widgets/v1/widgets", json={"name": name}).status_code == 201
    seen, cursor = [], None
    while True:
        query = "?limit=20" + (f"&cursor={cursor}" if cursor else "")
        body = widgets.get(f"/api/widgets/v1/widgets{query}").json
        seen += [item["name"] for item in body["items"]]
        cursor = body["next"]
        if not cursor:
            break
    assert seen == names


def test_a_forged_cursor_is_a_422_on_the_cursor_parameter(widgets):
    response = widgets.get("/api/widgets/v1/widgets?cursor=bm9wZQ")
    assert response.status_code == 422
    assert response.json["errors"][0]["parameter"] == "cursor"


def test_limit_is_bounded(widgets):
    assert widgets.get("/api/widgets/v1/widgets?limit=1000").status_code == 422
