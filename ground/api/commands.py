"""Commands and the queue: ``/api/v1/rovers/{rover}/commands`` and ``/queue``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, status
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field

from ground.errors import CommandNotFoundError, NotCancellableError, UnknownRoverError
from ground.lifecycle import State
from ground.services import GroundServices
from spacelink.errors import ArgumentError, UnknownCommandError


class CommandRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=64, description="A command of the dictionary")
    args: dict[str, Any] = Field(default_factory=dict, max_length=32,
                                 description="Arguments by name, as the dictionary types them")


class QueueRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    held: bool


def _not_found(exc: UnknownRoverError | CommandNotFoundError) -> HTTPException:
    return HTTPException(status.HTTP_404_NOT_FOUND, str(exc))


def router(services: GroundServices) -> APIRouter:
    api = APIRouter(prefix="/rovers/{rover}", tags=["commands"])
    commanding = services.commanding

    @api.post("/commands", status_code=status.HTTP_201_CREATED)
    async def submit(rover: str, request: CommandRequest) -> dict[str, object]:
        """Queue a command. It is on disk when this answers 201."""
        try:
            return commanding.submit(rover, request.name, request.args).to_json()
        except UnknownRoverError as exc:
            raise _not_found(exc) from exc
        except UnknownCommandError as exc:
            raise RequestValidationError([{"loc": ("body", "name"), "msg": str(exc),
                                           "type": "unknown_command", "input": exc.name}]) from exc
        except ArgumentError as exc:
            raise RequestValidationError([{
                "loc": ("body", "args", exc.field), "msg": exc.reason, "type": "invalid_argument",
                "input": request.args.get(exc.field)}]) from exc

    @api.get("/commands")
    async def list_commands(
        rover: str, state: State | None = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> list[dict[str, object]]:
        """Commands, newest first."""
        try:
            commanding.rover(rover)
        except UnknownRoverError as exc:
            raise _not_found(exc) from exc
        return [c.to_json() for c in services.store.commands(rover, state, limit)]

    @api.get("/commands/{command_id}")
    async def get_command(rover: str, command_id: int) -> dict[str, object]:
        try:
            return commanding.get(rover, command_id).to_json()
        except (UnknownRoverError, CommandNotFoundError) as exc:
            raise _not_found(exc) from exc

    @api.delete("/commands/{command_id}")
    async def cancel(rover: str, command_id: int) -> dict[str, object]:
        """Cancel a queued command; 409 once it has been radiated."""
        try:
            return commanding.cancel(rover, command_id).to_json()
        except (UnknownRoverError, CommandNotFoundError) as exc:
            raise _not_found(exc) from exc
        except NotCancellableError as exc:
            raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from exc

    @api.get("/queue")
    async def get_queue(rover: str) -> dict[str, object]:
        try:
            return commanding.queue_state(rover).to_json()
        except UnknownRoverError as exc:
            raise _not_found(exc) from exc

    @api.put("/queue")
    async def put_queue(rover: str, request: QueueRequest) -> dict[str, object]:
        """Hold (new commands stay queued) or release the rover's queue."""
        try:
            return commanding.set_held(rover, request.held).to_json()
        except UnknownRoverError as exc:
            raise _not_found(exc) from exc

    return api
