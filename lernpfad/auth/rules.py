"""Login throttling as a pure function (OWASP ASVS 5.0, V6.3: slow down guessing without letting
anyone lock the owner out).

Failed logins are counted per account *and* client: a browser that has signed in to this account
before carries a signed device cookie and is its own client; any other client is known by its
address. After ``free`` failures a client waits before its next try, twice as long after each
further failure, at most ``max_delay``. Besides, when clients without the account's device cookie
together fail ``ceiling`` times within the window, all of them wait until the window has passed —
browsers with the cookie (the owner's own) are never held by what others did.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class ThrottlePolicy:
    window: timedelta = timedelta(minutes=60)  # failures older than this are forgotten
    free: int = 5  # failures per client before any waiting
    base_delay: timedelta = timedelta(seconds=2)
    max_delay: timedelta = timedelta(minutes=15)
    ceiling: int = 100  # failures of all untrusted clients of one account within the window


def login_wait(
    now: datetime,
    *,
    client_failures: list[datetime],
    untrusted_failures: list[datetime],
    trusted: bool,
    policy: ThrottlePolicy,
) -> timedelta:
    """How long this client must wait before its next login attempt for this account (zero: it
    may try now). ``client_failures``: this client's recent failures for the account;
    ``untrusted_failures``: those of every client without the account's device cookie."""
    since = now - policy.window
    own = sorted(at for at in client_failures if at > since)
    wait = timedelta(0)
    if len(own) >= policy.free:
        doublings = len(own) - policy.free
        delay = min(policy.base_delay * (2 ** min(doublings, 30)), policy.max_delay)
        wait = max(wait, own[-1] + delay - now)
    if not trusted:
        others = sorted(at for at in untrusted_failures if at > since)
        if len(others) >= policy.ceiling:
            # Until enough of them have left the window for the count to drop below the ceiling.
            wait = max(wait, others[len(others) - policy.ceiling] + policy.window - now)
    return max(wait, timedelta(0))
