"""Settings as the environment makes them, for tests of what a deployment sets."""

from __future__ import annotations

import os
import runpy
from pathlib import Path

import pytest

import scrutineer.settings


def clean_env(env: dict[str, str], var_dir: Path) -> dict[str, str]:
    """The process's environment without any Scrutineer or database variable, plus `env`."""
    kept = {k: v for k, v in os.environ.items() if not k.startswith("SCRUTINEER_") and k != "DATABASE_URL"}
    return {
        **kept,
        "SCRUTINEER_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "scrutineer.settings",
        **env,
    }


@pytest.fixture
def settings_from_env(monkeypatch, tmp_path):
    """`load(env)`: the module scrutineer.settings would be under `env` alone, as a dict."""

    def load(env: dict[str, str]) -> dict[str, object]:
        with monkeypatch.context() as patch:
            for name in list(os.environ):
                patch.delenv(name)
            for name, value in clean_env(env, tmp_path / "var").items():
                patch.setenv(name, value)
            return runpy.run_path(scrutineer.settings.__file__)

    return load


@pytest.fixture
def published(seed_council):
    """The seed's Q1 2020/21 report, reviewed and published as version 1 (HTML only)."""
    from scrutineer.engine import Period
    from scrutineer.reports.models import Report, ReportState
    from scrutineer.reports.publishing import publish_report
    from tests.factories import PerformanceOfficerFactory

    report = Report.objects.get(committee__slug="housing-community", period=Period.parse("2020-21-Q1"))
    Report.objects.filter(pk=report.pk).update(state=ReportState.REVIEWED)
    return publish_report(report, user=PerformanceOfficerFactory(), formats=("html",))
