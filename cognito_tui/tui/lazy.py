"""Tab panes built when first shown, so the first frame composes only the visible one.

Calls meant for a pane not built yet wait in order (`deliver`) and run once it is mounted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import TabPane


class LazyPane(TabPane):
    """A TabPane whose one child is made by `factory`, on first `build()` (or at once if `eager`)."""

    def __init__(self, title: str, factory: Callable[[], Widget], *, id: str, eager: bool = False) -> None:
        super().__init__(title, id=id)
        self._factory = factory
        self._eager = eager
        self.content: Any = None
        self.ready = False
        self._pending: list[Callable[[Any], object]] = []

    def compose(self) -> ComposeResult:
        if self._eager:
            self.content = self._factory()
            yield self.content

    def on_mount(self) -> None:
        if self._eager:
            self.call_after_refresh(self._flush)

    def build(self) -> None:
        """Mount the content if it is not there yet; pending calls run after it is mounted."""
        if self.content is not None:
            return
        self.content = self._factory()
        self.call_later(self._mount_content)

    async def _mount_content(self) -> None:
        if not self.is_attached or self._closing:  # the app left before the pane was built
            return
        await self.mount(self.content)
        self._flush()

    def _flush(self) -> None:
        self.ready = True
        pending, self._pending = self._pending, []
        for fn in pending:
            fn(self.content)

    def deliver(self, fn: Callable[[Any], object]) -> None:
        """Call `fn(content)` now if the pane is built, else once it is."""
        if self.ready:
            fn(self.content)
        else:
            self._pending.append(fn)
