from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "scrutineer.catalogue"
    label = "catalogue"
