"""Password reset is offered only where email can be sent; elsewhere the sign-in page
says whom to ask, and the reset pages say the same instead of failing silently."""

import re

import pytest
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db


def test_without_email_the_sign_in_page_says_whom_to_ask_and_reset_is_not_offered(
    client, settings, settings_from_env, mailoutbox
):
    deployment = settings_from_env({"SCRUTINEER_SECRET_KEY": "k" * 60, "SCRUTINEER_DEBUG": "false"})
    assert deployment["SCRUTINEER_PASSWORD_RESET"] is False
    settings.SCRUTINEER_PASSWORD_RESET = deployment["SCRUTINEER_PASSWORD_RESET"]
    User.objects.create_user("casey", email="casey@example.gov.uk", password="the-right-password")

    sign_in = client.get("/accounts/login/").content.decode()
    assert "Ask your performance officer or an administrator" in sign_in
    assert "/accounts/password_reset/" not in sign_in

    response = client.post("/accounts/password_reset/", {"email": "casey@example.gov.uk"})
    assert response.status_code == 404
    assert "Ask your performance officer or an administrator" in response.content.decode()
    assert mailoutbox == []


def test_with_email_people_reset_their_own_password(client, settings, settings_from_env, mailoutbox):
    deployment = settings_from_env(
        {"SCRUTINEER_SECRET_KEY": "k" * 60, "SCRUTINEER_EMAIL_HOST": "smtp.example"}
    )
    assert deployment["SCRUTINEER_PASSWORD_RESET"] is True
    assert deployment["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    settings.SCRUTINEER_PASSWORD_RESET = True
    User.objects.create_user("casey", email="casey@example.gov.uk", password="the-old-password")

    sign_in = client.get("/accounts/login/").content.decode()
    assert 'href="/accounts/password_reset/">Forgotten your password?' in sign_in

    form = client.get("/accounts/password_reset/")
    assert "Reset your password" in form.content.decode()
    sent = client.post("/accounts/password_reset/", {"email": "casey@example.gov.uk"}, follow=True)
    assert "Check your email" in sent.content.decode()
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["casey@example.gov.uk"]
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mailoutbox[0].body).group(1)

    choose = client.get(link, follow=True)
    assert "Choose a new password" in choose.content.decode()
    done = client.post(
        choose.redirect_chain[-1][0],
        {"new_password1": "a-brand-new-password", "new_password2": "a-brand-new-password"},
        follow=True,
    )
    assert "Your password has been changed" in done.content.decode()
    assert User.objects.get(username="casey").check_password("a-brand-new-password")


def test_a_local_run_prints_reset_emails_in_the_terminal(settings_from_env):
    local = settings_from_env({})
    assert local["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert local["SCRUTINEER_PASSWORD_RESET"] is True
