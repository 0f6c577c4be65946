"""The navigation bar in Chromium: whoever signs in, at every desktop width, every item of the
bar is on the screen and the search box is wide enough to type in (an administrator's bar ran
off a 1366-pixel screen: "Выйти" cut off, the search box squeezed to a sliver); a narrower
screen folds the bar behind the menu button."""

import pytest

from accounts.models import Role
from tests.browser.conftest import sign_in
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WIDTHS = [992, 1280, 1366, 1920]
# Interactive items of the bar, as a person sees them.
ITEMS = "nav.navbar a:visible, nav.navbar button:visible, nav.navbar input:visible"


def overflowing_items(page, width):
    """The items of the bar that stick out of a `width`-pixel screen, and the search box's
    width."""
    boxes = page.eval_on_selector_all(
        ITEMS.replace(":visible", ""),
        """items => items.filter(i => i.offsetParent !== null).map(i => {
            const box = i.getBoundingClientRect();
            return [i.textContent.trim() || i.getAttribute('aria-label') || i.name, box.left,
                    box.right];
        })""",
    )
    outside = [name for name, left, right in boxes if left < 0 or right > width + 0.5]
    search = page.locator("#nav-search input")
    search_width = search.bounding_box()["width"] if search.is_visible() else None
    return outside, search_width


@pytest.mark.parametrize("role", [Role.VIEWER, Role.EDITOR, Role.HEAD, Role.ADMINISTRATOR])
def test_the_bar_fits_every_desktop_width(browser, live_server, role):
    department = None if role == Role.ADMINISTRATOR else DepartmentFactory(short_name="УМиМС")
    user = UserFactory(
        username="user", last_name="Константинопольская", first_name="Анастасия",
        department=department, role=role,
    )  # fmt: skip
    for width in WIDTHS:
        context = browser.new_context(locale="ru-RU", viewport={"width": width, "height": 800})
        page = sign_in(context.new_page(), live_server.url, user)
        toggler = page.locator("nav .navbar-toggler")
        if toggler.is_visible():
            toggler.click()
            page.locator("#main-nav.show").wait_for()
        outside, search_width = overflowing_items(page, width)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        context.close()

        assert outside == [], f"{role} at {width}px: {outside}"
        assert scroll_width <= width, f"{role} at {width}px: the page is {scroll_width}px wide"
        assert search_width and search_width >= 120, f"{role} at {width}px: {search_width}"
