"""The API's interactive docs (Swagger UI at /api/docs/, Redoc at /api/redoc/) render in
Chromium under the portal's content security policy, from this host alone."""

from urllib.parse import urlparse

import pytest

# Registered before any page script runs (Playwright's init scripts are not subject to the
# page's CSP): every violation the browser reports is kept for the test to read.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture
def recorded(page, live_server):
    """Every request the page makes (anything off this host is refused and listed), console
    errors, uncaught exceptions and CSP violations."""
    host = urlparse(live_server.url).netloc
    log = {"requests": [], "off_host": [], "console_errors": [], "page_errors": []}

    def route(request_route):
        url = request_route.request.url
        log["requests"].append(url)
        parts = urlparse(url)
        if parts.scheme in {"http", "https", "ws", "wss"} and parts.netloc != host:
            log["off_host"].append(url)
            request_route.abort()
        else:
            request_route.continue_()

    page.route("**/*", route)
    page.add_init_script(RECORD_VIOLATIONS)
    page.on("console", lambda m: m.type == "error" and log["console_errors"].append(m.text))
    page.on("pageerror", lambda error: log["page_errors"].append(str(error)))
    return log


def check_clean(page, log):
    assert log["off_host"] == []
    assert page.evaluate("window.__cspViolations") == []
    assert log["console_errors"] == []
    assert log["page_errors"] == []


# serialized_rollback, as the other browser tests: a plain flush here would re-create the content
# types that the next serialized test restores (a unique-key clash).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_swagger_ui_lists_the_operations(page, live_server, recorded):
    page.goto(f"{live_server.url}/api/docs/")

    operation = page.locator('.opblock-summary-path[data-path="/api/v1/measures/"]').first
    operation.wait_for(state="visible")
    page.wait_for_load_state("networkidle")

    assert page.locator(".opblock").count() > 20
    assert "/api/schema/" in " ".join(recorded["requests"])
    check_clean(page, recorded)


# serialized_rollback, as the other browser tests: a plain flush here would re-create the content
# types that the next serialized test restores (a unique-key clash).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_redoc_lists_the_operations(page, live_server, recorded):
    page.goto(f"{live_server.url}/api/redoc/")

    # Redoc renders every operation of the schema at once: slower than Swagger UI.
    operation = page.locator("span.http-verb + span", has_text="/api/v1/measures/").first
    operation.wait_for(state="attached", timeout=30_000)
    page.wait_for_load_state("networkidle")

    assert "Something went wrong" not in page.content()
    assert page.get_by_text("KHV Strategy API").first.is_visible()
    check_clean(page, recorded)
