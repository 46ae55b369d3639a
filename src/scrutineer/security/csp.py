"""The Content Security Policy for the committee reports' own HTML pages.

Every page of the app takes its styles and scripts from files (CONTENT_SECURITY_POLICY
in settings allows nothing inline). A committee report is different: it is one
standalone file, read from a shared drive or an email as well as from the app, so it
carries its stylesheet in a `<style>` element. When the app serves one, the policy
allows exactly that stylesheet by its SHA-256 hash, so nothing else inline can apply.
Published files are frozen (docs/decisions/0005), so the hash is taken from the file
served, not from today's stylesheet.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpResponse

_HEAD = re.compile(rb"<head>(.*?)</head>", re.DOTALL)
_STYLE = re.compile(rb"<style>(.*?)</style>", re.DOTALL)


def style_hash(css: bytes) -> str:
    """The CSP source that allows the `<style>` element with exactly this content."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(css).digest()).decode("ascii") + "'"


def allow_embedded_stylesheet(response: HttpResponse) -> HttpResponse:
    """Allow the stylesheets in the head of an HTML report `response` (else leave it be)."""
    if not response.get("Content-Type", "").startswith("text/html") or response.streaming:
        return response
    head = _HEAD.search(response.content)
    styles = _STYLE.findall(head.group(1)) if head else []
    if styles:
        response._csp_update = {"style-src": [style_hash(css) for css in styles]}  # type: ignore[attr-defined]
    return response


def serves_report_html(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For views that may answer with a committee report's HTML."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> HttpResponse:
        return allow_embedded_stylesheet(view(*args, **kwargs))

    return wrapped
