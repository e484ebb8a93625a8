"""The demo company's names (issue 13): unique and deterministic for any number of staff; the
search always ends, also long after the 54 × 54 common combinations are taken."""

import random
import re

import pytest

from lernpfad.people.demo import (
    FIRST_NAMES,
    LAST_NAMES,
    WOMENS_FIRST_NAMES,
    email_local_part,
    unique_email,
    unique_name,
)

ADDRESS = re.compile(r"^[a-z]+(-[a-z]+)*(\.[a-z]+(-[a-z]+)*)+\d*@muster\.example$")


def company(seed: int, size: int) -> list[tuple[str, str, str]]:
    rng, names, emails = random.Random(seed), set(), set()
    people = []
    for _ in range(size):
        first, name = unique_name(rng, names)
        people.append((first, name, unique_email(name, emails)))
    return people


@pytest.fixture(scope="module")
def large():
    return company(4, 25_000)


def test_names_and_addresses_are_unique_far_beyond_the_common_pool(large):
    assert len(large) > len(FIRST_NAMES) * len(LAST_NAMES) * 8
    assert len({name for _first, name, _email in large}) == len(large)
    assert len({email for *_rest, email in large}) == len(large)
    assert all(ADDRESS.match(email) for *_rest, email in large), [
        email for *_rest, email in large if not ADDRESS.match(email)
    ][:5]


def test_the_same_seed_gives_the_same_people_and_another_seed_others(large):
    assert company(4, 25_000) == large
    assert company(5, 200) != large[:200]


def test_the_common_names_come_first_and_the_wider_ones_when_they_run_out(large):
    common = {f"{f} {last}" for f in FIRST_NAMES for last in LAST_NAMES}
    assert all(name in common for _first, name, _email in large[:100])
    late = large[-1000:]
    assert sum(name not in common for _first, name, _email in late) > 900
    # Some with two first names and some with a middle initial, none with an absurd length.
    words = [len(name.split()) for _first, name, _email in large]
    assert max(words) == 3 and words.count(3) > 0
    assert max(len(name) for _first, name, _email in large) < 60


def test_two_first_names_are_of_one_gender_and_the_first_decides_the_job_title(large):
    for first, name, _email in large:
        given = name.split()[:-1]
        assert given[0] == first
        if len(given) == 2 and not given[1].endswith("."):
            assert (given[0] in WOMENS_FIRST_NAMES) == (given[1] in WOMENS_FIRST_NAMES), name


def test_a_taken_address_gets_a_number_and_umlauts_are_spelled_out():
    taken = {"anna.schmidt@muster.example"}
    assert unique_email("Anna Schmidt", taken) == "anna.schmidt2@muster.example"
    assert unique_email("Anna Schmidt", taken) == "anna.schmidt3@muster.example"
    assert email_local_part("Jürgen M. Weiß") == "juergen.m.weiss"
    assert email_local_part("Björn Köhler") == "bjoern.koehler"


class EveryPlainNameTaken(set):
    """Names taken so far; every name without a middle initial counts as taken too."""

    def __contains__(self, name):
        return ". " not in name or super().__contains__(name)


def test_the_search_ends_with_a_middle_initial_when_every_drawn_name_is_taken():
    rng, taken = random.Random(1), EveryPlainNameTaken()
    found = [unique_name(rng, taken) for _ in range(60)]
    assert len({name for _first, name in found}) == 60
    for first, name in found:
        assert re.fullmatch(rf"{first} [A-Z]\. \S+", name), name
