"""How the suite is ordered and split over the xdist workers (tests/conftest.py): a walk module keeps
its order and stays in one piece, and the costly groups are per module where two workers can share them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import restore_file_order


@dataclass
class Item:
    path: Path
    line: int
    walk: bool = True
    markers: dict = field(default_factory=dict)

    @property
    def location(self):
        return (str(self.path), self.line, "")

    def get_closest_marker(self, name):
        return name == "in_file_order" and self.walk or None


def _module(name, count, *, walk=True):
    return [Item(Path(f"tests/deploy/{name}.py"), line, walk) for line in range(count)]


def test_a_walk_module_after_a_shorter_one_stays_in_one_piece_and_in_file_order():
    long_walk, short_walk = _module("test_deploy", 10), _module("test_template", 3)
    others = _module("test_other", 4, walk=False)
    # As a shuffle may leave them: the short walk first, each module's tests in random order.
    items = [*others[:2], *reversed(short_walk), *others[2:], *reversed(long_walk)]

    restore_file_order(items)

    assert items[2:5] == short_walk
    assert items[7:] == long_walk
    assert items[:2] + items[5:7] == others


def test_a_module_that_is_not_a_walk_keeps_its_shuffled_order():
    shuffled = list(reversed(_module("test_other", 5, walk=False)))
    items = list(shuffled)

    restore_file_order(items)

    assert items == shuffled


@pytest.mark.parametrize(
    ("node", "group"),
    [
        ("tests/e2e/test_routines_today.py::test_x", "browser:test_routines_today.py"),
        ("tests/deploy/test_deploy.py::test_x", "deploy:test_deploy.py"),
        ("tests/lambda/test_package.py::test_x", "package"),
    ],
)
def test_browser_and_deploy_modules_are_groups_of_their_own_and_the_packaged_tests_one(node, group):
    """Two workers share the browser modules and the deploy walks; a module never splits."""
    from tests.conftest import xdist_group_of

    assert xdist_group_of(node) == group


def test_the_scheduler_sees_each_tests_group_in_its_node_id():
    """pytest-xdist's loadgroup hands out work by the ``@group`` suffix of node ids: a deploy walk and the
    packaged tests each go to one worker whole (a walk spread over workers deployed once per worker)."""
    import subprocess
    import sys

    from tests.core.test_lazy_imports import ROOT

    listed = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:randomly", "-n", "1"]
        + ["--dist", "loadgroup", "tests/deploy/test_deploy.py", "tests/lambda/test_package.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    ).stdout.splitlines()
    ids = [line for line in listed if "::" in line]

    assert len(ids) > 20
    assert {line.split("@", 1)[-1] for line in ids} == {"deploy:test_deploy.py", "package"}
