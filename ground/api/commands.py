"""Commands and the queue: ``/api/v1/rovers/{rover}/commands`` and ``/queue``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query, Response, status
from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import SkipJsonSchema

from ground.api.bodies import StrictJsonRoute
from ground.api.errors import UNKNOWN_ROVER, conflict, not_found
from ground.api.models import Command, QueueState
from ground.api.params import RoverId
from ground.idempotency import HEADER, KEY_PATTERN, MAX_KEY_LENGTH
from ground.lifecycle import State
from ground.services import GroundServices

IdempotencyKey = Annotated[str | SkipJsonSchema[None], Header(
    alias=HEADER, min_length=1, max_length=MAX_KEY_LENGTH, pattern=KEY_PATTERN,
    json_schema_extra={"pattern": KEY_PATTERN},  # pydantic leaves it out beside SkipJsonSchema
    description="Optional, 1 to 128 printable ASCII characters (a UUID will do). A POST "
                "repeated with the same key and the same body queues nothing new: it answers "
                "200 with the command the first one created, so a client that lost an answer "
                "can safely send again. The same key with a different body answers 409. Keys "
                "are kept per rover, for as long as their command.")]
CommandId = Annotated[int, Path(ge=1, le=2**63 - 1, description="The command's id")]
# Where a command answered by POST goes on (OpenAPI links: clients and the fuzzer follow them).
_FOLLOW = {
    operation: {"operationId": operation, "description": description, "parameters": {
        "rover": "$request.path.rover", "command_id": "$response.body#/id"}}
    for operation, description in (("getCommand", "The command as it goes on"),
                                   ("cancelCommand", "Cancel it while it is queued"))
}


class CommandRequest(BaseModel):
    """Checked here for its shape; the dictionary checks the rest (its OpenAPI schema is the
    dictionary's: :func:`ground.api.models.command_request_schemas`)."""

    model_config = ConfigDict(extra="forbid", strict=True)
    name: str = Field(min_length=1, max_length=64, description="A command of the dictionary")
    args: dict[str, Any] = Field(default_factory=dict, max_length=32,
                                 description="Arguments by name, as the dictionary types them")


class QueueRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    held: bool = Field(description="True: hold new commands in the queue; false: release it")


def router(services: GroundServices) -> APIRouter:
    """The routes; the ground's errors become HTTP answers in :mod:`ground.api.errors`."""
    api = APIRouter(prefix="/rovers/{rover}", tags=["commands"], route_class=StrictJsonRoute)
    commanding = services.commanding
    no_command = not_found("No rover of that id, or no command of that id for that rover")

    @api.post("/commands", status_code=status.HTTP_201_CREATED, response_model=Command,
              operation_id="submitCommand", responses={
                  201: {"description": "Queued: the command, on disk", "links": _FOLLOW},
                  200: {"model": Command, "links": _FOLLOW,
                        "description": f"A repeat of a request already taken under its "
                                       f"{HEADER}: the command it created, as it is now"},
                  **not_found(UNKNOWN_ROVER),
                  **conflict(f"The {HEADER} was already used with a different body"),
              })
    async def submit(rover: RoverId, request: CommandRequest, response: Response,
                     idempotency_key: IdempotencyKey = None) -> dict[str, object]:
        """Queue a command. It is on disk when this answers 201."""
        if idempotency_key is None:
            return commanding.submit(rover, request.name, request.args).to_json()
        submission = commanding.submit_once(rover, request.name, request.args,
                                            idempotency_key)
        if not submission.created:
            response.status_code = status.HTTP_200_OK
        return submission.record.to_json()

    @api.get("/commands", response_model=list[Command], operation_id="listCommands",
             responses=not_found(UNKNOWN_ROVER))
    async def list_commands(
        rover: RoverId, state: State | SkipJsonSchema[None] = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> list[dict[str, object]]:
        """Commands, newest first."""
        commanding.rover(rover)
        return [c.to_json() for c in services.store.commands(rover, state, limit)]

    @api.get("/commands/{command_id}", response_model=Command, operation_id="getCommand",
             responses=no_command)
    async def get_command(rover: RoverId, command_id: CommandId) -> dict[str, object]:
        """One command and its history."""
        return commanding.get(rover, command_id).to_json()

    @api.delete("/commands/{command_id}", response_model=Command,
                operation_id="cancelCommand", responses={
        200: {"description": "Cancelled: the command, kept with its history"},
        **no_command,
        **conflict("The command has left the queue (radiated or ended), or is already "
                   "cancelled"),
    })
    async def cancel(rover: RoverId, command_id: CommandId) -> dict[str, object]:
        """Cancel a queued command; 409 once it has been radiated."""
        return commanding.cancel(rover, command_id).to_json()

    @api.get("/queue", response_model=QueueState, operation_id="getQueue",
             responses=not_found(UNKNOWN_ROVER))
    async def get_queue(rover: RoverId) -> dict[str, object]:
        """Whether the queue is held, and how many commands wait in it."""
        return commanding.queue_state(rover).to_json()

    @api.put("/queue", response_model=QueueState, operation_id="setQueue",
             responses=not_found(UNKNOWN_ROVER))
    async def put_queue(rover: RoverId, request: QueueRequest) -> dict[str, object]:
        """Hold (new commands stay queued) or release the rover's queue."""
        return commanding.set_held(rover, request.held).to_json()

    return api
