"""A headless Chromium for browser tests: the machine's own, launched through Playwright.

Playwright's own browser downloads are not used: tests run the Debian `chromium`
package (`apt-get install chromium`), found at `CHROMIUM` or /usr/bin/chromium.

Use the `browser_page` fixture (import it into a test module or a conftest):

    from tests.browser import browser_page  # noqa: F401

Without Chromium (or Playwright) the tests are skipped on a developer's machine, but
fail under CI (when the CI environment variable is set), so a broken CI image is
never mistaken for a pass.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def in_ci() -> bool:
    """True when the CI environment variable is set to anything but empty, "0" or "false"."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def missing(reason: str) -> None:
    """Skip the test for a missing tool, or fail it under CI."""
    if in_ci():
        pytest.fail(f"{reason} (CI is set, so a missing tool is a failure)")
    pytest.skip(reason)


def chromium_path() -> str | None:
    """The Chromium binary to launch: $CHROMIUM, /usr/bin/chromium, or one on PATH."""
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium"):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture
def browser_page() -> Iterator[Any]:
    """A Playwright page in a fresh headless Chromium; closed after the test."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the dev extra installs it
        missing("Playwright is not installed")
    executable = chromium_path()
    if executable is None:
        missing("Chromium is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
            page = context.new_page()
            yield page
            context.close()
        finally:
            browser.close()
