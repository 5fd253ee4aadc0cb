from tests.httpserver import local_server
from tests.pgserver import postgres_url

__all__ = ["local_server", "postgres_url"]
