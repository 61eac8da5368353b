"""What the Lambda zip may hold, checked on the packaging step itself (core/deploy/packaging_zip.py),
without building the whole zip: a checkout in which the product ran (its database in WAL mode, the
emulator's journal, a ``.env``, tool caches and stray files), zipped as Zappa zips a project folder
(its own exclude list from zappa_settings.json) with dependencies beside it, then rewritten as the
``zip`` callback rewrites it.

The full zip (tests/lambda/test_package.py) runs the same callback on the real build.
"""

from __future__ import annotations

import fnmatch
import json
import shutil
import sqlite3
import subprocess
import zipfile
from pathlib import Path

import pytest

from core.deploy import guards
from core.deploy.packaging_zip import LocalDataRefused, rewrite

ROOT = Path(__file__).resolve().parents[2]
TRACKED = {
    "manage.py": "print('manage')\n",
    "config/__init__.py": "",
    "config/settings.py": "DEBUG = False\n",
    "prices/__init__.py": "",
    "prices/models.py": "PRICES = 1\n",
    "prices/sandbox/data/ny-gas-prices.json.gz": "gz",
    "prices/static/prices/prices.css": "body {}\n",
    "templates/base.html": "<html></html>\n",
}
DEPENDENCIES = {"django/__init__.py": "", "requests-2.0.dist-info/METADATA": "Name: requests\n"}
ZAPPA = {"handler.py": "# zappa\n", "zappa_settings.py": "API_STAGE = 'dev'\n"}


def _git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True)


@pytest.fixture
def checkout(tmp_path):
    """A git checkout of the product's shape (the real .gitignore) in which the product ran."""
    folder = tmp_path / "checkout"
    for name, text in TRACKED.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    shutil.copy(ROOT / ".gitignore", folder / ".gitignore")
    _git(folder, "init", "-q")
    _git(folder, "add", "-A")
    _git(folder, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "the product")
    # What `make run` leaves: the database in WAL mode (WAL and SHM beside it while it is open),
    # the emulator's journal and an orphaned one, secrets, caches and a stray local file.
    database = sqlite3.connect(folder / "db.sqlite3")
    database.execute("PRAGMA journal_mode=WAL")
    database.execute("CREATE TABLE users (name TEXT, password TEXT)")
    database.execute("INSERT INTO users VALUES ('alice', 'pbkdf2_sha256$secret')")
    database.commit()
    assert (folder / "db.sqlite3-wal").exists()
    assert (folder / "db.sqlite3-shm").exists()
    (folder / "db.sqlite3.aws-journal").write_text("PutItem ...")
    (folder / "db.sqlite3.aws-journal.orphaned").write_text("PutItem ...")
    (folder / ".env").write_text("SECRET_KEY=laptop\n")
    (folder / ".mypy_cache").mkdir()
    (folder / ".mypy_cache" / "cache.json").write_text("{}")
    (folder / "staticfiles" / "prices").mkdir(parents=True)  # collectstatic's output (make package)
    (folder / "staticfiles" / "prices" / "prices.0123abcd.css").write_text("body {}\n")
    (folder / ".env.production").write_text("SECRET_KEY=prod\n")
    (folder / "prices" / "cache.db").write_text("local")
    (folder / "notes-local.txt").write_text("phones of the demo orders")
    (folder / "prices" / "scratch.py").write_text("SCRATCH = 1\n")
    (folder / "prices" / "__pycache__").mkdir()
    (folder / "prices" / "__pycache__" / "models.cpython-311.pyc").write_bytes(b"stale")
    yield folder
    database.close()


def _zappa_zip(folder: Path, destination: Path) -> Path:
    """The project folder as Zappa zips it (its exclude list, matched on names as Zappa's
    shutil.ignore_patterns does), with dependencies and Zappa's own files at the top."""
    excludes = json.loads((ROOT / "zappa_settings.json").read_text())["base"]["exclude"]
    with zipfile.ZipFile(destination, "w") as archive:
        for path in sorted(folder.rglob("*")):
            relative = path.relative_to(folder)
            if ".git" in relative.parts or not path.is_file():
                continue
            if any(fnmatch.fnmatch(part, pattern) for part in relative.parts for pattern in excludes):
                continue
            archive.write(path, relative.as_posix())
        for name, text in {**DEPENDENCIES, **ZAPPA}.items():
            archive.writestr(name, text)
    return destination


