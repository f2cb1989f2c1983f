"""The web app, built by a factory that is handed its services: nothing connects at import."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.routing import Route

from ground.api import commands, errors, observe, stream, system
from ground.api.auth import TokenCheck
from ground.api.errors import UNAUTHORIZED, UNPROCESSABLE
from ground.api.limits import MAX_BODY_BYTES, BodyLimit
from ground.api.models import command_request_schemas
from ground.idempotency import HEADER
from ground.services import GroundServices

WEB_DIST = Path(__file__).parent / "web" / "dist"
# The console's own mark, inline so no request can miss.
_ICON = ("data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22 viewBox=%220 0 16 16%22"
         "%3E%3Ccircle cx=%228%22 cy=%228%22 r=%226%22 fill=%22none%22 stroke=%22%236cb6ff%22 "
         "stroke-width=%222%22/%3E%3C/svg%3E")
_NOT_BUILT = """<!doctype html><title>roverops</title>
<p>The console is not built. Run <code>make web</code> (or <code>make run</code>).</p>"""
DESCRIPTION = f"""Command a Mars rover across the light time.

Every route but health needs `Authorization: Bearer <token>` (401 without it or with a wrong
one). Each route lists every status it answers, with its body: 404 for an unknown rover,
command or channel; 409 for a conflict; 422 in FastAPI's validation shape, each `loc` naming
the field, also for a request body over {MAX_BODY_BYTES} bytes on any route. A method a path
does not serve answers 405 with an `Allow` header naming those it does.

`POST /rovers/{{rover}}/commands` answers 201 with the command queued, on disk; with an
`{HEADER}` header a repeat of the same request answers 200 with the command the first one
created, and the same key with another body 409. Times are ISO-8601 UTC with milliseconds and
`Z`. The stream of live updates is the WebSocket `/api/v1/stream?token=<token>`.
"""


class _GroundApp(FastAPI):
    """FastAPI, whose OpenAPI documents a command request with the dictionary's own schemas
    (:func:`ground.api.models.command_request_schemas`) in place of the generic model's."""

    def __init__(self, command_schemas: dict[str, dict[str, Any]], **options: Any) -> None:
        super().__init__(**options)
        self._command_schemas = command_schemas

    def openapi(self) -> dict[str, Any]:
        document = super().openapi()  # made again whenever the routes change
        schemas: dict[str, Any] = document["components"]["schemas"]
        if schemas.get("CommandRequest", {}).get("oneOf") is None:
            schemas.update(self._command_schemas)
        return document


def create_app(services: GroundServices, token: str, web_dir: Path = WEB_DIST) -> FastAPI:
    auth = TokenCheck(token)
    app = _GroundApp(command_request_schemas(services.dictionary), title="roverops ground",
                     version="1", docs_url=None, redoc_url=None, description=DESCRIPTION)
    app.add_middleware(BodyLimit)
    errors.install(app)
    protected = [Depends(auth)]
    app.include_router(system.health_router(services), prefix="/api/v1",
                       responses=UNPROCESSABLE)
    for router in (system.router(services), commands.router(services),
                   observe.router(services)):
        app.include_router(router, prefix="/api/v1", dependencies=protected,
                           responses={**UNAUTHORIZED, **UNPROCESSABLE})
    app.include_router(stream.router(services, auth), prefix="/api/v1")
    _answer_other_methods(app)

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


def _answer_other_methods(app: FastAPI) -> None:
    """A method an API path does not serve: 405 with ``Allow`` naming the methods the contract
    documents for it; any other path under ``/api``: 404. (Starlette would hand both to the
    console's files.) Added after the API's routes, so only what they leave comes here."""
    for path, operations in app.openapi()["paths"].items():
        allow = ", ".join(sorted(method.upper() for method in operations))
        app.router.routes.append(Route(path, JSONResponse(
            {"detail": "Method Not Allowed"}, 405, headers={"Allow": allow}),
            include_in_schema=False))
    app.router.routes.append(Route("/api/{rest:path}", JSONResponse(
        {"detail": "Not Found"}, 404), include_in_schema=False))
