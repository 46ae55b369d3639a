"""No page template carries inline script or style, which the Content Security Policy
would block: scripts and styles live in static files."""

import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "scrutineer"
TEMPLATES = sorted(SRC.glob("*/templates/**/*.html"))
# The committee report is a standalone file with its stylesheet inside; served by the
# app, it is allowed by hash (tests/security/test_headers.py).
STANDALONE = {SRC / "reports/templates/reports/report.html"}

INLINE = {
    "style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "style element": re.compile(r"<style[\s>]", re.IGNORECASE),
    "inline script": re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "javascript: address": re.compile(r"javascript:", re.IGNORECASE),
}


def test_there_are_templates_to_check():
    assert len(TEMPLATES) > 20


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(SRC)))
def test_no_inline_script_or_style(template):
    text = template.read_text()
    found = [what for what, pattern in INLINE.items() if pattern.search(text)]
    if template in STANDALONE:
        found = [what for what in found if what != "style element"]
    assert not found, f"{template.name}: {', '.join(found)}"
