"""Report benchmark: render a synthetic committee's report of 200 and of 500 indicators.

For each size prints, side by side: building the document (figures → engine → tree),
rendering HTML, PDF (WeasyPrint, PDF/UA-1) and Word (DOCX), and LibreOffice converting
our own DOCX to PDF (`libreoffice --headless --convert-to pdf`), for comparison.

    .venv/bin/python bench/report_bench.py [--sizes 200,500] [--database-url URL]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="200,500")
    parser.add_argument("--period", default="2025-26-Q3")
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    scratch = Path(tempfile.gettempdir()) / "scrutineer-bench-reports.sqlite3"
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{scratch}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scrutineer.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    from scrutineer.catalogue.models import Committee
    from scrutineer.demo.generate import generate_council
    from scrutineer.engine import Period
    from scrutineer.reports.builder import build_document
    from scrutineer.reports.output import draft_report
    from scrutineer.reports.renderers import render

    call_command("migrate", interactive=False, verbosity=0)
    period = Period.parse(args.period)
    libreoffice = shutil.which("libreoffice") or shutil.which("soffice")

    def timed(fn):
        started = time.perf_counter()
        result = fn()
        return time.perf_counter() - started, result

    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        seed = 90000 + size
        committee = Committee.objects.filter(slug__startswith=f"syn{seed}-").first()
        if committee is None or committee.indicators.count() != size:
            from scrutineer.demo.generate import remove_council

            remove_council(seed)
            generate_council(size, 3, Period.parse(f"{period.year}-{(period.year + 1) % 100:02d}"), seed)
            committee = Committee.objects.get(slug__startswith=f"syn{seed}-")
        report = draft_report(committee, period)
        build_s, doc = timed(lambda report=report: build_document(report))
        html_s, _ = timed(lambda doc=doc: render(doc, "html"))
        pdf_s, pdf = timed(lambda doc=doc: render(doc, "pdf"))
        docx_s, docx = timed(lambda doc=doc: render(doc, "docx"))
        lo_s = float("nan")
        if libreoffice:
            with tempfile.TemporaryDirectory() as tmp:
                source = Path(tmp) / "report.docx"
                source.write_bytes(docx)
                profile = Path(tmp) / "profile"
                command = [
                    libreoffice,
                    f"-env:UserInstallation=file://{profile}",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    tmp,
                    str(source),
                ]
                lo_s, _ = timed(
                    lambda command=command: subprocess.run(
                        command, check=True, capture_output=True, timeout=600
                    )
                )
        rows.append((size, build_s, html_s, pdf_s, docx_s, lo_s, len(pdf), len(docx)))

    print(f"period {period.label}; database {django.db.connection.vendor}; seconds (best of one run)")
    header = ("indicators", "build doc", "HTML", "PDF", "DOCX", "LibreOffice DOCX→PDF", "PDF KB", "DOCX KB")
    print("".join(f"{h:>22}" if i == 5 else f"{h:>12}" for i, h in enumerate(header)))
    for size, build_s, html_s, pdf_s, docx_s, lo_s, pdf_n, docx_n in rows:
        print(
            f"{size:>12}{build_s:>12.2f}{html_s:>12.2f}{pdf_s:>12.2f}{docx_s:>12.2f}{lo_s:>22.2f}"
            f"{pdf_n // 1024:>12}{docx_n // 1024:>12}"
        )
    if not libreoffice:
        print("(LibreOffice not installed: its column is empty)")


if __name__ == "__main__":
    main()
