"""The web helpers every app's pages and API share: error mapping, fields, forms, middleware,
parsers, renderers, throttles, scoped viewsets, static storages and the core views."""
