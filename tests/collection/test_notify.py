"""GOV.UK Notify as the email backend: the official client builds each request (its JWT,
headers and JSON); only the HTTP layer under it is faked, at requests' transport adapter,
so nothing leaves the machine."""

import json
import uuid

import pytest
import requests
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage, get_connection

SERVICE_ID = str(uuid.UUID(int=1))
SECRET = str(uuid.UUID(int=2))
API_KEY = f"scrutineer_test-{SERVICE_ID}-{SECRET}"
TEMPLATE = str(uuid.UUID(int=3))


@pytest.fixture
def notify(settings, monkeypatch):
    """Notify configured; every HTTP request recorded and answered as Notify answers."""
    settings.EMAIL_BACKEND = "scrutineer.notify.NotifyEmailBackend"
    settings.SCRUTINEER_NOTIFY_API_KEY = API_KEY
    settings.SCRUTINEER_NOTIFY_TEMPLATE_ID = TEMPLATE
    settings.SCRUTINEER_NOTIFY_BASE_URL = "https://notify.invalid"
    seen = []

    def send(adapter, request, **kwargs):
        seen.append(request)
        response = requests.Response()
        response.status_code = 201
        response._content = json.dumps({"id": str(uuid.uuid4()), "content": {}}).encode()
        response.headers["Content-Type"] = "application/json"
        response.request, response.url = request, request.url
        return response

    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", send)
    return seen


def test_each_recipient_is_a_notification_from_the_template(notify):
    message = EmailMessage(
        "Overdue: 2 figures", "Dear Tracy,\n\nCSU10 …", to=["tracy@example.org", "matt@example.org"]
    )
    assert get_connection().send_messages([message]) == 1
    assert [r.url for r in notify] == ["https://notify.invalid/v2/notifications/email"] * 2
    bodies = [json.loads(r.body) for r in notify]
    assert [b["email_address"] for b in bodies] == ["tracy@example.org", "matt@example.org"]
    assert bodies[0]["template_id"] == TEMPLATE
    assert bodies[0]["personalisation"] == {"subject": "Overdue: 2 figures", "body": "Dear Tracy,\n\nCSU10 …"}
    assert notify[0].headers["Authorization"].startswith("Bearer ")  # the client's signed token


def test_notify_refusing_a_message_raises_so_the_reminder_is_retried(notify, monkeypatch):
    def refuse(adapter, request, **kwargs):
        response = requests.Response()
        response.status_code = 400
        response._content = json.dumps(
            {
                "errors": [
                    {
                        "error": "BadRequestError",
                        "message": "Can't send to this recipient using a team-only API key",
                    }
                ]
            }
        ).encode()
        response.request, response.url = request, request.url
        return response

    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", refuse)
    with pytest.raises(Exception, match="team-only API key"):
        EmailMessage("Subject", "Body", to=["x@example.org"]).send()


def test_without_its_key_and_template_the_backend_says_what_to_set(settings):
    settings.SCRUTINEER_NOTIFY_API_KEY = ""
    with pytest.raises(ImproperlyConfigured, match="SCRUTINEER_NOTIFY_API_KEY"):
        get_connection("scrutineer.notify.NotifyEmailBackend")


def test_settings_choose_notify_when_its_key_is_set(monkeypatch):
    import importlib

    import scrutineer.settings as app_settings

    monkeypatch.setenv("SCRUTINEER_NOTIFY_API_KEY", API_KEY)
    monkeypatch.delenv("SCRUTINEER_EMAIL_BACKEND", raising=False)
    try:
        assert importlib.reload(app_settings).EMAIL_BACKEND == "scrutineer.notify.NotifyEmailBackend"
    finally:
        monkeypatch.delenv("SCRUTINEER_NOTIFY_API_KEY")
        importlib.reload(app_settings)
