"""Where the browser tests find a browser (tests/e2e/conftest.py): the same lookup on every OS."""

from __future__ import annotations

import os
import shutil

# A Chromium-family browser Playwright can drive: CHROMIUM=<path> if set, else the first found of
# Debian's chromium, Chrome or Edge on PATH, or their usual install folders on macOS and Windows.
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "chrome", "msedge")
CHROMIUM_FOLDERS = (
    "/usr/bin/chromium",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    *(
        os.path.join(os.environ.get(base, ""), *tail)
        for base in ("PROGRAMFILES", "PROGRAMFILES(X86)", "LOCALAPPDATA")
        if os.environ.get(base)
        for tail in (
            ("Google", "Chrome", "Application", "chrome.exe"),
            ("Microsoft", "Edge", "Application", "msedge.exe"),
        )
    ),
)


def find_chromium() -> str | None:
    explicit = os.environ.get("CHROMIUM")
    if explicit:
        return explicit if os.path.exists(explicit) else None
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return next((path for path in CHROMIUM_FOLDERS if os.path.exists(path)), None)
