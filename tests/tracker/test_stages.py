"""The exact rules for what a user gives: tracker URL, token, phone; and how stage codes are named."""

import pytest

from tracker import order_stages

REAL = "https://api.dominos.com.my/api/GPSTracker/CartId/"


@pytest.mark.parametrize("url", [f"{REAL}1", f"{REAL}20260401123456"])
def test_the_real_tracker_url_is_accepted_with_its_digits(url):
    assert order_stages.cart_id(url) == url.rsplit("/", 1)[1]


@pytest.mark.parametrize(
    "url",
    [
        f"{REAL}",  # no digits
        f"{REAL}12a",  # not digits only
        f"{REAL}12/",  # something after them
        f"{REAL}12?x=1",
        f"{REAL}١٢",  # other digits than 0-9
        "http://api.dominos.com.my/api/GPSTracker/CartId/12",  # not https
        "https://apiXdominos.com.my/api/GPSTracker/CartId/12",  # a dot is a dot
        "https://api.dominos.com.myXapi/GPSTracker/CartId/12",
        "https://api.dominos.com.my.evil.example/api/GPSTracker/CartId/12",
        f"https://evil.example/?{REAL}12",  # unanchored at the start
        f" {REAL}12",
        f"{REAL}12\n",
        "",
        f"{REAL}{'1' * 31}",
    ],
)
def test_anything_else_is_refused(url):
    assert order_stages.cart_id(url) is None


def test_the_sandbox_urls_are_accepted_on_the_laptop_stages_only(settings):
    sandbox = f"{settings.SANDBOX_BASE_URL}/tracker/api/GPSTracker/CartId/123"
    assert order_stages.cart_id(sandbox) == "123"

    settings.ON_LAPTOP = False
    assert order_stages.cart_id(sandbox) is None
    assert order_stages.cart_id(f"{REAL}123") == "123"


@pytest.mark.parametrize("phone", ["+60123456789", "+14155550100", "+4915112345678"])
def test_e164_phones_are_accepted(phone):
    assert order_stages.phone_ok(phone)


@pytest.mark.parametrize(
    "phone", ["60123456789", "+0123456789", "+60 12345", "+6012345678901234", "+601234a678", ""]
)
def test_other_phones_are_refused(phone):
    assert not order_stages.phone_ok(phone)


@pytest.mark.parametrize("token", ["Bearer abc.DEF-123_~+/=", "Bearer x"])
def test_bearer_tokens_are_accepted(token):
    assert order_stages.token_ok(token)


@pytest.mark.parametrize(
    "token",
    ["abc", "Bearer ", "Bearer a b", "bearer abc", "Bearer abc\n", "Bearer é", "Bearer " + "a" * 4000],
)
def test_other_tokens_are_refused(token):
    assert not order_stages.token_ok(token)


def test_known_codes_have_names_and_unknown_ones_are_kept_verbatim():
    assert order_stages.label("DL") == "Out for delivery"
    assert order_stages.label("CP") == "Completed"
    assert order_stages.label("PC") == "In progress"
    assert order_stages.label("BK") == "BK"


def test_phones_are_masked_for_the_admin_list():
    assert order_stages.mask_phone("+60123456789") == "+60•••••6789"
