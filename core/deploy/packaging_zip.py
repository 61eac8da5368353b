"""Rewrite the zip ``zappa package`` built: only the checkout's files and the dependencies, nothing
Lambda never runs, fresh bytecode.

Runs as Zappa's ``callbacks.zip`` (Zappa loads this file by path, in its own process: standard
library only) and as ``python core/deploy/packaging_zip.py ZIP``. Why each step:

* Zappa copies the whole project folder (minus its exclude list), so whatever the working tree
  holds went in: after ``make run``, ``db.sqlite3-wal`` (1.7 MB of users, password hashes, tokens,
  phones and orders) and ``db.sqlite3-shm``. The project's part of the zip is now an allow-list:
  the files git tracks (``git ls-files``: a new module ships once it is added), the files Zappa
  writes itself and ``collectstatic``'s output;
  everything else at the top of the zip must be an installed dependency (a name in the packaging
  virtualenv's site-packages) or it is left out. Then the build FAILS if any path still looks like
  local data (a database, its WAL/SHM/journal, the emulator's journal, ``.env``): that can only be
  a file someone committed, or a dependency shipping one (``LOCAL_DATA``).

* Zappa writes every entry dated 1980-01-01, so any ``.pyc`` it ships is judged stale after unzip
  and every module is recompiled on every cold start (its ``__pycache__/*`` exclude never matches).
  All ``.pyc`` are dropped and the tree is compiled with ``--invalidation-mode unchecked-hash``,
  which Python trusts without comparing timestamps (FACTS: 1112 ms -> 422 ms to first response).
* Packages only the ``zappa`` CLI uses at deploy time (troposphere, cfn-flip, click, tqdm, pip, ...)
  are never imported by the handler.
* Translations other than English: the product is English-only (LANGUAGE_CODE en-us, no
  LocaleMiddleware); Django's ~11 MB of locale files would otherwise ship.
* Static files ship once, as ``collectstatic`` wrote them to ``staticfiles/`` (the app copies are
  excluded in zappa_settings.json); whitenoise's precompressed ``.gz``/``.br`` twins are dropped
  (API Gateway would have to base64 them anyway) and so are unhashed originals the manifest maps
  to hashed names (``{% static %}`` only ever links the hashed one).
"""

from __future__ import annotations

import compileall
import fnmatch
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path
from py_compile import PycInvalidationMode

# Written into the zip by Zappa itself (its handler, its settings module, the Django shim, build info).
ZAPPA_FILES = frozenset({"handler.py", "django_zappa_app.py", "zappa_settings.py", "package_info.json"})
# Written by ``make package`` before Zappa runs (collectstatic's output, ignored by git).
GENERATED = frozenset({"staticfiles"})
# Names of what a laptop leaves in a checkout and must never ship (matched against every path part).
LOCAL_DATA = (
    "*.sqlite3",
    "*.sqlite3-*",
    "*.sqlite",
    "*.db",
    "*-wal",
    "*-shm",
    "*-journal",
    "*.aws-journal",
    "*.aws-journal.*",
    "local-aws.journal",
    "*.orphaned",
    ".env",
    ".env.*",
)


class LocalDataRefused(RuntimeError):
    """The package would hold local data (or was not built from a checkout); one sentence."""


def checkout_files(project_dir: Path) -> set[str]:
    """The checkout's tracked files (relative, '/'): a new module ships once it is ``git add``-ed."""
    try:
        listed = subprocess.run(
            ["git", "-C", str(project_dir), "ls-files", "-z", "--cached"],
            capture_output=True,
            check=True,
            timeout=60,
        ).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        raise LocalDataRefused(
            f"{project_dir} is not a git checkout (git ls-files failed): the package is built from "
            "the checkout's files only, never from whatever a folder holds."
        ) from exc
    return {name for name in listed.decode().split("\0") if name}


def installed_names() -> set[str]:
    """What the running interpreter's site-packages hold (Zappa runs inside the packaging
    virtualenv and copies its site-packages to the top of the zip)."""
    names: set[str] = set()
    for key in ("purelib", "platlib"):
        folder = Path(sysconfig.get_paths()[key])
        if folder.is_dir():
            names |= {entry.name for entry in folder.iterdir()}
    return names


