from tests.httpserver import local_server

__all__ = ["local_server"]
