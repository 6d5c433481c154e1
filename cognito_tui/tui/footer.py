"""A Footer that is rebuilt only when the keys it shows change, not on every focus move.

Textual's Footer recomposes (a widget per key) whenever the screen's bindings are updated, which is
every focus change: during a sign-in that was a large share of the UI thread's time, and each
recompose left its old keys alive (their `data_bind` to the footer kept them), ~120 widgets a walk.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer


class QuietFooter(Footer):
    """Footer whose recompose is skipped while the shown keys (key, label, enabled, tooltip) are the same."""

    _shown: tuple[Any, ...] | None = None

    def _signature(self, screen: Screen) -> tuple[Any, ...]:
        """What compose() would draw: the shown bindings, in order, and the palette key."""
        shown = tuple(
            (binding.key, binding.action, binding.description, enabled, tooltip)
            for (_, binding, enabled, tooltip) in screen.active_bindings.values()
            if binding.show
        )
        return shown, self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE

    def bindings_changed(self, screen: Screen) -> None:
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            super().bindings_changed(screen)
            return
        shown = self._signature(screen)
        if shown == self._shown:
            self._bindings_ready = True
            return
        self._shown = shown
        super().bindings_changed(screen)