def _names(zip_path: Path) -> set[str]:
    with zipfile.ZipFile(zip_path) as archive:
        return set(archive.namelist())


def test_a_package_built_where_the_product_ran_holds_only_code_templates_static_files_and_dependencies(
    checkout, tmp_path
):
    built = _zappa_zip(checkout, tmp_path / "dev.zip")
    # what Zappa's own exclude list lets through
    assert {".env.production", "prices/cache.db", "notes-local.txt", "prices/scratch.py"} <= _names(built)

    rewrite(built, project_dir=checkout, dependencies={"django", "requests-2.0.dist-info"})

    names = _names(built)
    project = {
        name for name in names if name.split("/", 1)[0] in {"manage.py", "config", "prices", "templates"}
    }
    bytecode = {name for name in project if "__pycache__/" in name}
    # The checkout's files (app static copies are Zappa's exclude: collectstatic's copy ships; the
    # sandboxes' recorded data is the laptop's only, and Zappa's exclude too)
    assert project - bytecode == set(TRACKED) - {
        "prices/static/prices/prices.css",
        "prices/sandbox/data/ny-gas-prices.json.gz",
    }
    assert all(name.endswith(".cpython-311.pyc") for name in bytecode)  # compiled afresh
    assert b"stale" not in zipfile.ZipFile(built).read(sorted(bytecode)[0])
    others = {
        name.removesuffix("c") if name.endswith(".pyc") else name
        for name in names - project
        if not name.startswith("__pycache__/")  # the bytecode of top-level modules
    }
    # dependencies ship sourceless bytecode (django/__init__.pyc for its .py)
    assert others == set(DEPENDENCIES) | set(ZAPPA) | {"staticfiles/prices/prices.0123abcd.css"}
    for leftover in ("db.sqlite3", ".env", "cache.db", "notes-local", "scratch"):
        assert not [name for name in names if name.split("/")[-1].startswith(leftover)], leftover


def test_a_local_data_file_in_git_fails_the_build(checkout, tmp_path):
    _git(checkout, "add", "-f", ".env.production", "prices/cache.db")
    built = _zappa_zip(checkout, tmp_path / "dev.zip")

    with pytest.raises(LocalDataRefused, match=r"would hold local data: \.env\.production, prices/cache\.db"):
        rewrite(built, project_dir=checkout, dependencies={"django", "requests-2.0.dist-info"})


def test_a_folder_that_is_not_a_checkout_is_not_packaged(tmp_path):
    folder = tmp_path / "not-a-checkout"
    folder.mkdir()
    (folder / "manage.py").write_text("")
    built = _zappa_zip(folder, tmp_path / "dev.zip")

    with pytest.raises(LocalDataRefused, match="not a git checkout"):
        rewrite(built, project_dir=folder, dependencies=set())


def test_deploying_a_zip_that_holds_local_data_is_refused(tmp_path):
    built = tmp_path / "elsewhere.zip"
    with zipfile.ZipFile(built, "w") as archive:
        archive.writestr("handler.py", "")
        archive.writestr("db.sqlite3-wal", "users")

    with pytest.raises(guards.PackageRefused, match="holds local data"):
        guards.check_zip(built, runtime="python3.13")


def test_pruning_drops_unused_database_backends_contrib_apps_translation_sources_and_compiled_twins(tmp_path):
    from core.deploy.packaging_zip import prune

    kept = [
        "django/db/backends/postgresql/base.py",
        "django/db/backends/sqlite3/base.py",
        "django/contrib/admin/options.py",
        "django/contrib/postgres/fields/array.py",
        "django/conf/locale/en/LC_MESSAGES/django.mo",
        "charset_normalizer/md.py",
        "charset_normalizer/cd.py",
    ]
    dropped = [
        "django/db/backends/mysql/base.py",
        "django/db/backends/oracle/base.py",
        "django/contrib/flatpages/models.py",
        "django/contrib/humanize/templatetags/humanize.py",
        "django/conf/locale/en/LC_MESSAGES/django.po",
        "django/contrib/admin/locale/en/LC_MESSAGES/djangojs.po",
        "charset_normalizer/md.cpython-313-x86_64-linux-gnu.so",
        "charset_normalizer/cd.cpython-313-x86_64-linux-gnu.so",
    ]
    for name in kept + dropped:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")

    prune(tmp_path)

    assert [name for name in kept if not (tmp_path / name).exists()] == []
    assert [name for name in dropped if (tmp_path / name).exists()] == []
