from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "scrutineer.demo"
    label = "demo"
