"""Issues 9.14 and 9.15 at 80x24 and 120x40: one banner row, one-row fields, nothing needed cut, no toast over the work."""

from __future__ import annotations

from tui_helpers import answer_until_done, run_app, screen_has, services_for, start_profile, wait_for

from cognito_tui.core.walk import Challenge, SignedIn

NO_KEYRING = "No usable OS keyring: keyring found no backend on this machine (no Secret Service, KWallet). To keep…"


def test_80x24_one_banner_row_one_row_fields_and_the_status_line(tmp_path):
    services = services_for(tmp_path, keyring_warning=NO_KEYRING)

    async def body(pilot, app):
        await start_profile(pilot, "totp", start=False)
        banner = app.main.query_one("#banner")
        await wait_for(pilot, lambda: banner.display and banner.size.height > 0, what="the keyring banner")
        assert banner.size.height == 1
        assert "⚠ No OS keyring: secrets last this session only" in await screen_has(pilot, "No OS keyring")
        pool, password = app.query_one("#user_pool_id"), app.query_one("#password")
        assert pool.size.height == 1 and pool.size.width >= 30 and password.region.bottom <= 23  # on screen
        status = app.main.query_one("#status")
        assert status.region.y == 22 and "ctrl+r signs in" in str(status.render())  # above the footer, not under it
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.step, Challenge))
        await screen_has(pilot, "ctrl+t fills the TOTP code")
        assert app.query_one("#field-SOFTWARE_TOKEN_MFA_CODE").size.height == 1

    run_app(services, body, size=(80, 24))


def test_120x40_preflight_ids_whole_and_the_calls_header(services):
    async def body(pilot, app):
        await start_profile(pilot, "password", start=False)
        await pilot.press("f5")
        text = await screen_has(pilot, "Allowed flows")
        assert "demopublic0000000000000001" in text and "VerifyAuthChallengeResponse" in text
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.step, SignedIn))
        await pilot.press("f10")
        assert "SECRET_HASH user" in await screen_has(pilot, "session age")

    run_app(services, body, size=(120, 40))


def test_no_toast_lingers_over_the_qr_or_the_tokens(services):
    """The sandbox's readiness, the reveal and the sign-in go to the status line: no toast stays up."""

    async def body(pilot, app):
        await start_profile(pilot, "mfa_setup")
        await wait_for(pilot, lambda: isinstance(app.step, Challenge))
        app.query_one("#field-MFA_TYPE").value = "SOFTWARE_TOKEN_MFA"
        await pilot.pause(0.1)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: getattr(app.step, "phase", "") == "verify", what="the QR")
        await pilot.press("ctrl+y")
        await screen_has(pilot, "Secrets revealed: ctrl+y masks them")
        assert [n.message for n in app._notifications] == []  # nothing drawn over the QR
        await answer_until_done(pilot)
        assert isinstance(app.step, SignedIn)
        assert "Signed in: tokens decoded" in await screen_has(pilot, "ID token")
        assert [n.message for n in app._notifications] == []  # nor over the token table

    run_app(services, body, size=(120, 40))


def test_the_totp_demo_note_does_not_promise_a_printed_seed(services):
    """9.12: the TUI never prints dave's seed, so his note says what the TUI does with it."""

    async def body(pilot, app):
        await start_profile(pilot, "totp", start=False)
        note = str(app.main.query_one("#profile-note").render())
        assert "ctrl+t types the current code" in note and "the seed is printed" not in note

    run_app(services, body)
