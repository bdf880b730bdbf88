"""The web dashboard: a FastAPI app and an offline page. Calls the same services as the CLI;
never imported by the core."""

from tightrope.web.app import WebSettings, create_app

__all__ = ["WebSettings", "create_app"]
