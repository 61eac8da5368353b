"""Size of the Lambda zip against the budget: at most 12 MiB zipped and 50 MB unzipped.

    .venv/bin/python bench/zip_size.py [build/dev.zip] [--top 15]

Prints both totals with PASS/FAIL per budget and the biggest parts (top-level package or
directory; ``staticfiles/`` and ``django/`` one level deeper). Exits 1 when a budget is exceeded.
"""

from __future__ import annotations

import argparse
import sys
import zipfile
from collections import defaultdict
from pathlib import Path

MAX_ZIPPED = 12 * 1024 * 1024  # 12 MiB
MAX_UNZIPPED = 50 * 1000 * 1000  # 50 MB
SPLIT_DEEPER = ("staticfiles", "django", "django/contrib")


def part_of(name: str) -> str:
    parts = name.split("/")
    key = parts[0]
    depth = 1
    while key in SPLIT_DEEPER and len(parts) > depth + 1:
        key = "/".join(parts[: depth + 1])
        depth += 1
    if key.endswith(".dist-info"):
        return "*.dist-info"
    return key


def measure(zip_path: Path) -> tuple[int, int, int, dict[str, list[int]]]:
    parts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    unzipped = 0
    with zipfile.ZipFile(zip_path) as archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            unzipped += info.file_size
            entry = parts[part_of(info.filename)]
            entry[0] += info.compress_size
            entry[1] += info.file_size
            entry[2] += 1
        files = sum(1 for info in archive.infolist() if not info.is_dir())
    return zip_path.stat().st_size, unzipped, files, parts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("zip", nargs="?", default="build/dev.zip", type=Path)
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args(argv)
    if not args.zip.exists():
        print(f"{args.zip} not found: build it with `make package STAGE=dev`.", file=sys.stderr)
        return 2
    zipped, unzipped, files, parts = measure(args.zip)
    ok_zipped, ok_unzipped = zipped <= MAX_ZIPPED, unzipped <= MAX_UNZIPPED
    print(f"{args.zip}: {files} files")
    print(
        f"  zipped   {zipped / 2**20:6.2f} MiB ({zipped:,} B)  budget 12 MiB  "
        f"headroom {(MAX_ZIPPED - zipped) / 2**20:5.2f} MiB  {'PASS' if ok_zipped else 'FAIL'}"
    )
    print(
        f"  unzipped {unzipped / 1e6:6.2f} MB  ({unzipped:,} B)  budget 50 MB   "
        f"headroom {(MAX_UNZIPPED - unzipped) / 1e6:5.2f} MB   {'PASS' if ok_unzipped else 'FAIL'}"
    )
    print("  biggest parts (zipped MiB / unzipped MB / files):")
    ranked = sorted(parts.items(), key=lambda kv: kv[1][0], reverse=True)
    for name, (packed, size, count) in ranked[: args.top]:
        print(f"    {packed / 2**20:6.2f}  {size / 1e6:6.2f}  {count:5d}  {name}")
    rest = ranked[args.top :]
    if rest:
        packed = sum(v[0] for _, v in rest)
        size = sum(v[1] for _, v in rest)
        print(
            f"    {packed / 2**20:6.2f}  {size / 1e6:6.2f}  {sum(v[2] for _, v in rest):5d}  ({len(rest)} more)"
        )
    return 0 if ok_zipped and ok_unzipped else 1


if __name__ == "__main__":
    sys.exit(main())