def local_data(paths: Iterable[str]) -> list[str]:
    """The paths that look like local data (LOCAL_DATA matched against each part of the path)."""
    return sorted(
        path
        for path in paths
        if any(fnmatch.fnmatch(part, pattern) for part in path.split("/") for pattern in LOCAL_DATA)
    )


def select(root: Path, *, listed: set[str], dependencies: set[str]) -> list[str]:
    """Leave out of the unzipped package every file that is neither the checkout's (``listed``),
    Zappa's, generated, nor an installed dependency; the paths left out."""
    top_listed = {name.split("/", 1)[0] for name in listed}
    left_out: list[str] = []
    for entry in sorted(root.iterdir()):
        name = entry.name
        if name in ZAPPA_FILES or name in GENERATED:
            continue
        if name in top_listed:
            files = (
                [entry] if entry.is_file() else [p for p in entry.rglob("*") if p.is_file() or p.is_symlink()]
            )
            for path in files:
                relative = path.relative_to(root).as_posix()
                if relative not in listed and "__pycache__" not in relative.split("/"):
                    left_out.append(relative)
                    path.unlink()
            continue
        if name in dependencies:
            continue
        left_out.append(name + ("/" if entry.is_dir() else ""))
        _remove(entry)
    return left_out


DEPLOY_ONLY = (
    "troposphere",
    "cfn_flip",
    "cfn_tools",
    "cfn_clean",
    "placebo",
    "tqdm",
    "hjson",
    "argcomplete",
    "click",
    "toml",
    "slugify",
    "text_unidecode",
    "kappa",
    "pip",
    "setuptools",
    "pkg_resources",
    "_distutils_hack",
    "wheel",
    "boto3",
    "botocore",
    "s3transfer",
    # drf-spectacular needs these only to validate a schema (its CLI and tests), never to serve one.
    "jsonschema",
    "jsonschema_specifications",
    "referencing",
    "rpds",
    "attr",
    "attrs",
    "packaging",
)
# Distribution names whose *.dist-info go with them (normalised: lower case, '-' -> '_').
DEPLOY_ONLY_DISTS = (*DEPLOY_ONLY, "cfn_flip", "python_slugify", "text_unidecode", "rpds_py")
KEEP_LANGUAGES = ("en",)
# Parts of installed packages the product never imports (GeoDjango: no spatial database here).
# PyYAML falls back to its pure-Python parser without the C extension (only /api/schema/ uses YAML).
UNUSED_PARTS: tuple[str, ...] = ("django/contrib/gis", "yaml/_yaml.cpython-*.so")
# pycountry: countries read only iso3166-1.json (countries/codes.py); its locales (~22 MB), other
# databases (~1.4 MB) and tests never load.
UNUSED_PARTS += (
    "pycountry/locales",
    "pycountry/tests",
    *(
        f"pycountry/databases/{name}.json"
        for name in ("iso3166-2", "iso3166-3", "iso4217", "iso639-3", "iso639-5", "iso15924")
    ),
)

# Django's parts for databases and features the product does not use: the relational store is SQLite or
# PostgreSQL (docs/deploy.md), and no installed app is flatpages, redirects, sitemaps, syndication or
# humanize (nothing imports them either). Translation sources (.po): Django reads only the compiled .mo.
UNUSED_PARTS += (
    "django/db/backends/mysql",
    "django/db/backends/oracle",
    *(f"django/contrib/{name}" for name in ("flatpages", "redirects", "sitemaps", "syndication", "humanize")),
    "**/locale/*/LC_MESSAGES/*.po",
)
# charset-normalizer (requests' encoding guess, used only for a response without a charset) ships its
# md and cd modules twice: compiled by mypyc and as Python. Without the compiled twins (~180 KiB zipped)
# the same Python modules load.
UNUSED_PARTS += ("charset_normalizer/md.cpython-*.so", "charset_normalizer/cd.cpython-*.so")


