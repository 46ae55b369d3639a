from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "scrutineer.security"
    verbose_name = "Security"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from scrutineer.security import checks  # noqa: F401  (registers the deployment checks)
        from scrutineer.security.sessions import start_clocks

        user_logged_in.connect(start_clocks, dispatch_uid="scrutineer-session-clocks")
