"""The app's URLs with the provider's under /provider/, for
`override_settings(ROOT_URLCONF="tests.oidc.urls")`.

The provider has its own sign-in page, so signing in there is never the app's own. Its
pages go without the app's Content Security Policy, as another site's would: the app's
`form-action 'self'` would stop the consent form sending the browser back to the app."""

from csp.decorators import csp_exempt
from django.contrib.auth.views import LoginView
from django.urls import include, path
from oauth2_provider.views import AuthorizationView

from scrutineer.urls import urlpatterns as app

urlpatterns = [
    path("provider/login/", csp_exempt()(LoginView.as_view(template_name="oidc_provider/login.html"))),
    # Ahead of the toolkit's own `authorize/`, to send people to the provider's sign-in.
    path("provider/authorize/", csp_exempt()(AuthorizationView.as_view(login_url="/provider/login/"))),
    path("provider/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    *app,
]