def _remove(path: Path) -> int:
    size = (
        sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
        if path.is_dir()
        else path.stat().st_size
    )
    shutil.rmtree(path) if path.is_dir() else path.unlink()
    return size


def prune(root: Path) -> dict[str, int]:
    """Delete what Lambda never needs from an unzipped package; bytes removed per reason."""
    removed = {
        "tool caches": 0,
        "stale bytecode": 0,
        "deploy-only packages": 0,
        "translations": 0,
        "static duplicates": 0,
    }
    # Hidden files and folders of the checkout (.gitignore, .mypy_cache, ...) are never code: a tool
    # cache slipping past zappa_settings.json's exclude list cost 3 MiB once.
    for hidden in [p for p in root.iterdir() if p.name.startswith(".")]:
        removed["tool caches"] += _remove(hidden)
    for cache in list(root.rglob("__pycache__")):
        removed["stale bytecode"] += _remove(cache)
    for pyc in list(root.rglob("*.pyc")):
        removed["stale bytecode"] += _remove(pyc)
    for name in DEPLOY_ONLY:
        for candidate in (root / name, root / f"{name}.py"):
            if candidate.exists():
                removed["deploy-only packages"] += _remove(candidate)
    for part in UNUSED_PARTS:
        for path in list(root.glob(part)):
            removed["deploy-only packages"] += _remove(path)
    for info in list(root.glob("*.dist-info")):
        dist = info.name.split("-")[0].lower().replace("-", "_")
        if dist in DEPLOY_ONLY_DISTS:
            removed["deploy-only packages"] += _remove(info)
        elif (info / "RECORD").exists():  # install bookkeeping; METADATA stays for version lookups
            removed["deploy-only packages"] += _remove(info / "RECORD")
    for locale in list(root.rglob("locale")):
        if not locale.is_dir():
            continue
        for language in list(locale.iterdir()):
            if language.is_dir() and not language.name.startswith(KEEP_LANGUAGES):
                removed["translations"] += _remove(language)
    removed["static duplicates"] += _prune_static(root / "staticfiles")
    return removed


def _prune_static(static_root: Path) -> int:
    if not static_root.is_dir():
        return 0
    removed = 0
    for path in list(static_root.rglob("*")):
        if path.is_file() and path.suffix in (".gz", ".br", ".map"):
            removed += _remove(path)
    for font in list(static_root.rglob("*")):
        # Every browser the UI supports loads WOFF/WOFF2; EOT/TTF/SVG fonts are for IE-era fallbacks.
        legacy_font = (
            font.is_file() and font.suffix in (".eot", ".ttf", ".svg") and font.parent.name == "fonts"
        )
        if legacy_font and any(font.parent.glob(f"{font.name.split('.')[0]}*.woff*")):
            removed += _remove(font)
    for script in list(static_root.glob("admin/js/vendor/select2/i18n/*")):
        if not script.name.startswith("en"):  # the admin's autocomplete widget in other languages
            removed += _remove(script)
    manifest = static_root / "staticfiles.json"
    if manifest.exists():
        paths = json.loads(manifest.read_text()).get("paths", {})
        for original, hashed in paths.items():
            if original != hashed and (static_root / hashed).exists() and (static_root / original).exists():
                removed += _remove(static_root / original)
        # The admin links a vendor script's .min twin whenever DEBUG is off, as it is on Lambda
        # (django/contrib/admin/options.py and widgets.py: ``extra = "" if settings.DEBUG else ".min"``).
        for original, hashed in paths.items():
            if original.startswith("admin/js/vendor/") and original.endswith(".js"):
                minified = paths.get(original.removesuffix(".js") + ".min.js")
                if not original.endswith(".min.js") and minified and (static_root / hashed).exists():
                    removed += _remove(static_root / hashed)
    # Only the Swagger UI view is routed (config/urls.py); the sidecar's Redoc bundle has no page.
    redoc = static_root / "drf_spectacular_sidecar" / "redoc"
    if redoc.is_dir() and "Redoc" not in _urlconf_source(static_root.parent):
        removed += _remove(redoc)
    return removed


