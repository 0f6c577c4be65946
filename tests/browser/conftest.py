"""Playwright driving Debian's Chromium against pytest-django's live server.

Playwright cannot download its own browser on these machines; `make test` installs the
`chromium` package and the tests find it on PATH.
"""

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# around it are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "secret-pass-123"  # every factory user's (tests.factories.UserFactory)
RESULTS_DIR = Path(__file__).resolve().parents[2] / "test-results"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items):
    """Every browser test is marked `browser` and runs on a transactional database restored
    from its serialized copy (`serialized_rollback`). A test that flushes without it (a plain
    `transaction=True`, or the live server's own) has post_migrate recreate the content types,
    and the next serialized test on the same worker fails to load its copy over them: which
    tests meet on a worker changes as the suite grows, so the rule is kept here, for all."""
    for item in items:
        if "tests/browser/" not in str(item.fspath):
            continue
        item.add_marker(pytest.mark.browser)
        marker = item.get_closest_marker("django_db")
        if marker is None:
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))
        elif not marker.kwargs.get("serialized_rollback"):
            raise pytest.UsageError(
                f"{item.nodeid}: a browser test's database needs serialized_rollback=True"
            )


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.fail("Debian's chromium is not installed; `make test` installs it with apt-get.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def login(page, live_server):
    """login(user) signs in through the real login form; every user's password is the factory's."""

    def sign_in_here(user, password=PASSWORD):
        return sign_in(page, live_server.url, user, password)

    return sign_in_here


def sign_in(page, base_url, user, password=PASSWORD):
    """Sign `user` in on `page` through the real login form."""
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.click("button[type=submit]:has-text('Войти')")
    page.wait_for_load_state("networkidle")
    return page


@pytest.fixture
def screenshot(page):
    """screenshot(name) keeps a PNG under test-results/ (kept by CI as an artifact)."""

    def take(name):
        RESULTS_DIR.mkdir(exist_ok=True)
        path = RESULTS_DIR / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


AXE_SOURCE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.1 A and AA; what the portal must not have (axe's impact levels).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_BLOCKING = {"serious", "critical"}


@pytest.fixture
def axe(page):
    """axe() runs axe-core (the npm package, read from node_modules: no request leaves the
    host) on the page as it is and returns the serious and critical WCAG 2.1 AA violations as
    [(rule, impact, [target, ...])]. Playwright's evaluate is not an inline script, so the
    page's CSP stays as it is."""
    source = AXE_SOURCE.read_text(encoding="utf-8")

    def run():
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(source)
        result = page.evaluate(
            "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
        )
        return [
            (v["id"], v["impact"], [node["target"] for node in v["nodes"]][:5])
            for v in result["violations"]
            if v["impact"] in AXE_BLOCKING
        ]

    return run
