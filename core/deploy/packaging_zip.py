"""Rewrite the zip ``zappa package`` built: drop what Lambda never runs, ship fresh bytecode.

Runs as Zappa's ``callbacks.zip`` (Zappa loads this file by path, in its own process: standard
library only) and as ``python core/packaging_zip.py ZIP``. Why each step:

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
import json
import os
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path
from py_compile import PycInvalidationMode

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


def rewrite(zip_path: Path | str, *, project_dir: Path | str = ".") -> dict[str, int]:
    """Prune and recompile the package in place; returns bytes removed per reason."""
    project = {p.name.removesuffix(".py") for p in Path(project_dir).iterdir()} - {"build", ".venv"}
    zip_path = Path(zip_path)
    with tempfile.TemporaryDirectory(prefix="package-") as tmp:
        root = Path(tmp)
        with zipfile.ZipFile(zip_path) as archive:
            archive.extractall(root)
        removed = prune(root)
        compile_tree(root, project=project)
        rezip(root, zip_path)
    return removed


def zappa_zip_callback(zappa_cli) -> None:
    """Zappa ``callbacks.zip``: runs after ``zappa package``/``deploy`` built the zip."""
    removed = rewrite(zappa_cli.zip_path, project_dir=os.getcwd())
    summary = ", ".join(f"{reason} {size / 1e6:.1f} MB" for reason, size in removed.items())
    print(f"Package rewritten with unchecked-hash bytecode; removed {summary}.")


if __name__ == "__main__":
    print(rewrite(sys.argv[1]))
