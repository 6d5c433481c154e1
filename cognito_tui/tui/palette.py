"""Every action in the command palette, named as in the footer and the help."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


def all_bindings(app) -> list:
    """The main screen's keys and the app's, as (binding, namespace to run it in)."""
    main = app.screen_stack[0] if app.screen_stack else app.screen
    return [(b, main) for b in getattr(main, "BINDINGS", [])] + [(b, app) for b in app.BINDINGS]


class ActionsProvider(Provider):
    """The bindings as palette commands (so keymap changes show here too), each with its line of help."""

    def _commands(self):
        for binding, namespace in all_bindings(self.app):
            if binding.action == "quit" or not binding.description:
                continue
            callback = partial(self.app.run_action, binding.action, namespace)
            yield binding.description, binding.tooltip or binding.description, callback

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
