"""Issue 9.13: after Enter on a profile the way back to the list is short, and the focused widget stands out."""

from __future__ import annotations

from textual.color import Color
from tui_helpers import run_app, start_profile, wait_for


async def _focused_id(pilot, app, key: str) -> str:
    await pilot.press(key)
    await pilot.pause(0.05)
    return (app.focused.id or type(app.focused).__name__) if app.focused is not None else ""


def _near(a: Color, b: Color) -> bool:
    """The same colour, give or take Textual's blending of a point or two."""
    return all(abs(x - y) <= 2 for x, y in zip(a.rgb, b.rgb, strict=True))


def test_f12_and_shift_tab_return_to_the_profile_list(services):
    async def body(pilot, app):
        await start_profile(pilot, "password", start=False)
        await wait_for(pilot, lambda: app.focused is not None and app.focused.id == "user_pool_id")
        assert await _focused_id(pilot, app, "f12") == "profiles"
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: app.focused is not None and app.focused.id == "user_pool_id")
        seen = [await _focused_id(pilot, app, "shift+tab") for _ in range(5)]
        assert seen[-1] == "profiles", seen  # endpoint, region, AWS profile, the tab strip, then the list
        app.query_one("#context_data").focus()
        assert await _focused_id(pilot, app, "tab") == "profiles"

    run_app(services, body)


def test_the_focused_field_its_label_and_the_list_title_are_marked(services):
    async def body(pilot, app):
        await start_profile(pilot, "password", start=False)
        await wait_for(pilot, lambda: app.focused is not None and app.focused.id == "user_pool_id")
        await pilot.pause(0.1)
        accent = Color.parse(app.current_theme.accent)
        pool, region = app.query_one("#user_pool_id"), app.query_one("#region")
        assert _near(pool.styles.border_top[1], accent) and not _near(region.styles.border_top[1], accent)
        label = pool.parent.query_one("Label")
        assert label.styles.text_style.bold and not region.parent.query_one("Label").styles.text_style.bold
        title = app.query_one("#profiles-title")
        unfocused = title.styles.background
        await pilot.press("tab")  # the label follows the focus
        await pilot.pause(0.1)
        assert not label.styles.text_style.bold
        await pilot.press("f12")
        await pilot.pause(0.1)
        assert title.styles.background != unfocused and _near(title.styles.background, accent)

    run_app(services, body)


def test_a_late_focus_for_the_walk_tab_does_not_pull_the_app_back_from_tokens(services):
    """Seen in tmux: a sign-in needing no answer showed Tokens, then the Walk tab's focus (queued when ctrl+r
    showed Walk and its pane was still being built) landed and switched back to Walk."""

    async def body(pilot, app):
        await start_profile(pilot, "password")
        tabs = app.query_one("#tabs")
        await wait_for(pilot, lambda: tabs.active == "tokens", what="the Tokens tab")
        await pilot.pause(0.2)
        app.main._focus_in("walk", app.main.pane("walk").content)  # the late callback, as it arrived
        await pilot.pause(0.3)
        assert tabs.active == "tokens" and not app.main.pane("walk").content.has_focus_within

    run_app(services, body)


def test_each_tab_key_switches_even_while_the_last_tab_is_still_being_built(services):
    """9.6: F10 then F11 at once (the History pane built lazily while the Calls table loses its focus), alt+2, digits."""

    async def body(pilot, app):
        await start_profile(pilot, "password", start=False)
        tabs = app.query_one("#tabs")
        for key, tab in (
            ("f10", "calls"),
            ("f11", "history"),
            ("alt+2", "walk"),
            ("f11", "history"),
            ("f7", "connect"),
        ):
            await pilot.press(key)
            await wait_for(pilot, lambda tab=tab: tabs.active == tab, what=f"{tab} from {key}")
            await pilot.pause(0.5)
            assert tabs.active == tab, f"{key} showed {tab}, then {tabs.active}"
        await pilot.press("f12", "4")
        await wait_for(pilot, lambda: tabs.active == "calls", what="calls from 4")

    run_app(services, body)
