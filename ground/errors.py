"""The ground's branch of the one exception tree (root: ``spacelink.errors.SpacelinkError``).

::

    SpacelinkError
    └── GroundError
        ├── UnknownRoverError     no rover of that id
        ├── CommandNotFoundError  no command of that id for that rover
        ├── NotCancellableError   the command has left the queue (radiated or finished)
        ├── IdempotencyConflictError  an idempotency key already used for another request
        └── WeakTokenError        an API token too short to be a secret
"""

from __future__ import annotations

from spacelink.errors import SpacelinkError


class GroundError(SpacelinkError):
    pass


class UnknownRoverError(GroundError):
    def __init__(self, rover: str) -> None:
        super().__init__(f"unknown rover {rover!r}")
        self.rover = rover


class CommandNotFoundError(GroundError):
    def __init__(self, rover: str, command_id: int) -> None:
        super().__init__(f"rover {rover} has no command {command_id}")
        self.command_id = command_id


class NotCancellableError(GroundError):
    def __init__(self, command_id: int, state: str) -> None:
        reason = ("it is in flight and can no longer be recalled" if state != "cancelled"
                  else "it is already cancelled")
        super().__init__(f"command {command_id} is {state}: {reason}")
        self.command_id = command_id
        self.state = state


class IdempotencyConflictError(GroundError):
    def __init__(self, key: str, command_id: int) -> None:
        super().__init__(f"Idempotency-Key {key!r} was used for a different request "
                         f"(command {command_id}); send a new key for a new command")
        self.key = key
        self.command_id = command_id


class WeakTokenError(GroundError):
    def __init__(self, source: str, minimum: int) -> None:
        super().__init__(f"the API token from {source} is shorter than {minimum} characters")
