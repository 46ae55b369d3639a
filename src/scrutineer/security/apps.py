from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "scrutineer.security"
    verbose_name = "Security"
