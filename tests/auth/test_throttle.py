"""Login throttling per account and client (auth/rules.py), table-driven."""

from datetime import UTC, datetime, timedelta

import pytest

from lernpfad.auth.rules import ThrottlePolicy, login_wait

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
POLICY = ThrottlePolicy()


def ago(*seconds):
    return [NOW - timedelta(seconds=s) for s in seconds]


@pytest.mark.parametrize(
    ("client", "untrusted", "trusted", "wait"),
    [
        ([], [], False, 0),
        (ago(50, 40, 30, 20), [], False, 0),  # four failures: no wait
        (ago(50, 40, 30, 20, 1), [], False, 1),  # fifth: 2 s after the last one
        (ago(50, 40, 30, 20, 3), [], False, 0),  # … which has passed
        (ago(60, 50, 40, 30, 20, 1), [], False, 3),  # sixth: 4 s after the last
        (ago(*range(100, 110)), [], False, 64 - 100),  # tenth: 64 s, passed after 100 s
        (ago(*range(10, 20)), [], False, 54),  # 64 s after the one 10 s ago
        (ago(*range(1, 21)), [], False, 899),  # capped at 15 minutes
        (ago(*range(3601, 3621)), [], False, 0),  # all outside the window
        ([], ago(*range(100, 200)), False, 3600 - 199),  # 100 untrusted failures: the ceiling
        ([], ago(*range(100, 199)), False, 0),  # 99: below it
        ([], ago(*range(100, 200)), True, 0),  # the owner's browser is never held by others
        (ago(1, 2, 3, 4, 5), ago(*range(100, 200)), True, 0 + 2 - 1),  # but by its own failures
    ],
)
def test_login_wait(client, untrusted, trusted, wait):
    result = login_wait(
        NOW,
        client_failures=client,
        untrusted_failures=untrusted,
        trusted=trusted,
        policy=POLICY,
    )
    assert result == timedelta(seconds=max(wait, 0))


def test_delays_grow_monotonically_up_to_the_cap():
    waits = [
        login_wait(
            NOW, client_failures=ago(*range(n)), untrusted_failures=[], trusted=False, policy=POLICY
        )
        for n in range(1, 40)
    ]
    assert waits == sorted(waits)
    assert waits[-1] == POLICY.max_delay
