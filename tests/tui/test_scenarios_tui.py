"""The scenarios live view: a row per walk, steps filling in, pass/FAIL, the first difference on screen."""

from __future__ import annotations

from tui_helpers import run_app, screen_has, screen_text, services_for, wait_for

from cognito_tui.tui.app import AppConfig
from cognito_tui.tui.screens.dialogs import TextPrompt
from cognito_tui.tui.screens.scenarios import ScenariosScreen, shipped_file

SUBSET = """
version: 1
walks:
  - name: password (alice)
    pool: cognito-tui-demo
    client: demo-public
    flow: USER_PASSWORD_AUTH
    user: alice
    expect: {challenges: [], outcome: tokens, username: alice}
  - name: alice wrongly expected to meet TOTP
    pool: cognito-tui-demo
    client: demo-public
    flow: USER_PASSWORD_AUTH
    user: alice
    expect: {challenges: [SOFTWARE_TOKEN_MFA], outcome: tokens}
  - name: totp (dave, SRP then an authenticator code)
    pool: cognito-tui-demo
    client: demo-public
    flow: USER_SRP_AUTH
    user: dave
    answers:
      SOFTWARE_TOKEN_MFA: {SOFTWARE_TOKEN_MFA_CODE: totp}
    expect: {challenges: [PASSWORD_VERIFIER, SOFTWARE_TOKEN_MFA], outcome: tokens, username: dave}
  - name: sms_mfa (erin, code from the outbox)
    pool: cognito-tui-demo
    client: demo-public
    flow: USER_PASSWORD_AUTH
    user: erin
    answers:
      SMS_MFA: {SMS_MFA_CODE: outbox}
    expect: {challenges: [SMS_MFA], outcome: tokens, username: erin}
"""


async def _finished(pilot) -> ScenariosScreen:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ScenariosScreen), what="the scenarios view")
    view = pilot.app.screen
    await wait_for(
        pilot, lambda: view.walks and len(view.results) == len(view.walks) and not view.busy, 90, "every walk run"
    )
    return view


def test_a_wrong_expectation_fails_with_its_first_difference_and_the_rest_pass(tmp_path):
    path = tmp_path / "subset.yaml"
    path.write_text(SUBSET, encoding="utf-8")

    async def body(pilot, app):
        view = await _finished(pilot)
        passed = {view.walks[i].name: r.passed for i, r in view.results.items()}
        assert passed == {
            "password (alice)": True,
            "alice wrongly expected to meet TOTP": False,
            "totp (dave, SRP then an authenticator code)": True,
            "sms_mfa (erin, code from the outbox)": True,
        }
        assert view.steps[2] == ["PASSWORD_VERIFIER", "SOFTWARE_TOKEN_MFA", "tokens"]  # filled in step by step
        assert view.steps[3] == ["SMS_MFA", "tokens"]
        expected = "challenge 1: expected SOFTWARE_TOKEN_MFA, the walk ended with tokens"
        assert view.difference == expected
        text = await screen_has(pilot, "first difference")
        assert expected in text and "✗ FAIL" in text and "✓ pass" in text
        assert "4/4 run · 3 passed · 1 failed" in text and "a fresh sandbox" in text
        # The app's own sandbox was not used: its outbox saw none of erin's codes.
        assert app.sandbox.outbox.latest("erin", "us-east-1_DemoPool01") is None

    run_app(services_for(tmp_path), body, config=AppConfig(scenarios=str(path)), size=(120, 40))


def test_the_shipped_file_runs_live_from_the_palette_and_passes(tmp_path):
    async def body(pilot, app):
        await pilot.press("ctrl+p")
        await pilot.press(*"Run scenarios")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, TextPrompt), what="the file prompt")
        assert app.screen.query_one("#answer").value == shipped_file()  # offered in sandbox mode
        await pilot.press("enter")
        view = await _finished(pilot)
        failed = {view.walks[i].name: r.difference for i, r in view.results.items() if not r.passed}
        assert failed == {}
        assert len(view.walks) >= 15
        assert "Every walk met its expectation." in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, ScenariosScreen), what="back to the main screen")

    run_app(services_for(tmp_path), body, size=(100, 30))


def test_a_broken_file_is_explained_on_screen(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("version: 1\nwalks:\n  - name: x\n    flow: NOT_A_FLOW\n    expect: {outcome: tokens}\n")

    async def body(pilot, app):
        await wait_for(pilot, lambda: isinstance(app.screen, ScenariosScreen), what="the scenarios view")
        text = await screen_has(pilot, "cannot run")
        assert "NOT_A_FLOW" in text and "broken.yaml:4:" in text.replace("\n", "")

    run_app(services_for(tmp_path), body, config=AppConfig(scenarios=str(path)), size=(100, 30))
