"""The schema generator named by SPECTACULAR_SETTINGS["DEFAULT_GENERATOR_CLASS"] (see config/schema.py)."""

from drf_spectacular.generators import SchemaGenerator as SpectacularSchemaGenerator

from config.schema import activate


class SchemaGenerator(SpectacularSchemaGenerator):
    """drf-spectacular's generator, after making config.schema.AutoSchema the real AutoSchema."""

    def __init__(self, *args, **kwargs):
        activate()
        super().__init__(*args, **kwargs)
