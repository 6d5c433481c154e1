"""Saved profiles to and from the request model (core.request.RequestFields), in one place.

The TUI and `login` read a profile through `fields_of_profile` and its secrets through
`stored_secrets`; the TUI saves the form back through `profile_from_fields`.
"""

from __future__ import annotations

from typing import Any

from cognito_tui.core.redact import Secret
from cognito_tui.core.request import RequestFields
from cognito_tui.store.cli_json import context_to_aws
from cognito_tui.store.profiles import ContextData, Profile
from cognito_tui.store.secrets import SecretKind, SecretStore

FIELD_NAMES = (
    "region",
    "endpoint_url",
    "aws_profile",
    "user_pool_id",
    "client_id",
    "auth_flow",
    "api",
    "username",
    "analytics_endpoint_id",
)


def fields_of_profile(profile: Profile) -> RequestFields:
    """A profile's fields as the request model, context data in the AdminInitiateAuth shape."""
    data: dict[str, Any] = {name: getattr(profile, name) for name in FIELD_NAMES}
    data["client_metadata"] = dict(profile.client_metadata)
    if profile.context_data is not None:
        data["context_data"] = context_to_aws(profile.context_data, admin=True)[1]
    return RequestFields.from_mapping(data)


def profile_from_fields(name: str, fields: RequestFields, notes: str | None = None) -> Profile:
    """The profile to save for what the form holds (secrets are never part of it)."""
    context = None
    if fields.context_data:
        cd = fields.context_data
        context = ContextData(
            cd.get("IpAddress"),
            cd.get("ServerName"),
            cd.get("ServerPath"),
            [(h["headerName"], h["headerValue"]) for h in cd.get("HttpHeaders", [])],
            cd.get("EncodedData"),
        )
    return Profile(
        name=name,
        **{n: getattr(fields, n) or None for n in FIELD_NAMES},
        client_metadata=dict(fields.client_metadata),
        context_data=context,
        notes=notes,
    )


def stored_secrets(store: SecretStore, profile: str) -> dict[str, Secret]:
    """Every secret kept for `profile`, by kind name (raises the store's error when it fails)."""
    out: dict[str, Secret] = {}
    for kind in SecretKind:
        value = store.get(profile, kind)
        if value:
            out[kind.value] = value
    return out
