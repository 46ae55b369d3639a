"""An OpenID Connect provider for the sign-in tests, built with django-oauth-toolkit.

Installed as a Django app by tests/settings.py (with `oauth2_provider`), and served by
`live_server` beside the app through `urls.py`: the relying party's requests for the
discovery document, token, user info and signing keys go over real HTTP to loopback.
"""
