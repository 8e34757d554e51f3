"""The API harness of tests/api, shared with the security suite."""

from tests.api.conftest import acme, api, globex

__all__ = ["acme", "api", "globex"]
