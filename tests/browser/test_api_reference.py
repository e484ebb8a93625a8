"""The API reference page in a real browser: Swagger UI from the vendored files renders the
generated document under the app's Content-Security-Policy, without a request elsewhere."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_reference_renders_every_operation_without_csp_violations(page):
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto("/api/v1/referenz")
    expect(page.get_by_text("Lernpfad API").first).to_be_visible()
    for path in ("/api/v1/people", "/api/v1/competence", "/api/v1/training-records/completions"):
        expect(page.get_by_text(path, exact=True).first).to_be_visible()
    assert [p for p in problems if "Content Security Policy" in p or "Refused" in p] == []
    assert problems == []
