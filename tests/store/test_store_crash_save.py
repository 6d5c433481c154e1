"""A save killed by SIGKILL at any moment leaves the old file or the new one, never a broken one."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from cognito_tui.store.profiles import Profile, dump_yaml, load_profiles, save_profiles

KILLS = 100
WORKERS = 8  # the kills run in parallel, each worker on its own file, to keep the test short

SAVER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from cognito_tui.store.profiles import load_profiles, save_profiles

    path, old_file, new_file = map(Path, sys.argv[1:])
    old, new = load_profiles(old_file).profiles, load_profiles(new_file).profiles
    print("ready", flush=True)
    while True:
        save_profiles(path, new)
        save_profiles(path, old)
    """
)


def version(tag: str) -> list[Profile]:
    """Two contents of different lengths and names, so a mix of both could not pass for either."""
    count = 6 if tag == "old" else 4
    return [
        Profile(
            name=f"{tag}-{i}",
            region="us-east-1",
            user_pool_id=f"us-east-1_{tag}{i}",
            client_id=f"{tag}client{i}",
            auth_flow="USER_SRP_AUTH",
            username=f"{tag}-user-{i}@example.com",
            client_metadata={"tag": tag, "pad": tag * 200},
            notes=f"{tag} profile {i}\n" * 20,
        )
        for i in range(count)
    ]


def _kill_and_check(folder: Path, kills: int, seed: int, env: dict[str, str]) -> tuple[int, int]:
    """Kill `kills` savers at random moments; returns (kills that left a temporary, kills) after checking each."""
    rng = random.Random(seed)
    path = folder / "profiles.yaml"
    save_profiles(path, version("old"))
    sources = []
    for tag in ("old", "new"):
        sources.append(folder / f"{tag}.source.yaml")
        save_profiles(sources[-1], version(tag))
    allowed = {dump_yaml(version("old")), dump_yaml(version("new"))}
    mid_write = 0
    for _ in range(kills):
        temporaries_before = set(folder.glob(".*.tmp"))
        proc = subprocess.Popen(
            [sys.executable, "-c", SAVER, str(path), *map(str, sources)],
            stdout=subprocess.PIPE,
            env=env,
        )
        assert proc.stdout is not None
        assert proc.stdout.readline() == b"ready\n"
        time.sleep(rng.uniform(0, 0.15))  # a few saves in, so that kills land all over them
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        assert proc.returncode == -signal.SIGKILL, "the saver died before it was killed"
        mid_write += bool(set(folder.glob(".*.tmp")) - temporaries_before)
        backup = folder / "profiles.yaml.bak"
        for file in (path, backup) if backup.exists() else (path,):
            result = load_profiles(file)
            assert result.issues == [], [str(i) for i in result.issues]
            assert file.read_text(encoding="utf-8") in allowed, f"{file.name} is neither the old nor the new content"
    return mid_write, kills


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkill_during_saves_always_leaves_a_valid_old_or_new_file(
    tmp_path: Path, subprocess_env: dict[str, str]
) -> None:
    shares = [KILLS // WORKERS + (1 if i < KILLS % WORKERS else 0) for i in range(WORKERS)]
    folders = [tmp_path / f"w{i}" for i in range(WORKERS)]
    with ThreadPoolExecutor(WORKERS) as pool:
        results = list(pool.map(_kill_and_check, folders, shares, range(WORKERS), [subprocess_env] * WORKERS))
    assert sum(k for _, k in results) == KILLS
    # Proof that the kills really landed inside writes, not only between them.
    assert sum(m for m, _ in results) > 0
