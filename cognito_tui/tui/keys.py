"""Every key of the main screen, with an id (remappable in settings.yaml) and a line of help.

`to('pane', 'method')` sends the key to the pane that owns the work; the main screen's own
actions assemble what several panes hold (the sign-in request, the reveal toggle).
"""

from __future__ import annotations

from textual.binding import Binding

TABS = ("connect", "walk", "tokens", "calls", "history")


def _key(keys: str, action: str, description: str, id: str, tooltip: str, show: bool = False) -> Binding:
    return Binding(keys, action, description, id=id, tooltip=tooltip, show=show)


MAIN_KEYS = [
    _key("ctrl+r", "start_walk", "Start", "start-walk", "start the sign-in with what the form holds", show=True),
    _key("ctrl+s", "answer", "Answer", "answer", "send the answer to the current challenge", show=True),
    _key("ctrl+e", "retry", "Retry", "retry", "answer the refused challenge again, or restart when it cannot be"),
    _key("escape", "to('walk', 'cancel')", "Cancel call", "cancel", "stop waiting for the call in progress"),
    _key("f5", "preflight", "Pre-flight", "preflight", "read the pool, client and user before signing in", show=True),
    _key("ctrl+l", "load_pools", "Load pools", "load-pools", "list the pools and clients this account can see"),
    _key("ctrl+t", "fill_totp", "TOTP code", "fill-totp", "type the current authenticator code from the seed"),
    _key(
        "ctrl+g", "answer_totp", "Send TOTP", "answer-totp", "answer SOFTWARE_TOKEN_MFA from the stored seed, one key"
    ),
    _key(
        "t",
        "totp_workbench",
        "TOTP workbench",
        "totp-workbench",
        "the stored seed's code, and TOTP setup outside a sign-in",
    ),
    _key("l", "devices('list_devices')", "List devices", "list-devices", "the user's remembered devices (ListDevices)"),
    _key("f", "devices('forget_selected')", "Forget device", "forget-device", "ForgetDevice for the selected device"),
    _key("ctrl+o", "fill_outbox", "Outbox code", "fill-outbox", "type the last code the sandbox sent this user"),
    _key("ctrl+y", "reveal", "Reveal", "reveal", "show or mask secrets everywhere", show=True),
    _key(
        "c", "to('calls', 'copy_cli')", "Copy CLI", "copy-cli", "copy the selected call as an aws cognito-idp command"
    ),
    _key(
        "ctrl+f",
        "to('tokens', 'refresh_tokens')",
        "Refresh tokens",
        "refresh-tokens",
        "new tokens from the refresh token",
    ),
    _key("g", "to('tokens', 'get_user')", "GetUser", "get-user", "the user's attributes, with the access token"),
    _key("v", "to('tokens', 'revoke')", "Revoke", "revoke", "revoke the refresh token (and the tokens it issued)"),
    _key("o", "to('tokens', 'global_sign_out')", "Global sign-out", "global-sign-out", "end every session"),
    _key(
        "x", "to('tokens', 'export')", "Export tokens", "export-tokens", "copy the tokens as env, header, curl or JSON"
    ),
    _key(
        "u", "to('tokens', 'ask_curl_url')", "curl URL", "curl-url", "the URL a curl export sends the access token to"
    ),
    _key("d", "to('tokens', 'compare')", "Compare claims", "compare-claims", "these claims beside an earlier run's"),
    _key("ctrl+k", "devices('remember')", "Remember device", "remember-device", "ConfirmDevice, then remembered"),
    _key("ctrl+n", "save_profile", "Save profile", "save-profile", "save the form as a profile"),
    _key("f2", "to('profiles', 'rename')", "Rename profile", "rename-profile", "rename the selected profile"),
    _key("ctrl+d", "to('profiles', 'duplicate')", "Duplicate profile", "duplicate-profile", "copy the profile"),
    _key("delete", "to('profiles', 'delete')", "Delete profile", "delete-profile", "delete it and its secrets"),
    _key("f3", "to('profiles', 'show_yaml')", "Profiles YAML", "show-yaml", "profiles.yaml as it will be written"),
    _key("f4", "to('profiles', 'show_secrets')", "Stored secrets", "show-secrets", "the secrets kept, by name"),
    _key(
        "f12", "to('profiles', 'focus_list')", "Profiles", "focus-profiles", "back to the profile list, from anywhere"
    ),
    _key("p", "toggle_present", "Presenter mode", "presenter", "narration and a sequence diagram, secrets masked"),
    _key("w", "export_walk", "Export walk", "export-walk", "write the walk as an AWS CLI script, boto3 or Markdown"),
    _key("s", "scenarios", "Run scenarios", "scenarios", "run a scenario file's walks, live, pass or fail"),
    _key("f6", "to('walk', 'toggle_step_mode')", "Step mode", "step-mode", "stop at SRP steps instead of answering"),
    # Tabs: F7..F11 everywhere (tmux and screen pass them; alt+digit arrives mangled, ctrl+digit not
    # at all), and the plain digits 1..5 whenever no text field has the focus.
    *(
        _key(f"f{7 + i},{i + 1},alt+{i + 1}", f"tab('{name}')", name.title(), f"tab-{name}", f"go to the {name} tab")
        for i, name in enumerate(TABS)
    ),
]
