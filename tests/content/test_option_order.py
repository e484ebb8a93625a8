"""The order in which answer options are shown: a stable permutation that hides the content order."""

import pytest

from lernpfad.content.render import option_order


@pytest.mark.parametrize("count", [0, 1, 2, 3, 4, 5, 8])
def test_is_a_permutation(count):
    for seed in ("1:m:0", "1:m:1", "2:m:0", "x"):
        assert sorted(option_order(seed, count)) == list(range(count))


@pytest.mark.parametrize("seed", ["7:w2:0", "7:w2:12", "a:q-1"])
def test_same_seed_same_order(seed):
    assert option_order(seed, 4) == option_order(seed, 4)


def test_first_option_is_not_always_shown_first():
    """Across seeds the content's first option lands in every position, about equally often."""
    positions = [option_order(f"p:{n}", 4).index(0) for n in range(400)]
    counts = [positions.count(p) for p in range(4)]
    assert all(60 <= c <= 140 for c in counts), counts
