"""Support code every test package shares: loopback ports, the local event runner, shared fixtures
(``tests.support.fixtures``, a plugin tests/conftest.py registers, so tests/e2e sees them too)."""
