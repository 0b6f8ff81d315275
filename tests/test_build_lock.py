"""One build at a time per client, and build errors from the system told in one line."""

from __future__ import annotations

import errno
import fcntl
import os
import re
import shutil
import signal
import subprocess
import sys
import time

import pytest

from cxanalysis import load_config
from cxanalysis.cli import main
from cxanalysis.paths import SAMPLE_DIR
from cxanalysis.runner import build_lock, lock_file, staging_dir


@pytest.fixture
def client_file(tmp_path):
    """The sample client copied beside a folder of its own for builds."""
    folder = tmp_path / "client"
    shutil.copytree(SAMPLE_DIR, folder)
    config = folder / "client.yml"
    text = re.sub(r"(?m)^output_dir: .*$", f"output_dir: {tmp_path / 'out'}", config.read_text(encoding="utf-8"))
    config.write_text(text, encoding="utf-8")
    return config


def cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cxanalysis.cli", *args], capture_output=True, text=True, timeout=timeout
    )


def test_a_second_build_of_the_same_client_stops_without_touching_the_first(client_file):
    config = load_config(client_file)
    staging = staging_dir(config)
    with build_lock(config) as lock:
        staging.mkdir(parents=True)
        (staging / "chapter.ipynb").write_text("in progress", encoding="utf-8")
        second = cli("build", str(client_file))
    assert second.returncode == 2
    lines = second.stderr.strip().splitlines()
    assert len(lines) == 1, second.stderr
    assert config.client.name in lines[0] and str(lock) in lines[0]
    assert (staging / "chapter.ipynb").read_text(encoding="utf-8") == "in progress"


def test_the_lock_of_a_killed_build_does_not_block_the_next(client_file):
    config = load_config(client_file)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from cxanalysis import load_config\n"
            "from cxanalysis.runner import build_lock\n"
            f"with build_lock(load_config({str(client_file)!r})):\n"
            "    print('locked', flush=True)\n"
            "    time.sleep(60)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        fd = os.open(lock_file(config), os.O_RDWR)
        try:
            with pytest.raises(BlockingIOError):  # held by a live process
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            holder.send_signal(signal.SIGKILL)
            holder.wait(timeout=10)
            start = time.monotonic()
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # released by the kernel with its holder
            assert time.monotonic() - start < 1
        finally:
            os.close(fd)
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()
    assert lock_file(config).exists()  # the file stays behind, and does not block
    with build_lock(config):
        pass


