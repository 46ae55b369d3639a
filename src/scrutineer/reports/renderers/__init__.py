"""Renderers draw a `ReportDocument`; they format and never judge.

`render(doc, fmt)` is the one entry point the CLI, publishing and the web app use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from scrutineer.reports.document import ReportDocument


@dataclass(frozen=True)
class Format:
    name: str
    extension: str
    media_type: str
    label: str


FORMATS: dict[str, Format] = {
    "html": Format("html", ".html", "text/html; charset=utf-8", "Web page (HTML)"),
    "pdf": Format("pdf", ".pdf", "application/pdf", "PDF (tagged, PDF/UA-1)"),
    "docx": Format(
        "docx",
        ".docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word document (editable)",
    ),
    "csv": Format("csv", ".csv", "text/csv; charset=utf-8", "Performance table as open data (CSV)"),
}


def _renderer(fmt: str) -> Callable[[ReportDocument], bytes]:
    if fmt == "html":
        from scrutineer.reports.renderers.html import render_html

        return lambda doc: render_html(doc).encode("utf-8")
    if fmt == "pdf":
        from scrutineer.reports.renderers.pdf import render_pdf

        return render_pdf
    if fmt == "docx":
        from scrutineer.reports.renderers.docx import render_docx

        return render_docx
    if fmt == "csv":
        from scrutineer.reports.renderers.csvfile import render_csv

        # With a byte-order mark, so Excel on Windows reads "–" and "✓" as UTF-8.
        return lambda doc: render_csv(doc).encode("utf-8-sig")
    raise ValueError(f"Unknown format '{fmt}'. Choose from: {', '.join(FORMATS)}.")


def render(doc: ReportDocument, fmt: str) -> bytes:
    """The document in one format, as bytes ready to write or serve."""
    return _renderer(fmt)(doc)
