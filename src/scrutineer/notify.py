"""GOV.UK Notify as a Django email backend, for councils that send their email through it.

Set SCRUTINEER_NOTIFY_API_KEY and SCRUTINEER_NOTIFY_TEMPLATE_ID (docs/deployment.md) and
every email Scrutineer sends (reminders, password resets) goes through Notify's API with
the official client, `notifications-python-client`, installed with
`pip install 'scrutineer[notify]'`. The client is imported only when this backend is
used, so a council on SMTP never needs it.

Notify sends from templates: make one email template whose subject is `((subject))` and
whose body is `((body))`; each message fills them in. Each recipient of a message is a
notification of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend


class NotifyEmailBackend(BaseEmailBackend):
    """Sends each message to each recipient as a GOV.UK Notify email notification."""

    def __init__(
        self,
        api_key: str | None = None,
        template_id: str | None = None,
        base_url: str | None = None,
        fail_silently: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(fail_silently=fail_silently, **kwargs)
        self.api_key = api_key if api_key is not None else settings.SCRUTINEER_NOTIFY_API_KEY
        self.template_id = template_id if template_id is not None else settings.SCRUTINEER_NOTIFY_TEMPLATE_ID
        self.base_url = base_url if base_url is not None else settings.SCRUTINEER_NOTIFY_BASE_URL
        if not self.api_key or not self.template_id:
            raise ImproperlyConfigured(
                "GOV.UK Notify needs SCRUTINEER_NOTIFY_API_KEY and SCRUTINEER_NOTIFY_TEMPLATE_ID "
                "(a template whose subject is ((subject)) and body ((body)))."
            )
        self.client: Any = None

    def open(self) -> bool:
        if self.client is not None:
            return False
        try:
            from notifications_python_client.notifications import NotificationsAPIClient
        except ImportError as error:
            raise ImproperlyConfigured(
                "GOV.UK Notify is configured but its client is not installed: pip install 'scrutineer[notify]' "
                "(notifications-python-client)."
            ) from error
        options = {"base_url": self.base_url} if self.base_url else {}
        self.client = NotificationsAPIClient(self.api_key, **options)
        return True

    def close(self) -> None:
        self.client = None

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        if not email_messages:
            return 0
        opened = self.open()
        sent = 0
        try:
            for message in email_messages:
                try:
                    for address in message.recipients():
                        self.client.send_email_notification(
                            email_address=address,
                            template_id=self.template_id,
                            personalisation={"subject": message.subject, "body": message.body},
                        )
                except Exception:
                    if not self.fail_silently:
                        raise
                else:
                    sent += 1
        finally:
            if opened:
                self.close()
        return sent
