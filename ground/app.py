"""The web app, built by a factory that is handed its services: nothing connects at import."""

from __future__ import annotations

from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from ground.api import commands, errors, observe, stream, system
from ground.api.auth import TokenCheck
from ground.api.limits import BodyLimit
from ground.services import GroundServices

WEB_DIST = Path(__file__).parent / "web" / "dist"
# The console's own mark, inline so no request can miss.
_ICON = ("data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22 viewBox=%220 0 16 16%22"
         "%3E%3Ccircle cx=%228%22 cy=%228%22 r=%226%22 fill=%22none%22 stroke=%22%236cb6ff%22 "
         "stroke-width=%222%22/%3E%3C/svg%3E")
_NOT_BUILT = """<!doctype html><title>roverops</title>
<p>The console is not built. Run <code>make web</code> (or <code>make run</code>).</p>"""


def create_app(services: GroundServices, token: str, web_dir: Path = WEB_DIST) -> FastAPI:
    auth = TokenCheck(token)
    app = FastAPI(title="roverops ground", version="1", docs_url=None, redoc_url=None,
                  description="Command a Mars rover across the light time. Every route but "
                              "health needs `Authorization: Bearer <token>`.")
    app.add_middleware(BodyLimit)
    errors.install(app)
    protected = [Depends(auth)]
    app.include_router(system.health_router(services), prefix="/api/v1")
    app.include_router(system.router(services), prefix="/api/v1", dependencies=protected)
    app.include_router(commands.router(services), prefix="/api/v1", dependencies=protected)
    app.include_router(observe.router(services), prefix="/api/v1", dependencies=protected)
    app.include_router(stream.router(services, auth), prefix="/api/v1")

    swagger = web_dir / "swagger"

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        """Swagger UI from our own files: the console works offline."""
        return get_swagger_ui_html(
            openapi_url="/openapi.json", title="roverops API",
            swagger_js_url="/swagger/swagger-ui-bundle.js",
            swagger_css_url="/swagger/swagger-ui.css", swagger_favicon_url=_ICON)

    if swagger.is_dir():
        app.mount("/swagger", StaticFiles(directory=swagger), name="swagger")
    if (web_dir / "index.html").is_file():
        app.mount("/", StaticFiles(directory=web_dir, html=True), name="console")
    else:
        @app.get("/", include_in_schema=False)
        async def not_built() -> HTMLResponse:
            return HTMLResponse(_NOT_BUILT)

    return app
