"""The web dashboard and the JSON API (``tocsin serve``): a thin FastAPI shell over the
library. Pages are rendered on the server with Jinja2 (autoescaped); the little
JavaScript there is lives in ``static/js`` (no inline scripts; the CSP forbids them) and
every asset is served from ``static/`` (vendored libraries are copied there by
``make install`` from the npm registry), so it works with no internet.
"""

from tocsin.web.app import create_app

__all__ = ["create_app"]
