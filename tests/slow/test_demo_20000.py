"""The demo company at 20,000 staff (issue 13): the checks of tests/test_demo_scale.py on a
company built with `lernpfad demo --staff 20000`'s generator (a few minutes on SQLite)."""

import pytest

from tests import test_demo_scale
from tests.test_demo_scale import (  # noqa: F401  (collected here again, on the larger company)
    large,
    test_each_department_has_champions_who_review_its_hand_ins,
    test_every_person_is_there_once_and_every_department_is_staffed,
    test_no_work_before_the_assessment,
    test_the_small_companys_proportions_hold,
    test_use_cases_grow_with_the_departments_but_slower,
)

pytestmark = pytest.mark.slow

STAFF = 20_000


@pytest.fixture(scope="module")
def company(tmp_path_factory):
    built = test_demo_scale.build(tmp_path_factory.mktemp("demo-20000"), STAFF)
    yield test_demo_scale.Company(built, STAFF)
    with built.app_context():
        test_demo_scale.db.engine.dispose()
