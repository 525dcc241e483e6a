"""Sign-in throttling: per account from an address, per address, and per account under attack
from many addresses; never the owner from a clean address; unknown e-mails alike."""

from __future__ import annotations

import pytest
import redis

from tests.members.factories import PASSWORD

TOKEN = "/api/members/v1/auth/token"


@pytest.fixture(autouse=True)
def _forget_sign_in_failures(app):
    import redis

    connection = redis.Redis.from_url(app.config["REDIS_URL"])
    for key in connection.scan_iter("LIMITS*"):
        connection.delete(key)
    yield
    for key in connection.scan_iter("LIMITS*"):
        connection.delete(key)


def attempt(client, email, password, address="10.0.0.1"):
    return client.post(
        TOKEN,
        data={"grant_type": "password", "username": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def test_failures_slow_that_address_on_that_account_not_the_owner_elsewhere(client, make):
    user = make.user(make.organisation())
    for _ in range(5):
        assert attempt(client, user.email, "wrong password!", "203.0.113.66").status_code == 400
    slowed = attempt(client, user.email, PASSWORD, "203.0.113.66")  # even the right one waits
    assert slowed.status_code == 429
    assert slowed.mimetype == "application/json"  # RFC 6749 section 5.2, as every refusal
    assert slowed.json["error"] == "invalid_request"
    assert 1 <= int(slowed.headers["Retry-After"]) <= 60
    assert "Try again in" in slowed.get_json()["error_description"]
    # The owner, from their own address, is not refused.
    assert attempt(client, user.email, PASSWORD, "198.51.100.7").status_code == 200
    # Another account from the attacker's address is not affected by this account's wait.
    other = make.user(make.organisation())
    assert attempt(client, other.email, PASSWORD, "203.0.113.66").status_code == 200


def test_the_wait_grows_with_the_failures(app, client, make, monkeypatch):
    tiers = "2/minute;3/15 minutes;4/day"
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT_ACCOUNT_ADDRESS", tiers)
    connection = redis.Redis.from_url(app.config["REDIS_URL"])
    user = make.user(make.organisation())
    waits = []
    for tier in tiers.split(";"):
        failures = 0
        while attempt(client, user.email, "wrong password!").status_code == 400:
            failures += 1
        assert failures == 1 if waits else failures == 2
        waits.append(int(attempt(client, user.email, PASSWORD).headers["Retry-After"]))
        # This tier's window passing, the way Redis would see it: the longer tiers keep counting.
        for key in connection.scan_iter(f"LIMITS*/sign-in-pair/{user.email}/*/{_window(tier)}"):
            connection.delete(key)
    assert waits[0] <= 60 < waits[1] <= 15 * 60 < waits[2] <= 24 * 60 * 60


def _window(tier: str) -> str:
    """The tail of a `limits` key for one tier: `2/minute` -> `2/1/minute`."""
    from limits import parse

    item = parse(tier)
    return f"{item.amount}/{item.multiples}/{item.GRANULARITY.name}"


def test_an_account_under_attack_refuses_the_attacking_addresses_only(
    app, client, make, monkeypatch
):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT_ACCOUNT", "6/15 minutes")
    user = make.user(make.organisation())
    for n in range(6):  # a botnet: one failure from each of six addresses
        assert attempt(client, user.email, "wrong password!", f"192.0.2.{n}").status_code == 400
    assert attempt(client, user.email, "guess", "192.0.2.3").status_code == 429
    assert attempt(client, user.email, PASSWORD, "192.0.2.1").status_code == 429
    assert attempt(client, user.email, PASSWORD, "198.51.100.7").status_code == 200


def test_an_unknown_email_is_throttled_exactly_like_a_known_one(client, make):
    user = make.user(make.organisation())
    known = [attempt(client, user.email, "wrong password!").status_code for _ in range(6)]
    unknown = [
        attempt(client, "ghost@example.org", "wrong password!").status_code for _ in range(6)
    ]
    assert known == unknown == [400] * 5 + [429]


def test_many_failures_from_one_address_lock_that_address(app, client, make, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT_ADDRESS", "3/15 minutes")
    user = make.user(make.organisation())
    for n in range(3):
        attempt(client, f"someone{n}@example.org", "wrong password!", address="10.9.9.9")
    assert attempt(client, user.email, PASSWORD, address="10.9.9.9").status_code == 429
    assert attempt(client, user.email, PASSWORD, address="10.9.9.8").status_code == 200


def test_a_successful_sign_in_forgives_the_accounts_earlier_failures(client, make):
    user = make.user(make.organisation())
    for _ in range(4):
        attempt(client, user.email, "wrong password!")
    assert attempt(client, user.email, PASSWORD).status_code == 200
    for _ in range(4):
        assert attempt(client, user.email, "wrong password!").status_code == 400


def test_sign_in_still_works_while_redis_is_down(client, make, redis_server):
    user = make.user(make.organisation())
    redis_server.stop()
    try:
        assert attempt(client, user.email, PASSWORD).status_code == 200
        assert attempt(client, user.email, "wrong password!").status_code == 400
    finally:
        redis_server.start()


def _behind(client, email, password, remote, forwarded):
    return client.post(
        TOKEN,
        data={"grant_type": "password", "username": email, "password": password},
        environ_base={"REMOTE_ADDR": remote},
        headers={"X-Forwarded-For": forwarded},
    )


def test_behind_the_platforms_proxies_each_person_has_their_own_address_limit(
    app, client, make, monkeypatch
):
    from shared.client_address import networks

    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT_ADDRESS", "3/15 minutes")
    monkeypatch.setitem(app.extensions, "trusted_proxies", networks(["10.0.0.0/8"]))
    user = make.user(make.organisation())
    # nginx (10.0.0.5) in front, the portal (10.0.0.6) forwarding the person's address.
    for n in range(3):
        _behind(client, f"x{n}@example.org", "wrong password!", "10.0.0.5", "203.0.113.7, 10.0.0.6")
    assert (
        _behind(client, user.email, PASSWORD, "10.0.0.5", "203.0.113.7, 10.0.0.6").status_code
        == 429
    )
    # Someone else behind the same proxies is not locked out with them.
    assert _behind(client, user.email, PASSWORD, "10.0.0.5", "198.51.100.9").status_code == 200


def test_a_forged_forwarded_address_counts_against_the_real_one(app, client, make, monkeypatch):
    from shared.client_address import networks

    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT_ADDRESS", "3/15 minutes")
    monkeypatch.setitem(app.extensions, "trusted_proxies", networks(["10.0.0.0/8"]))
    user = make.user(make.organisation())
    # Straight from the internet, or through nginx: the header's own left part is not believed.
    for n in range(2):
        _behind(client, f"y{n}@example.org", "wrong password!", "203.0.113.66", f"192.0.2.{n}")
    _behind(client, "z@example.org", "wrong password!", "10.0.0.5", "192.0.2.9, 203.0.113.66")
    assert _behind(client, user.email, PASSWORD, "203.0.113.66", "192.0.2.50").status_code == 429
    assert _behind(client, user.email, PASSWORD, "10.0.0.5", "192.0.2.0").status_code == 200
