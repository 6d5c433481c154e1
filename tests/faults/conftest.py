"""`fault_server(mode)`: a started FaultServer on loopback, stopped after the test."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from tests.faults.server import FaultServer


@pytest.fixture
def fault_server() -> Iterator[Callable[..., FaultServer]]:
    started: list[FaultServer] = []

    def make(mode: str, **kw) -> FaultServer:
        server = FaultServer(mode, **kw).__enter__()
        started.append(server)
        return server

    yield make
    for server in started:
        server.__exit__(None, None, None)
