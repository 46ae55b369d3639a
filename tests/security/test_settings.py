"""Safe by default: what a run with no environment gets, and what a deployment must set."""

import subprocess
import sys

from tests.security.conftest import clean_env, production_env


def test_debug_is_off_unless_asked_for(settings_from_env):
    assert settings_from_env({})["DEBUG"] is False
    assert settings_from_env({"SCRUTINEER_DEBUG": "true"})["DEBUG"] is True


def test_without_a_secret_key_a_local_only_key_is_made_once_and_kept_private(settings_from_env, tmp_path):
    first = settings_from_env({})
    again = settings_from_env({})
    key_file = tmp_path / "var" / "local-only-secret-key"
    assert first["SCRUTINEER_LOCAL_ONLY"] is True
    assert first["SECRET_KEY"] == again["SECRET_KEY"] == key_file.read_text()
    assert len(first["SECRET_KEY"]) >= 50
    assert key_file.stat().st_mode & 0o077 == 0
    given = settings_from_env({"SCRUTINEER_SECRET_KEY": "k" * 60})
    assert given["SCRUTINEER_LOCAL_ONLY"] is False and given["SECRET_KEY"] == "k" * 60


def test_the_local_defaults_send_no_secure_only_cookies_and_no_hsts(settings_from_env):
    local = settings_from_env({})
    assert local["SESSION_COOKIE_SECURE"] is False and local["SECURE_HSTS_SECONDS"] == 0
    assert local["SECURE_PROXY_SSL_HEADER"] is None and local["SCRUTINEER_PROXY_COUNT"] == 0


def test_https_turns_on_secure_cookies_redirect_and_hsts(settings_from_env):
    made = settings_from_env(
        {
            "SCRUTINEER_HTTPS": "true",
            "SCRUTINEER_PROXY_SSL_HEADER": "X-Forwarded-Proto",
            "SCRUTINEER_CSRF_TRUSTED_ORIGINS": "https://a.example.gov.uk, https://b.example.gov.uk",
            "SCRUTINEER_SESSION_HOURS": "4",
            "SCRUTINEER_SESSION_IDLE_MINUTES": "20",
        }
    )
    assert made["SESSION_COOKIE_SECURE"] and made["CSRF_COOKIE_SECURE"] and made["SECURE_SSL_REDIRECT"]
    assert made["SECURE_HSTS_SECONDS"] == 31_536_000
    assert made["SECURE_HSTS_INCLUDE_SUBDOMAINS"] and made["SECURE_HSTS_PRELOAD"]
    assert made["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert made["CSRF_TRUSTED_ORIGINS"] == ["https://a.example.gov.uk", "https://b.example.gov.uk"]
    assert made["SESSION_COOKIE_AGE"] == 4 * 3600 and made["SCRUTINEER_SESSION_IDLE_SECONDS"] == 20 * 60
    preload_off = settings_from_env({"SCRUTINEER_HTTPS": "true", "SCRUTINEER_HSTS_PRELOAD": "false"})
    assert preload_off["SECURE_HSTS_PRELOAD"] is False


def run(args, env, tmp_path):
    return subprocess.run(
        [sys.executable, *args],
        env=clean_env(env, tmp_path / "var"),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_deploy_checks_pass_under_the_documented_production_settings(tmp_path):
    checked = run(
        ["-m", "scrutineer", "check", "--deploy", "--fail-level", "WARNING"], production_env(), tmp_path
    )
    assert checked.returncode == 0, checked.stderr
    assert "no issues" in checked.stdout


def test_serving_and_the_deploy_checks_refuse_the_local_only_key(tmp_path):
    served = run(["-c", "import scrutineer.wsgi"], {}, tmp_path)
    assert served.returncode != 0
    assert "SCRUTINEER_SECRET_KEY is not set" in served.stderr and "secrets.token_urlsafe" in served.stderr
    checked = run(["-m", "scrutineer", "check", "--deploy"], {}, tmp_path)
    assert checked.returncode != 0 and "scrutineer.E001" in checked.stderr


def test_serving_refuses_debug_pages(tmp_path):
    env = {"SCRUTINEER_SECRET_KEY": "k" * 60, "SCRUTINEER_DEBUG": "true"}
    served = run(["-c", "import scrutineer.wsgi"], env, tmp_path)
    assert served.returncode != 0 and "SCRUTINEER_DEBUG is on" in served.stderr


def test_the_demos_development_server_still_serves_a_local_run(settings):
    """runserver must not load scrutineer.wsgi, which refuses the local-only key."""
    from django.core.servers.basehttp import get_internal_wsgi_application

    settings.SCRUTINEER_LOCAL_ONLY = True
    assert callable(get_internal_wsgi_application())
