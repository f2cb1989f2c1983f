"""``WS /api/v1/stream``: every command, telemetry, event, link and rover update, live."""

from __future__ import annotations

import asyncio
import contextlib

from fastapi import APIRouter, WebSocket, WebSocketDisconnect, status

from ground.api.auth import TokenCheck
from ground.services import GroundServices


def router(services: GroundServices, auth: TokenCheck) -> APIRouter:
    api = APIRouter()

    @api.websocket("/stream")
    async def stream(websocket: WebSocket, token: str | None = None) -> None:
        if not auth.matches(token):
            await websocket.close(code=status.WS_1008_POLICY_VIOLATION,
                                  reason="missing or wrong token")
            return
        await websocket.accept()
        with services.hub.client() as queue:
            await websocket.send_json({"type": "link", "rover": None,
                                       "data": services.link.state()})
            closed = asyncio.create_task(_wait_closed(websocket))
            try:
                while not closed.done():
                    getter = asyncio.create_task(queue.get())
                    done, _ = await asyncio.wait({getter, closed},
                                                 return_when=asyncio.FIRST_COMPLETED)
                    if getter not in done:
                        getter.cancel()
                        break
                    text = getter.result()
                    if text is None:  # too far behind: the client resynchronises
                        await websocket.close(code=status.WS_1013_TRY_AGAIN_LATER)
                        break
                    await websocket.send_text(text)
            except WebSocketDisconnect:
                pass
            finally:
                closed.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await closed

    return api


async def _wait_closed(websocket: WebSocket) -> None:
    with contextlib.suppress(WebSocketDisconnect):
        while True:
            await websocket.receive_text()
