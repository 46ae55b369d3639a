from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "scrutineer.security"
    verbose_name = "Security"

    def ready(self) -> None:
        from scrutineer.security import checks  # noqa: F401  (registers the deployment checks)
