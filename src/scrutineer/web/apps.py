from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "scrutineer.web"
    label = "web"
