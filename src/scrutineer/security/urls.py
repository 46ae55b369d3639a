"""`/accounts/`: Django's sign-in, sign-out and password pages under their usual names,
with password reset only where email is set up (`SCRUTINEER_PASSWORD_RESET`), the password
pages only where passwords are on (`SCRUTINEER_PASSWORD_SIGN_IN`), and signing in with the
council's accounts (OpenID Connect, `scrutineer.security.oidc`) where that is."""

from django.contrib.auth import views as auth
from django.urls import path

from scrutineer.security import oidc
from scrutineer.security.views import SignInView, when_passwords_are_on, when_reset_is_offered

urlpatterns = [
    path("login/", SignInView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    # The button, the provider's way back (the redirect URI), and why someone was not signed in.
    path("oidc/sign-in/", oidc.SignInWithProvider.as_view(), name="oidc-sign-in"),
    path("oidc/callback/", oidc.ProviderCallback.as_view(), name="oidc-callback"),
    path("oidc/refused/", oidc.refused, name="oidc-refused"),
    path(
        "password_change/",
        when_passwords_are_on(auth.PasswordChangeView.as_view()),
        name="password_change",
    ),
    path(
        "password_change/done/",
        when_passwords_are_on(auth.PasswordChangeDoneView.as_view()),
        name="password_change_done",
    ),
    path(
        "password_reset/",
        when_passwords_are_on(when_reset_is_offered(auth.PasswordResetView.as_view())),
        name="password_reset",
    ),
    path(
        "password_reset/done/",
        when_passwords_are_on(when_reset_is_offered(auth.PasswordResetDoneView.as_view())),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        when_passwords_are_on(when_reset_is_offered(auth.PasswordResetConfirmView.as_view())),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        when_passwords_are_on(when_reset_is_offered(auth.PasswordResetCompleteView.as_view())),
        name="password_reset_complete",
    ),
]