def _urlconf_source(root: Path) -> str:
    urls = root / "config" / "urls.py"
    return urls.read_text() if urls.exists() else "Redoc (no URL map found: keep it)"


def compile_tree(root: Path, *, project: set[str]) -> None:
    """Bytecode that stays valid whatever the file dates (``unchecked-hash``).

    The project's own packages keep their ``.py`` beside ``__pycache__`` (readable tracebacks);
    third-party packages ship bytecode only (sourceless ``.pyc`` in place of each ``.py``), which
    halves their size in the zip: their tracebacks show file and line, not the source text.
    """
    for entry in sorted(root.iterdir()):
        if entry.suffix == ".py" or entry.is_dir():
            legacy = entry.name not in project and entry.name.removesuffix(".py") not in project
            if entry.name in ("handler.py", "zappa_settings.py", "django_zappa_app.py"):
                legacy = False
            if entry.is_dir():
                compileall.compile_dir(
                    str(entry),
                    quiet=2,
                    ddir=f"/var/task/{entry.name}",
                    legacy=legacy,
                    invalidation_mode=PycInvalidationMode.UNCHECKED_HASH,
                    workers=0,
                )
            else:
                compileall.compile_file(
                    str(entry), quiet=2, legacy=legacy, invalidation_mode=PycInvalidationMode.UNCHECKED_HASH
                )
            if legacy:
                sources = entry.rglob("*.py") if entry.is_dir() else [entry]
                for source in list(sources):
                    if source.with_suffix(".pyc").exists():
                        source.unlink()


def rezip(root: Path, destination: Path) -> None:
    tmp = destination.with_suffix(".tmp.zip")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for folder, dirs, files in os.walk(root):
            dirs.sort()
            for name in sorted(files):
                path = Path(folder) / name
                info = zipfile.ZipInfo.from_file(path, str(path.relative_to(root)))
                info.external_attr = 0o755 << 16  # Lambda needs the files readable by its user
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, path.read_bytes(), zipfile.ZIP_DEFLATED, 9)
    tmp.replace(destination)


def rewrite(
    zip_path: Path | str, *, project_dir: Path | str = ".", dependencies: set[str] | None = None
) -> dict[str, int]:
    """Select, prune and recompile the package in place; bytes removed per reason. Raises
    LocalDataRefused (the zip is left as Zappa built it: the caller deletes it)."""
    project_dir = Path(project_dir)
    listed = checkout_files(project_dir)
    project = {name.split("/", 1)[0].removesuffix(".py") for name in listed} - {"build", ".venv"}
    dependencies = installed_names() if dependencies is None else dependencies
    zip_path = Path(zip_path)
    with tempfile.TemporaryDirectory(prefix="package-") as tmp:
        root = Path(tmp)
        with zipfile.ZipFile(zip_path) as archive:
            archive.extractall(root)
        left_out = select(root, listed=listed, dependencies=dependencies)
        refused = local_data(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
        if refused:
            shown = ", ".join(refused[:5]) + (f" and {len(refused) - 5} more" if len(refused) > 5 else "")
            raise LocalDataRefused(
                f"The package would hold local data: {shown}. Remove it from git (and add it to "
                ".gitignore), or from the dependency that ships it."
            )
        removed = {"left out (not the checkout's files)": len(left_out), **prune(root)}
        compile_tree(root, project=project)
        rezip(root, zip_path)
    return removed


def zappa_zip_callback(zappa_cli) -> None:
    """Zappa ``callbacks.zip``: runs after ``zappa package``/``deploy`` built the zip."""
    removed = rewrite(zappa_cli.zip_path, project_dir=os.getcwd())
    left_out = removed.pop("left out (not the checkout's files)")
    summary = ", ".join(f"{reason} {size / 1e6:.1f} MB" for reason, size in removed.items())
    summary += f"; {left_out} paths of the working tree left out (not the checkout's files)"
    print(f"Package rewritten with unchecked-hash bytecode; removed {summary}.")


if __name__ == "__main__":
    print(rewrite(sys.argv[1]))
