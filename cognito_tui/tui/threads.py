"""Blocking calls off the UI thread, in daemon threads, so quitting never waits for a hung call.

Textual's thread workers run in asyncio's default executor, whose threads the interpreter joins at
exit: a call to an endpoint that never answers kept the process alive for minutes after ctrl+q.
Workers here are async and await `off_thread(fn)`: cancelling one (escape, exit) returns at once,
and the thread, if still blocked, dies with the process.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


async def off_thread(fn: Callable[..., T], *args: Any, name: str = "cognito-tui-call") -> T:
    """Run `fn(*args)` in a daemon thread and await its result (or its exception)."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def settle(setter: Callable[[Any], None], value: Any) -> None:
        if not future.done():  # cancelled meanwhile: the answer is dropped
            setter(value)

    def run() -> None:
        try:
            result = fn(*args)
        except BaseException as exc:  # handed to the awaiting worker, which reports it
            outcome: tuple[Callable[[Any], None], Any] = (future.set_exception, exc)
        else:
            outcome = (future.set_result, result)
        try:
            loop.call_soon_threadsafe(settle, *outcome)
        except RuntimeError:  # the loop is closed: the app has gone
            pass

    threading.Thread(target=run, name=name, daemon=True).start()
    return await future
