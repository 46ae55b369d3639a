"""The committee report as a tagged PDF (PDF/UA-1), printed by WeasyPrint from the HTML.

The PDF is the HTML page (`render_html`) under its print styles: A4 portrait pages,
the performance table on landscape pages of its own with its header row repeated on
every one, "Page 3 of 9" in the footer. PDF/UA-1 makes
WeasyPrint tag the structure (headings, lists, table cells linked to their headers)
and write the title (from `<title>`) and the language (from `<html lang>`), so a
screen reader reads the PDF as it reads the page.

Fonts come from the machine (fontconfig): Liberation Sans (or Arial) for text and
DejaVu Sans for the status and trend symbols; both are embedded, as PDF/UA requires.
"""

from __future__ import annotations

import logging

from weasyprint import HTML
from weasyprint.urls import URLFetcher

from scrutineer.reports.document import ReportDocument
from scrutineer.reports.renderers.html import render_html

PDF_VARIANT = "pdf/ua-1"


class PDFRenderError(RuntimeError):
    """WeasyPrint reported an error that would leave the PDF broken or inaccessible."""


# WeasyPrint's warnings about CSS it does not print: GOV.UK Frontend's screen-width
# media queries, @supports and browser-only properties. Expected, so not shown.
_SCREEN_CSS_WARNINGS = ("Ignored ", "Expected a media type", "Invalid media type", "Unknown rule")


def _not_screen_css(record: logging.LogRecord) -> bool:
    return record.levelno >= logging.ERROR or not str(record.msg).startswith(_SCREEN_CSS_WARNINGS)


class _WeasyPrintErrors(logging.Handler):
    """Collects WeasyPrint's logged errors: it logs, rather than raises, what breaks PDF/UA."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def render_pdf(doc: ReportDocument) -> bytes:
    """The report as PDF/UA-1 bytes, from the same HTML as `render_html`.

    The HTML inlines its CSS, so nothing is fetched: the fetcher allows `data:` URLs
    only and stops the rendering on any other, and there is no base URL, so the PDF
    never depends on (or reads) files or servers around it.
    """
    html = render_html(doc)
    errors = _WeasyPrintErrors()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(errors)
    logger.addFilter(_not_screen_css)
    try:
        fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
        pdf = HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf(
            pdf_variant=PDF_VARIANT,
            pdf_identifier=doc.filename_stem.encode(),
        )
    finally:
        logger.removeFilter(_not_screen_css)
        logger.removeHandler(errors)
    if errors.messages:
        # A missing alt text or language would make the PDF fail PDF/UA silently.
        raise PDFRenderError("; ".join(errors.messages))
    assert pdf is not None  # no target given, so WeasyPrint returns the bytes
    return pdf
