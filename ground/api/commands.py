"""Commands and the queue: ``/api/v1/rovers/{rover}/commands`` and ``/queue``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Response, status
from pydantic import BaseModel, ConfigDict, Field

from ground.idempotency import HEADER, KEY_PATTERN, MAX_KEY_LENGTH
from ground.lifecycle import State
from ground.services import GroundServices

IdempotencyKey = Annotated[str | None, Header(
    alias=HEADER, min_length=1, max_length=MAX_KEY_LENGTH, pattern=KEY_PATTERN,
    description="Optional, 1 to 128 printable ASCII characters (a UUID will do). A POST "
                "repeated with the same key and the same body queues nothing new: it answers "
                "200 with the command the first one created, so a client that lost an answer "
                "can safely send again. The same key with a different body answers 409. Keys "
                "are kept per rover, for as long as their command.")]


class CommandRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=64, description="A command of the dictionary")
    args: dict[str, Any] = Field(default_factory=dict, max_length=32,
                                 description="Arguments by name, as the dictionary types them")


class QueueRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    held: bool


def router(services: GroundServices) -> APIRouter:
    """The routes; the ground's errors become HTTP answers in :mod:`ground.api.errors`."""
    api = APIRouter(prefix="/rovers/{rover}", tags=["commands"])
    commanding = services.commanding

    @api.post("/commands", status_code=status.HTTP_201_CREATED, responses={
        201: {"description": "Queued: the command, on disk"},
        200: {"description": f"A repeat of a request already taken under its {HEADER}: "
                             "the command it created, as it is now"},
        409: {"description": f"The {HEADER} was already used with a different body"},
    })
    async def submit(rover: str, request: CommandRequest, response: Response,
                     idempotency_key: IdempotencyKey = None) -> dict[str, object]:
        """Queue a command. It is on disk when this answers 201."""
        if idempotency_key is None:
            return commanding.submit(rover, request.name, request.args).to_json()
        submission = commanding.submit_once(rover, request.name, request.args,
                                            idempotency_key)
        if not submission.created:
            response.status_code = status.HTTP_200_OK
        return submission.record.to_json()

    @api.get("/commands")
    async def list_commands(
        rover: str, state: State | None = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> list[dict[str, object]]:
        """Commands, newest first."""
        commanding.rover(rover)
        return [c.to_json() for c in services.store.commands(rover, state, limit)]

    @api.get("/commands/{command_id}")
    async def get_command(rover: str, command_id: int) -> dict[str, object]:
        return commanding.get(rover, command_id).to_json()

    @api.delete("/commands/{command_id}")
    async def cancel(rover: str, command_id: int) -> dict[str, object]:
        """Cancel a queued command; 409 once it has been radiated."""
        return commanding.cancel(rover, command_id).to_json()

    @api.get("/queue")
    async def get_queue(rover: str) -> dict[str, object]:
        return commanding.queue_state(rover).to_json()

    @api.put("/queue")
    async def put_queue(rover: str, request: QueueRequest) -> dict[str, object]:
        """Hold (new commands stay queued) or release the rover's queue."""
        return commanding.set_held(rover, request.held).to_json()

    return api
