"""The first frame is light: no tab pane built (the Connect form included), no boto3, moto or form widgets imported.

With --sandbox it lists the demo profiles, read from the seed (PyYAML, no moto): the server starts later.

What the first frame holds is read where Textual hands its first rendered update to the driver, in a
real `cognito-tui` process (both modes); then keys pressed before the form exists are shown to wait
for it rather than fail.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys

import pytest
from tui_helpers import SIZE, services_for, wait_for

from cognito_tui.tui.app import make_app

# Run the real entry point; at the first rendered frame, note what is built and what is imported, then leave.
AT_FIRST_FRAME = """
import json, sys
from cognito_tui.tui.app import CognitoApp

WATCHED = ("boto3", "botocore", "moto", "cognito_tui.sandbox.server", "cognito_tui.tui.widgets.connect",
           "textual.widgets._text_area", "textual.widgets._checkbox", "yaml")  # (Select: textual.app loads it)
seen = {}
real_display = CognitoApp._display

def display(self, screen, renderable):
    if renderable is not None and not seen:
        main = self.screen_stack[0]
        seen["built"] = sorted(p.id for p in main.query("LazyPane") if p.content is not None)
        seen["widgets"] = [type(w).__name__ for w in main.walk_children()]
        seen["modules"] = sorted(m for m in WATCHED if m in sys.modules)
        self.exit()
    return real_display(self, screen, renderable)

CognitoApp._display = display
from cognito_tui.cli import main
main(sys.argv[1:])
print("FIRST-FRAME " + json.dumps(seen), file=sys.stderr)
"""


def _first_frame(tmp_path, *argv: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "COGNITO_TUI_"))}
    env.update(
        COGNITO_TUI_CONFIG=str(tmp_path / "config" / "profiles.yaml"),
        XDG_STATE_HOME=str(tmp_path / "state"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
    )
    done = subprocess.run(
        [sys.executable, "-c", AT_FIRST_FRAME, *argv],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
    )
    marker = done.stderr.rfind("FIRST-FRAME ")
    assert marker >= 0, done.stderr[-2000:]
    return json.loads(done.stderr[marker:].splitlines()[0].removeprefix("FIRST-FRAME "))


def _at_startup() -> set[str]:
    """What the interpreter loads before any of our code (.pth hooks may import certifi, setuptools...)."""
    out = subprocess.run(
        [sys.executable, "-c", "import sys, json; print(json.dumps(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    return set(json.loads(out.stdout))


@pytest.mark.parametrize("argv", [(), ("--sandbox",)], ids=["aws", "sandbox"])
def test_the_first_frame_builds_no_pane_and_imports_nothing_heavy(tmp_path, argv):
    seen = _first_frame(tmp_path, *argv)
    assert seen["built"] == []  # Connect, Walk, Tokens, Calls, History: all built after the first frame
    assert "ConnectForm" not in seen["widgets"] and "Input" not in seen["widgets"]
    assert {"ProfilesPane", "TabbedContent", "QuietFooter"} <= set(seen["widgets"])  # the frame itself is there
    seed_read = {"yaml", "cognito_tui.sandbox.server"} if argv else set()  # the demo list, read from the seed
    assert set(seen["modules"]) - _at_startup() == seed_read  # no boto3, botocore, moto, nor the form's widgets
    assert ("ListItem" in seen["widgets"]) == bool(argv)  # the demo profiles are in the first frame


def test_keys_pressed_before_the_form_is_built_wait_for_it(tmp_path):
    """ctrl+r in the first moments runs once the form is there (here: says what the empty form lacks)."""
    services = services_for(tmp_path, sandbox=False)

    async def main() -> None:
        app = make_app(services)
        async with app.run_test(size=SIZE) as pilot:
            connect = app.main.pane("connect")
            assert not connect.ready  # nothing built before the first frame
            app.main.action_start_walk()  # as the ctrl+r binding calls it
            await wait_for(pilot, lambda: connect.ready, what="the Connect form")
            await wait_for(
                pilot,
                lambda: any(n.title == "Cannot start yet" for n in app._notifications),
                what="the deferred start's message",
            )
            assert app.main.query_one("#tabs").active == "connect"

    try:
        asyncio.run(main())
    finally:
        services.shutdown()
