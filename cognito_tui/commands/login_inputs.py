"""Where a `login` request comes from besides its flags: a saved profile (and its keyring secrets) or a
`--cli-input-json` file; and the two errors `login` exits with before anything is sent."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from cognito_tui.core.problem import Problem

if TYPE_CHECKING:
    from cognito_tui.core.redact import Secret
    from cognito_tui.core.request import RequestFields


class UsageError(Problem):
    """Bad flags or input: exit 2 with this message."""

    title = "Usage"
    next_step = "cognito-tui login --help lists every flag."


class NoInput(Problem):
    """An answer was needed and stdin had none: exit 3."""

    title = "No input"
    next_step = "Give the answer with --answer NAME=VALUE, or one line per prompt on stdin."


def profile_fields(args) -> tuple[RequestFields, dict[str, Secret]]:
    """The fields of `--profile` and its stored secrets (warnings on stderr; a sandbox profile needs --endpoint-url)."""
    from cognito_tui.store.paths import profiles_path
    from cognito_tui.store.profile_model import SANDBOX_ENDPOINT
    from cognito_tui.store.profiles import load_profiles
    from cognito_tui.store.request_fields import fields_of_profile, stored_secrets
    from cognito_tui.store.secrets import open_secret_store

    path = profiles_path(args.config)
    loaded = load_profiles(path)
    for issue in loaded.issues:
        print(f"warning: {issue}", file=sys.stderr)
    profile = next((p for p in loaded.profiles if p.name == args.profile), None)
    if profile is None:
        names = ", ".join(p.name for p in loaded.profiles) or "none"
        raise UsageError(f"no profile {args.profile!r} in {path} (profiles: {names})")
    choice = open_secret_store()
    if choice.warning:
        print(f"warning: {choice.warning}", file=sys.stderr)
    from cognito_tui.store.secrets import SecretStoreError

    try:
        stored = stored_secrets(choice.store, profile.name)
    except SecretStoreError as exc:  # failing or hung after the start-up probe: carry on without stored secrets
        print(f"warning: {exc.text()}", file=sys.stderr)
        stored = {}
    fields = fields_of_profile(profile)
    if fields.endpoint_url == SANDBOX_ENDPOINT and not args.endpoint_url:
        raise UsageError(
            f"profile {profile.name!r} is for the sandbox (endpoint_url: sandbox), whose port changes each run: "
            "give --endpoint-url with the URL `cognito-tui sandbox` prints"
        )
    return fields, stored


def cli_input_fields(path: str, stored: dict) -> RequestFields:
    """The request in a --cli-input-json file; its secrets (PASSWORD, REFRESH_TOKEN...) go to `stored`."""
    from cognito_tui.core.redact import Secret
    from cognito_tui.core.validate import read_json_file
    from cognito_tui.store.cli_json import load_cli_input_json, profile_from_cli_input_json, session_from_cli_input_json
    from cognito_tui.store.request_fields import fields_of_profile

    read_json_file(path)  # bounded in size and depth before the import reads it
    try:
        data = load_cli_input_json(path)
        profile, secrets = profile_from_cli_input_json(data, name="cli-input-json")
        session = session_from_cli_input_json(data)
    except (OSError, ValueError) as exc:
        raise UsageError(str(exc)) from exc
    for kind, value in secrets.items():
        stored[str(getattr(kind, "value", kind))] = Secret(value)
    if session:
        stored["session"] = Secret(session)
    return fields_of_profile(profile)
