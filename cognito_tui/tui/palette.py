"""Every action in the command palette, named as in the footer and the help."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


class ActionsProvider(Provider):
    """The app's bindings as palette commands (so keymap changes show here too)."""

    def _commands(self):
        app = self.app
        for binding in app.BINDINGS:
            if binding.action in ("quit",) or not binding.description:
                continue
            yield binding.description, binding.id or binding.action, partial(app.run_action, binding.action)

    async def discover(self) -> Hits:
        for name, ident, callback in self._commands():
            yield DiscoveryHit(name, callback, help=ident)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, ident, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=ident)
