"""The HTML of managed login's pages: sign-in, challenges, and the error page, kept plain and labelled."""

from __future__ import annotations

import html
from collections.abc import Iterable

STYLE = ("body{font-family:system-ui,sans-serif;max-width:26em;margin:3em auto;line-height:1.5}"
         "label{display:block;margin-top:.8em}input{width:100%;padding:.4em}button{margin-top:1em;padding:.5em 1.5em}"
         ".error{color:#b00020}.note{color:#555;font-size:.9em}")  # fmt: skip


def page(title: str, body: str) -> str:
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{STYLE}</style></head><body><h1>{html.escape(title)}</h1>{body}"
            '<p class="note">cognito-tui sandbox: managed login, emulated on loopback.</p></body></html>')  # fmt: skip


def hidden(fields: dict[str, str]) -> str:
    return "".join(f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">' for k, v in fields.items())


def error_line(message: str | None) -> str:
    return f'<p class="error" id="error" role="alert">{html.escape(message, quote=False)}</p>' if message else ""


def login_form(action: str, params: dict[str, str], client_name: str, message: str | None = None,
               username: str = "") -> str:  # fmt: skip
    return page("Sign in", (
        f"<p>Sign in to <strong>{html.escape(client_name)}</strong></p>{error_line(message)}"
        f'<form method="post" action="{html.escape(action)}">{hidden(params)}'
        f'<label for="username">Username</label><input id="username" name="username" autocomplete="username" '
        f'value="{html.escape(username)}" required>'
        '<label for="password">Password</label><input id="password" name="password" type="password" '
        'autocomplete="current-password" required>'
        '<button type="submit" id="signin" name="signin">Sign in</button></form>'))  # fmt: skip


def challenge_form(action: str, flow_id: str, challenge: str, prompt: str, fields: Iterable[tuple[str, str, str]],
                   message: str | None = None, choices: Iterable[str] = ()) -> str:  # fmt: skip
    """fields: (name, label, input type); choices: buttons named `choice`."""
    inputs = "".join(f'<label for="{n}">{html.escape(label)}</label><input id="{n}" name="{n}" type="{t}" required>'
                     for n, label, t in fields)  # fmt: skip
    buttons = "".join(f'<button type="submit" name="choice" value="{html.escape(c)}">{html.escape(c)}</button>'
                      for c in choices)  # fmt: skip
    submit = buttons or '<button type="submit" id="submit" name="submit">Continue</button>'
    return page(_TITLES.get(challenge, challenge), (
        f"<p>{html.escape(prompt)}</p>{error_line(message)}"
        f'<form method="post" action="{html.escape(action)}">{hidden({"flow": flow_id})}{inputs}{submit}</form>'))  # fmt: skip


def totp_setup_form(action: str, flow_id: str, username: str, secret: str, message: str | None = None) -> str:
    """MFA setup: the authenticator secret (and its otpauth URI, what the QR code holds), then a code."""
    from urllib.parse import quote

    uri = f"otpauth://totp/{quote('cognito-tui sandbox')}:{quote(username)}?secret={secret}&issuer={quote('cognito-tui sandbox')}"
    return page("Set up an authenticator app", (
        "<p>Multi-factor authentication is required. Add this key to your authenticator app, then enter the "
        f'6-digit code it shows.</p><p>Key: <code id="secret">{html.escape(secret)}</code></p>'
        f'<p class="note">Or open <a id="otpauth" href="{html.escape(uri)}">{html.escape(uri)}</a></p>'
        f"{error_line(message)}"
        f'<form method="post" action="{html.escape(action)}">{hidden({"flow": flow_id})}'
        '<label for="code">Code</label><input id="code" name="code" type="text" autocomplete="one-time-code" required>'
        '<button type="submit" id="submit" name="submit">Verify and sign in</button></form>'))  # fmt: skip


def error_page(message: str = "An error was encountered with the requested page.", detail: str | None = None) -> str:
    extra = f'<p class="note" id="detail">{html.escape(detail, quote=False)}</p>' if detail else ""
    return page("Error", f'<p id="message">{html.escape(message, quote=False)}</p>{extra}')


def signed_out() -> str:
    return page("Signed out", "<p>You have been signed out.</p>")


_TITLES = {
    "SMS_MFA": "Enter the code sent to your phone",
    "EMAIL_OTP": "Enter the code sent to your email",
    "SOFTWARE_TOKEN_MFA": "Enter the code from your authenticator app",
    "NEW_PASSWORD_REQUIRED": "Change your password",
    "SELECT_MFA_TYPE": "Choose how to verify",
    "MFA_SETUP": "Set up an authenticator app",
}
