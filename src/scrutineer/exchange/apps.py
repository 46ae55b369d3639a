from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "scrutineer.exchange"
    label = "exchange"
    verbose_name = "Import, export and open data"