@pytest.mark.parametrize("workers", ["0", "-3"])
def test_workers_below_one_is_a_usage_error(client_file, capsys, workers):
    assert main(["build", str(client_file), "--workers", workers]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--workers" in err[0] and workers in err[0]


def one_line_error(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    return lines[0]


def set_output_dir(client_file, output_dir) -> None:
    text = re.sub(r"(?m)^output_dir: .*$", f"output_dir: {output_dir}", client_file.read_text(encoding="utf-8"))
    client_file.write_text(text, encoding="utf-8")


def test_an_output_dir_that_is_a_file_is_named_in_one_line(client_file, tmp_path, capsys):
    not_a_folder = tmp_path / "out-file"
    not_a_folder.write_text("", encoding="utf-8")
    set_output_dir(client_file, not_a_folder)
    assert main(["build", str(client_file)]) == 2
    line = one_line_error(capsys)
    assert str(not_a_folder) in line and "not a folder" in line


def test_a_read_only_output_dir_is_named_in_one_line(client_file, tmp_path, capsys, monkeypatch):
    read_only = tmp_path / "read-only"
    read_only.mkdir()
    read_only.chmod(0o555)
    set_output_dir(client_file, read_only)
    if os.geteuid() == 0:  # permissions do not stop root: refuse the write as the system would
        real_open = os.open

        def refuse(path, flags, mode=0o777, **kwargs):
            if str(path).startswith(str(read_only)):
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
            return real_open(path, flags, mode, **kwargs)

        monkeypatch.setattr(os, "open", refuse)
    try:
        assert main(["build", str(client_file)]) == 2
    finally:
        read_only.chmod(0o755)
    line = one_line_error(capsys)
    assert str(read_only) in line and "ermission denied" in line


def test_a_full_disk_is_named_in_one_line(client_file, capsys, monkeypatch):
    import cxanalysis.runner as runner

    def full_disk(config, **options):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(runner, "check_data", full_disk)
    assert main(["build", str(client_file)]) == 2
    line = one_line_error(capsys)
    config = load_config(client_file)
    assert str(staging_dir(config)) in line and "No space left on device" in line


def test_a_leftover_staging_folder_is_removed_once_the_lock_is_taken(client_file, capsys, monkeypatch):
    import cxanalysis.runner as runner

    config = load_config(client_file)
    staging = staging_dir(config)
    (staging / "notebooks").mkdir(parents=True)
    (staging / "notebooks" / "01_goals.ipynb").write_text("from a killed build", encoding="utf-8")
    seen = []

    def record(staged, **options):
        seen.append(sorted(p.name for p in staging.rglob("*")))
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(runner, "check_data", record)
    assert main(["build", str(client_file)]) == 2
    assert seen == [[]]


@pytest.mark.timing
@pytest.mark.slow
def test_ctrl_c_stops_a_real_build_within_seconds_and_leaves_no_process(client_file):
    import psutil

    build = subprocess.Popen(
        [sys.executable, "-m", "cxanalysis.cli", "build", str(client_file)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # As typed in a terminal: a shell running these tests in the background hands its children Ctrl-C
        # ignored, and a build started that way rightly ignores it too.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        assert build.stdout is not None
        for line in build.stdout:  # wait until chapters are being executed
            if line.startswith("Executing chapters"):
                break
        time.sleep(4)
        started = psutil.Process(build.pid).children(recursive=True)
        assert started, "the build should be running chapter workers and kernels"
        build.send_signal(signal.SIGINT)
        start = time.monotonic()
        build.wait(timeout=15)
        seconds = time.monotonic() - start
        stderr = build.stderr.read() if build.stderr else ""
    finally:
        if build.poll() is None:
            build.kill()
            build.wait()
    assert build.returncode == 130
    assert seconds < 15
    assert "Traceback" not in stderr
    assert len(stderr.strip().splitlines()) == 1, stderr
    _, alive = psutil.wait_procs(started, timeout=5)
    alive = [p for p in alive if p.status() != psutil.STATUS_ZOMBIE]
    assert not alive, [p.cmdline() for p in alive]


def _start_build_until_chapters_run(client_file):
    """A real build started and left running until its chapter workers and kernels are: the process, its
    children, and the stdout lines read so far."""
    import psutil

    build = subprocess.Popen(
        [sys.executable, "-m", "cxanalysis.cli", "build", str(client_file)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert build.stdout is not None
    for line in build.stdout:
        if line.startswith("Executing chapters"):
            break

    def command(process) -> str:
        """A child's command line; '' for one that ended (or is ending) while it was listed."""
        try:
            return " ".join(process.cmdline())
        except psutil.NoSuchProcess:  # a zombie too
            return ""

    deadline = time.monotonic() + 30
    children: list = []
    while time.monotonic() < deadline:  # the workers, and a kernel under at least one of them
        children = psutil.Process(build.pid).children(recursive=True)
        if any("kernel" in command(p) for p in children):
            break
        time.sleep(0.5)
    assert any("kernel" in command(p) for p in children), [command(p) for p in children]
    return build, children


def _left_alive(processes, timeout: float) -> list:
    import psutil

    _, alive = psutil.wait_procs(processes, timeout=timeout)
    return [p.cmdline() for p in alive if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]


@pytest.mark.timing
@pytest.mark.slow
def test_sigterm_to_the_build_alone_stops_it_with_its_workers_and_kernels(client_file):
    build, children = _start_build_until_chapters_run(client_file)
    try:
        build.send_signal(signal.SIGTERM)  # the build process only, not its group
        build.wait(timeout=15)
        stderr = build.stderr.read() if build.stderr else ""
    finally:
        if build.poll() is None:
            build.kill()
            build.wait()
    assert build.returncode == 143
    assert "Traceback" not in stderr
    assert len(stderr.strip().splitlines()) == 1, stderr
    assert _left_alive(children, timeout=5) == []


@pytest.mark.timing
@pytest.mark.slow
def test_a_killed_build_takes_its_children_along_and_the_next_build_starts_clean(client_file):
    build, children = _start_build_until_chapters_run(client_file)
    build.kill()  # SIGKILL to the build process only: nothing of it runs to clean up
    build.wait()
    assert _left_alive(children, timeout=10) == [], "workers and kernels die with the build (PDEATHSIG)"
    config = load_config(client_file)
    staging = staging_dir(config)
    assert staging.exists(), "the killed build left its staging folder"
    (staging / "left-by-the-killed-build").write_text("x")
    following, more = _start_build_until_chapters_run(client_file)  # the lock died with the killed build
    try:
        assert staging.exists() and not (staging / "left-by-the-killed-build").exists()
        assert not config.published_dir.exists()
    finally:
        following.send_signal(signal.SIGTERM)
        following.wait(timeout=15)
    assert following.returncode == 143
    assert _left_alive(more, timeout=5) == []
