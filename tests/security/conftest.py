"""Settings as the environment makes them, for tests of what a deployment sets."""

from __future__ import annotations

import os
import re
import runpy
import secrets
from pathlib import Path

import pytest

import scrutineer.settings

ROOT = Path(__file__).resolve().parents[2]

# What the security tests copy from environment-made settings onto the live ones.
SECURITY_SETTINGS = re.compile(
    r"^(SECURE_|SESSION_COOKIE_|CSRF_|USE_X_FORWARDED_HOST$|ALLOWED_HOSTS$|X_FRAME_OPTIONS$"
    r"|CONTENT_SECURITY_POLICY$|SCRUTINEER_PROXY_COUNT$|SCRUTINEER_SESSION_)"
)


def production_env() -> dict[str, str]:
    """The variables of the example in docs/deployment.md, "Production settings", with
    its placeholders filled: a fresh secret key, and no database server (SQLite)."""
    text = (ROOT / "docs/deployment.md").read_text()
    section = text.split("## Production settings", 1)[1]
    block = section.split("```env\n", 1)[1].split("```", 1)[0]
    env = {}
    for line in block.splitlines():
        line = line.split("#", 1)[0].strip()
        if "=" in line:
            name, value = line.split("=", 1)
            env[name.strip()] = value.strip()
    env["SCRUTINEER_SECRET_KEY"] = secrets.token_urlsafe(50)
    env.pop("DATABASE_URL", None)
    return env


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


@pytest.fixture
def production_settings(settings, settings_from_env):
    """The live settings with the security settings of the documented production example."""
    made = settings_from_env(production_env())
    for name, value in made.items():
        if SECURITY_SETTINGS.match(name):
            setattr(settings, name, value)
    return settings
