"""The footer is rebuilt when the keys it shows change, not on every focus move."""

from __future__ import annotations

import asyncio

from textual.app import App
from textual.binding import Binding
from textual.widgets import Button, Input

from cognito_tui.tui.footer import QuietFooter


class Shown(Input):
    BINDINGS = [Binding("ctrl+g", "noop", "Shown while focused", show=True)]


class Two(App):
    BINDINGS = [Binding("ctrl+b", "noop", "Always")]

    def compose(self):
        yield Input(id="a")
        yield Button("b", id="b")
        yield Shown(id="c")
        yield QuietFooter()


def test_focus_moves_recompose_only_when_the_shown_keys_change():
    async def main() -> None:
        app = Two()
        async with app.run_test() as pilot:
            footer = app.query_one(QuietFooter)
            composed: list[int] = []
            real = footer.recompose

            async def counted() -> None:
                composed.append(1)
                await real()

            footer.recompose = counted  # type: ignore[method-assign]
            await pilot.pause()
            app.query_one("#a").focus()
            await pilot.pause()
            app.query_one("#b").focus()
            await pilot.pause()
            quiet = len(composed)
            app.query_one("#c").focus()  # a key shown only while this field has the focus
            await pilot.pause()
            await pilot.pause()
            assert len(composed) > quiet
            assert "Shown while focused" in str([k.description for k in footer.query("FooterKey")])
            assert quiet <= 1  # the first call builds; moves between fields with the same keys do not

    asyncio.run(main())
