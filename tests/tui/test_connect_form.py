"""The Connect form on its own (no sandbox): AWS profiles read from the AWS config on first visit."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tui_helpers import SIZE, wait_for

from cognito_tui.tui.app import AppConfig, make_app
from cognito_tui.tui.widgets.connect import ConnectForm, aws_profile_names

CONFIG = "[default]\nregion = eu-west-1\n[profile dev]\nregion = us-east-1\n[sso-session corp]\nsso_region = us-east-1\n[profile prod]\n"
CREDENTIALS = "[default]\naws_access_key_id = x\n[ci]\naws_access_key_id = y\n[dev]\naws_access_key_id = z\n"


def _aws_files(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "config").write_text(CONFIG)
    (tmp_path / "credentials").write_text(CREDENTIALS)
    return {"AWS_CONFIG_FILE": str(tmp_path / "config"), "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "credentials")}


def test_profile_names_come_from_both_files_without_sso_sessions(tmp_path):
    assert aws_profile_names(_aws_files(tmp_path)) == ["default", "dev", "prod", "ci"]
    assert (
        aws_profile_names(
            {"AWS_CONFIG_FILE": str(tmp_path / "none"), "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none")}
        )
        == []
    )
    (tmp_path / "broken").write_text("no section header\n")
    assert (
        aws_profile_names(
            {"AWS_CONFIG_FILE": str(tmp_path / "broken"), "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none")}
        )
        == []
    )


def test_aws_profiles_are_listed_when_the_field_is_first_visited(tmp_path, monkeypatch):
    for key, value in _aws_files(tmp_path).items():
        monkeypatch.setenv(key, value)

    async def main() -> None:
        app = make_app(AppConfig(config_path=str(tmp_path / "profiles.yaml"), history_dir=tmp_path / "history"))
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: app.query(ConnectForm), what="the form (built after the first frame)")
            form = app.query_one(ConnectForm)
            await pilot.pause(0.2)
            assert form.aws_profiles is None  # nothing read before the field is visited
            app.query_one("#aws_profile").focus()
            await wait_for(pilot, lambda: form.aws_profiles, what="the AwsProfilesLoaded message")
            assert form.aws_profiles == ["default", "dev", "prod", "ci"]
            field = app.query_one("#aws_profile")
            assert "dev, prod, ci" in field.placeholder
            await pilot.press("p", "r")
            await pilot.pause(0.2)
            assert field._suggestion == "prod"  # the completion offered
            await pilot.press("right")
            assert field.value == "prod"

    asyncio.run(main())
