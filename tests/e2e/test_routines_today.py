"""Alice ticks items on Today in a real browser; they stay ticked after a reload."""

import pytest

pytestmark = pytest.mark.e2e

ALICE_PASSWORD = "alice-Pass-2026!"  # tests/conftest.py's alice
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def morning(alice):
    from routines.services import routine_create
    from tests.routines.factories import MORNING_ITEMS

    return routine_create(owner=alice, name="Morning", items=MORNING_ITEMS)


def test_alice_ticks_two_items_on_a_phone_and_they_survive_a_reload(new_page, log_in, alice, morning):
    from playwright.sync_api import expect

    page = new_page(viewport=PHONE, has_touch=True)
    log_in(page, "alice", ALICE_PASSWORD)
    page.goto("/routines/")
    card = page.locator(f"#routine-{morning.pk}")
    counter = card.get_by_test_id(f"counter-{morning.pk}")
    expect(counter).to_have_text("0/7 done")
    expect(card.get_by_role("button", name="Save")).to_be_hidden()  # JavaScript saves each tick

    card.get_by_label("Shower").check()
    expect(counter).to_have_text("1/7 done")
    card.get_by_label("Take pills").check()
    expect(counter).to_have_text("2/7 done")
    page.reload()

    card = page.locator(f"#routine-{morning.pk}")
    expect(card.get_by_label("Shower")).to_be_checked()
    expect(card.get_by_label("Take pills")).to_be_checked()
    expect(card.get_by_label("Get dressed")).not_to_be_checked()
    expect(card.get_by_test_id(f"counter-{morning.pk}")).to_have_text("2/7 done")


def test_without_javascript_the_checklist_is_a_form(new_page, log_in, alice, morning):
    from playwright.sync_api import expect

    page = new_page(java_script_enabled=False)
    log_in(page, "alice", ALICE_PASSWORD)
    page.goto("/routines/")
    card = page.locator(f"#routine-{morning.pk}")

    card.get_by_label("Make coffee").check()
    card.get_by_label("Get badge").check()
    card.get_by_role("button", name="Save").click()

    expect(page.get_by_role("status")).to_contain_text("Saved Morning: 2/7 done.")
    card = page.locator(f"#routine-{morning.pk}")
    expect(card.get_by_label("Make coffee")).to_be_checked()
    expect(card.get_by_test_id(f"counter-{morning.pk}")).to_have_text("2/7 done")


LONG_WORD = "Supercalifragilisticexpialidocious" * 3  # 102 letters, no break opportunity


def test_long_words_never_widen_the_phone_layout(new_page, log_in, alice):
    from routines.services import routine_create

    routine = routine_create(
        owner=alice, name=LONG_WORD[:100], description=LONG_WORD * 5, items=[LONG_WORD, "Short"]
    )
    page = new_page(viewport=PHONE, has_touch=True)
    log_in(page, "alice", ALICE_PASSWORD)

    widths = {}
    for path in (
        "/routines/",
        f"/routines/{routine.pk}/edit/",
        f"/routines/{routine.pk}/history/",
        f"/routines/{routine.pk}/reorder/",
        f"/routines/{routine.pk}/delete/",
    ):
        page.goto(path)
        widths[path] = page.evaluate("document.documentElement.scrollWidth")

    assert widths == dict.fromkeys(widths, PHONE["width"])
