"""Presenter mode, driven with Pilot on the real app and its sandbox: narration, the diagram, secrets masked."""

from __future__ import annotations

from test_snapshots import settle
from tui_helpers import answer_until_done, ready, run_app, screen_text, services_for, start_profile, wait_for

from cognito_tui.core.walk import Challenge, SignedIn
from cognito_tui.tui.app import AppConfig, make_app
from cognito_tui.tui.palette import ActionsProvider

DAVE_PASSWORD = "Dave-Sandbox-1"
DAVE_SEED = "DAVETOTPDEMOSEEDDAVETOTPDEMOSEED"
TABS = ("f7", "f8", "f9", "f10", "f11")  # connect, walk, tokens, calls, history


def frozen() -> float:
    return 1000.0


def _secrets_of_the_walk(app) -> list[str]:
    """The password, the seed, every Session the walk got and the refresh token: none may be on screen."""
    found = [DAVE_PASSWORD, DAVE_SEED]
    for record in app.walk.transcript.records:
        for data in (record.request, record.response or {}):
            if data.get("Session"):
                found.append(data["Session"])
    if isinstance(app.step, SignedIn):
        found.append(app.step.result["RefreshToken"])
    return found


async def _every_tab(pilot) -> str:
    texts = []
    for key in TABS:
        await pilot.press(key)
        await pilot.pause(0.3)
        texts.append(screen_text(pilot.app))
    return "\n".join(texts)


def test_presenter_snapshot_after_an_mfa_walk(snap_compare, tmp_path):
    async def before(pilot):
        await ready(pilot)
        await start_profile(pilot, "totp", start=False)
        await pilot.press("f12", "p")  # the profile list (no text field), then presenter mode
        await pilot.press("ctrl+r")
        seen = await answer_until_done(pilot)
        assert seen == ["SOFTWARE_TOKEN_MFA"]  # PASSWORD_VERIFIER is answered by the app itself
        await wait_for(pilot, lambda: isinstance(pilot.app.step, SignedIn))
        await pilot.press("f8")  # the Walk tab: the tokens' expiry times would change from run to run
        await settle(pilot)

    services = services_for(tmp_path, clock=frozen)
    try:
        assert snap_compare(make_app(services), terminal_size=(100, 30), run_before=before)
    finally:
        services.shutdown()


def test_presenter_narrates_and_draws_each_call(services):
    async def body(pilot, app):
        await start_profile(pilot, "totp", start=False)
        await pilot.press("f12", "p")  # the profile list (no text field), then presenter mode
        assert app.main.presenting
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.step, Challenge) and app.step.name == "SOFTWARE_TOKEN_MFA")
        await pilot.pause(0.3)
        text = screen_text(app)
        assert "Cognito now asks for a TOTP code from the authenticator app because MFA is required" in text
        assert "InitiateAuth · USER_SRP_AUTH" in text and "RespondToAuthChallenge · PASSWORD_VERIFIER" in text
        assert "ChallengeParameters" not in text and "Session no." not in text  # the noise is hidden
        await answer_until_done(pilot)
        await wait_for(pilot, lambda: isinstance(app.step, SignedIn))
        await pilot.pause(0.3)
        text = screen_text(app)
        assert "Cognito accepted the TOTP code and returned an ID token, an access token and a refresh token" in text
        assert "tokens ✓" in text and "3 calls so far" in text
        await pilot.press("f12", "p")  # the profile list (no text field), then presenter mode
        await pilot.pause(0.2)
        assert not app.main.presenting and "PRESENTER" not in screen_text(app)

    run_app(services, body, size=(100, 30))


def test_no_secret_on_the_presenter_screen_even_after_ctrl_y(services):
    async def body(pilot, app):
        await start_profile(pilot, "totp", start=False)
        await pilot.press("ctrl+y")  # revealed before presenting: presenter mode masks it again
        assert app.main.revealed
        await pilot.press("f12", "p")  # the profile list (no text field), then presenter mode
        assert not app.main.revealed
        await pilot.press("ctrl+r")
        await answer_until_done(pilot)
        await wait_for(pilot, lambda: isinstance(app.step, SignedIn))
        await pilot.press("ctrl+y")  # and revealing while presenting is refused
        await pilot.pause(0.3)
        assert not app.main.revealed
        shown = await _every_tab(pilot)
        assert "PRESENTER" in shown
        secrets = _secrets_of_the_walk(app)
        assert len(secrets) >= 5  # password, seed, two Sessions, the refresh token
        for secret in secrets:
            assert secret not in shown
        # Out of presenter mode ctrl+y does reveal (so the check above is not vacuous): the refresh token shows.
        await pilot.press("f12", "p", "ctrl+y", "f9")
        await pilot.pause(0.3)
        assert app.main.revealed and not app.query_one("#password").password
        assert app.step.result["RefreshToken"][:24] in screen_text(app)

    run_app(services, body, size=(100, 30))


def test_mfa_setup_secret_stays_masked_while_presenting(services):
    async def body(pilot, app):
        await start_profile(pilot, "mfa_setup", start=False)
        await pilot.press("f12", "p", "ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.step, Challenge))
        app.query_one("#field-MFA_TYPE").value = "SOFTWARE_TOKEN_MFA"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: getattr(app.step, "phase", "") == "verify")
        seed = app.step.extra["secret_code"].value
        await pilot.press("ctrl+y")
        await pilot.pause(0.3)
        text = screen_text(app)
        assert "new authenticator secret (kept masked here)" in text
        assert seed not in text and seed[:4] + " " + seed[4:8] not in text  # nor in groups of four

    run_app(services, body, size=(100, 30))


def test_present_flag_and_palette(tmp_path):
    async def body(pilot, app):
        await pilot.pause(0.3)
        assert app.main.presenting
        assert "PRESENTER · no sign-in yet" in screen_text(app)
        names = [name for name, _, _ in ActionsProvider(app.screen)._commands()]
        assert {"Presenter mode", "Export walk", "Run scenarios"} <= set(names)

    run_app(services_for(tmp_path), body, config=AppConfig(present=True), size=(80, 24))


def test_the_diagram_keeps_its_lifelines_straight_and_folds_old_calls():
    from cognito_tui.tui.widgets.sequence import Arrow, draw

    arrows = [Arrow(n, f"RespondToAuthChallenge · CALL_{n}", "SOFTWARE_TOKEN_MFA", "challenge") for n in range(1, 9)]
    for width in (80, 100, 120):
        lines = draw(arrows, width, 8).plain.splitlines()
        assert {len(line) for line in lines} == {width - 1}  # every row ends on Cognito's lifeline
        assert all(line.endswith(("│", "Cognito")) for line in lines)
        assert "… 5 earlier call(s)" in lines[1] and "CALL_8" in lines[-2]
        assert len(lines) == 8
