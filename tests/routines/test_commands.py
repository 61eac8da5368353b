"""load_sample_routines, the demo hook and the admin pages."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from routines.demo import load_demo
from routines.models import Routine


def test_loading_samples_twice_creates_them_once_and_says_so(alice, capsys):
    call_command("load_sample_routines", "--user", "alice")
    call_command("load_sample_routines", "--user", "alice")

    lines = capsys.readouterr().out.strip().splitlines()
    assert lines == [
        "Loaded 4 sample routines, 0 already present for alice.",
        "Loaded 0 sample routines, 4 already present for alice.",
    ]
    assert Routine.objects.filter(owner=alice).count() == 4


def test_an_unknown_user_is_one_line_and_a_failure(db):
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        call_command("load_sample_routines", "--user", "nobody")


def test_the_demo_hook_loads_the_same_samples(alice):
    assert load_demo(user=alice) == (
        "Loaded 4 sample routines, 0 already present. Bedtime reminds at 21:00 by email."
    )
    assert Routine.objects.get(owner=alice, name="Morning").items.count() == 7
    assert load_demo(user=alice) == "Loaded 0 sample routines, 4 already present."


def test_load_demo_gives_the_demo_user_the_routines(db, aws, capsys):
    call_command("load_demo")
    assert "routines: Loaded 4 sample routines" in capsys.readouterr().out
    demo = get_user_model().objects.get(username="demo")
    assert Routine.objects.filter(owner=demo).count() == 4


def test_the_admin_lists_routines_with_items_inline(aws, alice, morning, admin_client):
    assert "Morning" in admin_client.get("/admin/routines/routine/", {"q": "morn"}).content.decode()
    assert admin_client.get("/admin/routines/routine/", {"owner__id__exact": alice.pk}).status_code == 200
    change = admin_client.get(f"/admin/routines/routine/{morning.pk}/change/").content.decode()
    assert "Get badge" in change
    assert admin_client.get("/admin/routines/routineday/").status_code == 200
