"""The remembered devices of the signed-in user, on the Tokens tab: list, forget, remember, and why MFA
was or was not skipped. Its parent (the Tokens pane) holds the walk and the tokens it acts with."""

from __future__ import annotations

from typing import Any

from rich.markup import escape
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Static

from cognito_tui.tui import messages as m
from cognito_tui.tui.threads import off_thread

HELP = "[dim]devices: l list · f forget selected · ctrl+k remember this one[/]"


class DevicesPanel(Vertical):
    DEFAULT_CSS = """
    DevicesPanel { height: auto; max-height: 10; }
    DevicesPanel #devices-note { height: auto; max-height: 3; padding: 0 1; }
    DevicesPanel DataTable { height: auto; max-height: 5; }
    """

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self.devices: list[dict[str, Any]] = []
        self.note_text = ""

    def compose(self) -> ComposeResult:
        yield Static(HELP, id="devices-note")
        yield DataTable(id="devices-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("device", "name", "status", "last proved")
        self.query_one(DataTable).display = False

    def show_note(self, text: str) -> None:
        self.note_text = text
        self.query_one("#devices-note", Static).update(f"{escape(text)} {HELP}" if text else HELP)

    def _tokens(self) -> tuple[Any, Any] | None:
        parent = self.parent
        walk, signed_in = getattr(parent, "walk", None), getattr(parent, "signed_in", None)
        if walk is None or signed_in is None:
            self.notify("Sign in first: devices are listed with the access token.", severity="warning")
            return None
        return walk, signed_in

    # --- actions ------------------------------------------------------------------------------------

    def list_devices(self) -> None:
        got = self._tokens()
        if got is not None:
            self.show_note("ListDevices…")
            self._list(*got)

    @work(exclusive=True, group="devices", exit_on_error=False, description="listing devices")
    async def _list(self, walk: Any, signed_in: Any) -> None:
        from cognito_tui.core.actions import TokenActions
        from cognito_tui.core.errors import CognitoError, TransportError, explain

        actions = TokenActions(walk.caller, walk.request)
        try:
            devices = await off_thread(actions.list_devices, signed_in.result["AccessToken"])
        except (CognitoError, TransportError) as exc:
            self.show_note(f"ListDevices failed: {explain(exc).text()}")
            return
        self.show_devices(devices)

    def show_devices(self, devices: list[dict[str, Any]]) -> None:
        from cognito_tui.core.devices import device_rows, tag

        self.devices = devices
        table = self.query_one(DataTable)
        table.clear()
        for row in device_rows(devices):
            table.add_row(tag(row.key), row.name, row.remembered, row.last_seen, key=row.key)
        table.display = bool(devices)
        self.show_note(f"{len(devices)} device(s) remembered for this user" if devices else "No devices for this user.")

    def forget_selected(self) -> None:
        got = self._tokens()
        if got is None:
            return
        table = self.query_one(DataTable)
        if not self.devices or table.cursor_row < 0:
            self.notify("List the devices first (d), then pick one.", severity="warning")
            return
        key = str(self.devices[min(table.cursor_row, len(self.devices) - 1)].get("DeviceKey", ""))
        self._forget(*got, key)

    @work(exclusive=True, group="devices", exit_on_error=False, description="forgetting a device")
    async def _forget(self, walk: Any, signed_in: Any, key: str) -> None:
        from cognito_tui.core.actions import TokenActions
        from cognito_tui.core.devices import tag
        from cognito_tui.core.errors import CognitoError, TransportError, explain

        actions = TokenActions(walk.caller, walk.request)
        token = signed_in.result["AccessToken"]
        try:
            await off_thread(actions.forget_device, token, key)
            devices = await off_thread(actions.list_devices, token)
        except (CognitoError, TransportError) as exc:
            self.show_note(f"ForgetDevice failed: {explain(exc).text()}")
            return
        self.post_message(DeviceForgotten(key))
        self.show_devices(devices)
        self.show_note(f"device {tag(key)} forgotten: the next sign-in asks for MFA again")

    def remember(self) -> None:
        got = self._tokens()
        if got is None:
            return
        walk, signed_in = got
        if not signed_in.new_device:
            self.notify(
                "No NewDeviceMetadata in these tokens (device tracking off, or a remembered device signed in).",
                severity="warning",
            )
            return
        self._remember(walk, signed_in)

    @work(exclusive=True, group="devices", exit_on_error=False, description="remembering the device")
    async def _remember(self, walk: Any, signed_in: Any) -> None:
        from cognito_tui.core.devices import tag
        from cognito_tui.core.errors import CognitoError, TransportError, explain
        from cognito_tui.core.totp_setup import remember_device

        try:
            device = await off_thread(
                remember_device, walk.caller, signed_in.result["AccessToken"], signed_in.new_device, "cognito-tui"
            )
        except (CognitoError, TransportError) as exc:
            self.show_note(f"ConfirmDevice failed: {explain(exc).text()}")
            return
        self.post_message(m.DeviceRemembered(device))
        note = (
            f"device {tag(device.device_key)} remembered (ConfirmDevice, UpdateDeviceStatus remembered): "
            "the next sign-in proves it with device SRP instead of MFA"
        )
        self.show_note(note)
        self.post_message(m.TokensChanged(None, f"ConfirmDevice: {note}"))  # the Tokens pane says so too


class DeviceForgotten(Message):
    """ForgetDevice succeeded: the vault must not send this key again."""

    def __init__(self, device_key: str) -> None:
        super().__init__()
        self.device_key = device_key


def devices_of(tokens_pane: Any) -> DevicesPanel:
    return tokens_pane.query_one(DevicesPanel)
