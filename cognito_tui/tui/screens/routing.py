"""The main screen's routing: panes built on first show, messages to them in order, the form, the tabs.

Every tab pane is a `LazyPane`; `send(name, fn)` runs `fn(content)` now if the pane is mounted, else once
it is. Key actions that read the Connect form wait for it with `needs_form`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from textual.screen import Screen
from textual.widgets import TabbedContent

from cognito_tui.tui.lazy import LazyPane
from cognito_tui.tui.widgets.profiles import ProfilesPane

if TYPE_CHECKING:
    from cognito_tui.core.redact import Secret
    from cognito_tui.core.request import DeviceSecrets
    from cognito_tui.tui.services import Services
    from cognito_tui.tui.vault_hooks import VaultHooks
    from cognito_tui.tui.widgets.connect import ConnectForm

DeviceScope = tuple[str, str, str, str]  # profile, username, user pool id, endpoint
FOCUS = {"tokens": "#id-claims", "calls": "#timeline", "history": "#runs", "connect": "#user_pool_id"}
F = TypeVar("F", bound=Callable[..., None])


def needs_form(action: F) -> F:
    """An action that reads the Connect form: run now if the form is built, else as soon as it is."""

    @wraps(action)
    def wrapper(self: RoutedScreen, *args: Any, **kw: Any) -> None:
        self.send("connect", lambda _pane: action(self, *args, **kw))

    return wrapper  # type: ignore[return-value]


class RoutedScreen(Screen):
    """What the main screen's parts share: its state (set in MainScreen.__init__) and the routing to panes."""

    services: Services
    step: Any
    revealed: bool
    presenting: bool
    wanted_tab: str
    learned: dict[str, Secret]
    session_devices: dict[DeviceScope, DeviceSecrets]
    signed_in_scope: DeviceScope | None
    vault_hooks: VaultHooks

    def say(self, text: str, error: bool = False) -> None:
        raise NotImplementedError  # the status line: MainScreen

    def _is_saved_target(self, scope: DeviceScope) -> bool:
        raise NotImplementedError  # MainScreen: whether the scope is the saved profile's

    def pane(self, name: str) -> LazyPane:
        return self.query_one(f"#{name}", LazyPane)

    def send(self, name: str, fn) -> None:
        """Call `fn(pane content)`: now if the tab is built, else once it is (built now, hidden)."""
        pane = self.pane(name)
        pane.build()
        pane.deliver(fn)

    def action_to(self, name: str, method: str) -> None:
        if name == "profiles":
            getattr(self.query_one(ProfilesPane), method)()
        else:
            self.send(name, lambda content: getattr(content, method)())

    def form(self) -> ConnectForm:
        """The Connect form (built right after the first frame: key actions wait for it with `needs_form`)."""
        from cognito_tui.tui.widgets.connect import ConnectForm  # loaded with the pane, after the first frame

        return self.query_one(ConnectForm)

    def action_tab(self, name: str) -> None:
        self.show_tab(name)

    def show_tab(self, name: str) -> None:
        """Switch tabs and move focus into the new one (focus left in the old tab would switch back)."""
        self.wanted_tab = name
        self.query_one("#tabs", TabbedContent).active = name
        self.send(name, lambda content: self.call_after_refresh(self._focus_in, name, content))

    def _focus_in(self, name: str, content) -> None:
        if name != self.wanted_tab:
            return  # another tab was asked for meanwhile (a fast sign-in): focus here would switch back to this one
        if name == "walk":
            content.query_one("#challenge").focus_first_field(fallback=True)
        elif name in FOCUS:
            self.query_one(FOCUS[name]).focus()
