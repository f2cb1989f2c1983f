"""The HTTP contract, fuzzed: Schemathesis against the live ``/openapi.json`` finds nothing.

A ground on the in-memory bus serves the API on a free port of 127.0.0.1, with a rover that
has spoken (housekeeping, events, a presence behind a bridge with its counters, a command
taken to its end), so every body the fuzzer validates has something in it. Schemathesis runs
as its own process with every phase (examples, coverage, fuzzing, stateful through the
OpenAPI's links) and every check, bounded by ``MAX_EXAMPLES`` per operation and a fixed seed
so a run is repeatable; any server error, undocumented status, response that breaks its
schema, request the schema allows but the API refuses (or the reverse), 405 without ``Allow``
or auth not enforced fails the test with Schemathesis's report.

One check is left out: ``use_after_free`` expects a resource to be gone (404) after a
successful DELETE. ``DELETE /commands/{id}`` cancels a queued command, which stays readable
with its history (state ``cancelled``), as API v1 has always had it (docs/api.md).
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

import httpx
import pytest

from ground import segment
from ground.app import create_app
from ground.server import bind, serve
from ground.services import GroundServices
from tests.ground.conftest import TOKEN, open_link
from tests.ground.test_contract import a_rover_that_has_spoken
from tests.support.memory_bus import MemoryBroker

pytestmark = pytest.mark.integration

MAX_EXAMPLES = 10  # per operation and phase: the run lasts well under a minute on 2 cores
SEED = 1
RUN_TIMEOUT_S = 240.0


async def test_the_fuzzer_finds_nothing(services: GroundServices, memory_broker: MemoryBroker,
                                        tmp_path: Path) -> None:
    sock = bind("127.0.0.1", 0)
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    await open_link(memory_broker)
    ground = asyncio.create_task(segment.run(services))
    server = asyncio.create_task(serve(create_app(services, TOKEN), sock))
    try:
        async with httpx.AsyncClient(base_url=base, headers={
                "Authorization": f"Bearer {TOKEN}"}) as http:
            await a_rover_that_has_spoken(http, services, memory_broker)
        started = time.monotonic()
        fuzzer = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "schemathesis.cli", "run", f"{base}/openapi.json",
            "--checks", "all", "--exclude-checks", "use_after_free",
            "--max-examples", str(MAX_EXAMPLES), "--seed", str(SEED),
            "--header", f"Authorization: Bearer {TOKEN}",
            "--generation-database", "none", "--workers", "2", "--request-timeout", "10",
            "--no-color",
            cwd=tmp_path, stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT)
        try:
            output, _ = await asyncio.wait_for(fuzzer.communicate(), RUN_TIMEOUT_S)
        except TimeoutError:
            fuzzer.kill()
            await fuzzer.wait()
            raise
        report = output.decode(errors="replace")
        print(f"schemathesis: {time.monotonic() - started:.1f} s\n{report}")
        assert fuzzer.returncode == 0, report
        assert "No issues found" in report, report
        operations = len([op for item in create_app(services, TOKEN).openapi()["paths"].values()
                          for op in item])
        assert f"Tested: {operations}" in report, report  # every operation, none skipped
    finally:
        server.cancel()
        ground.cancel()
        await asyncio.gather(server, ground, return_exceptions=True)
