"""Ordinary words and figures are never broken across lines, on a desktop and on a phone, and the
navigation fits (issue 23, item 1); a word longer than the screen still wraps (test_routines_today)."""

from datetime import UTC, datetime

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ALICE_PASSWORD = "alice-Pass-2026!"  # tests/conftest.py's alice
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

# Every word (up to 24 characters; a longer token may break) whose letters sit on more than one line.
BROKEN_WORDS_JS = """() => {
  const broken = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const parent = node.parentElement;
    if (!parent || parent.closest("svg, script, style, details:not([open]) > :not(summary)")) continue;
    if (!parent.getClientRects().length) continue;  // not displayed
    const words = /\\S+/g;
    let match;
    while ((match = words.exec(node.data))) {
      if (match[0].length > 24) continue;
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.bottom)));
      if (lines.size > 1) broken.push(match[0]);
    }
  }
  return broken;
}"""


@pytest.fixture
def content(alice, aws):
    """What the issue saw broken: prices with cents, a routine's Rename buttons, a fetch history."""
    from countries.models import FetchAttempt, FetchRequest
    from prices.services import prices_demo_load
    from routines.services import routine_create
    from tests.routines.factories import MORNING_ITEMS

    prices_demo_load(owner=alice)
    routine = routine_create(owner=alice, name="Morning", items=MORNING_ITEMS)
    moment = datetime(2026, 12, 7, 18, 18, 47, tzinfo=UTC)
    fetch = FetchRequest.objects.create(code="PY", owner=alice, created_at=moment, status="failed")
    FetchAttempt.objects.create(
        request=fetch, code="PY", started_at=moment, duration_ms=1234, error="Timed out"
    )
    return ["/", "/prices/", f"/routines/{routine.pk}/edit/", "/countries/", "/countries/PY/", "/scraper/"]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_no_word_or_price_breaks_and_the_page_fits_the_screen(new_page, log_in, content, viewport):
    page = new_page(viewport=viewport)
    log_in(page, "alice", ALICE_PASSWORD)
    broken, widths = {}, {}
    for path in content:
        page.goto(path)
        broken[path] = page.evaluate(BROKEN_WORDS_JS)
        widths[path] = page.evaluate("document.documentElement.scrollWidth")
    assert broken == dict.fromkeys(content, [])
    assert widths == dict.fromkeys(content, viewport["width"])


def test_the_signed_in_navigation_is_one_row_at_1280_px(new_page, log_in, alice):
    page = new_page(viewport=DESKTOP)
    log_in(page, "alice", ALICE_PASSWORD)
    page.goto("/")
    links = page.locator("nav.nav a, nav.nav .who, nav.nav button")
    boxes = [links.nth(i).bounding_box() for i in range(links.count())]
    assert len(boxes) >= 9  # the brand, six apps, the user's name, profile, token, log out
    assert max(b["y"] for b in boxes) < min(b["y"] + b["height"] for b in boxes), (
        "the navigation takes two rows"
    )
    assert max(b["height"] for b in boxes) < 30, "a link of the navigation wraps"


def test_on_a_phone_every_navigation_link_is_whole_and_tappable(new_page, log_in, alice):
    page = new_page(viewport=PHONE, has_touch=True)
    log_in(page, "alice", ALICE_PASSWORD)
    page.goto("/")
    links = page.locator("nav.nav .nav-links a")
    assert links.count() >= 5
    for i in range(links.count()):
        box = links.nth(i).bounding_box()
        assert box["height"] < 30, links.nth(i).inner_text()
        assert box["x"] + box["width"] <= PHONE["width"], links.nth(i).inner_text()
    assert page.evaluate(BROKEN_WORDS_JS) == []
