from django.apps import AppConfig


class CollectionConfig(AppConfig):
    name = "scrutineer.collection"
    label = "collection"
