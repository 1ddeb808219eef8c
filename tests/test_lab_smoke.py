"""Start JupyterLab the way `make lab` does (127.0.0.1, token on), on a random free port with a
known token, and check that it serves lesson 00 only to a client that has the token.

The server runs in its own process group and is always stopped by its PID."""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from helpers import ROOT

pytestmark = pytest.mark.slow

LESSON = "notebooks/00_start_here.ipynb"
START_TIMEOUT = 60  # seconds to wait for the server to answer


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Report a redirect (for example to /login) instead of following it."""

    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def get(url: str, token: str | None = None, timeout: float = 10) -> tuple[int, dict, bytes]:
    """GET a URL; return (status, headers, body) whatever the status."""
    request = urllib.request.Request(url)
    if token:
        request.add_header("Authorization", f"token {token}")
    try:
        with OPENER.open(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def lab_command(port: int, token: str) -> list[str]:
    """The `make lab` command line, plus what a test needs (no browser, fixed port and token)."""
    command = [sys.executable, "-m", "jupyter", "lab", "--ip=127.0.0.1", f"--ServerApp.root_dir={ROOT}"]
    if os.geteuid() == 0:
        command.append("--allow-root")
    command += ["--no-browser", f"--port={port}", "--ServerApp.port_retries=0",
                f"--IdentityProvider.token={token}", LESSON]
    return command


def stop(process: subprocess.Popen) -> None:
    """SIGTERM the server's process group, wait, then SIGKILL if it is still there."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=15)
    except ProcessLookupError:
        pass


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A running JupyterLab server, shared by this module's tests: yields (base_url, token)."""
    tmp_path = tmp_path_factory.mktemp("lab")
    port, token = free_port(), secrets.token_hex(24)
    env = {**os.environ,
           "JUPYTERLAB_SETTINGS_DIR": str(ROOT / ".jupyter" / "lab" / "user-settings"),
           "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")}  # keep server files out of ~/
    log_path = tmp_path / "lab.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(lab_command(port, token), cwd=ROOT, env=env, stdout=log,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(f"jupyter lab exited with {process.returncode}:\n{log_path.read_text()[-3000:]}")
            try:
                if get(f"{base}/api/status", token, timeout=2)[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"jupyter lab did not answer within {START_TIMEOUT} s:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.25)
        yield base, token
    finally:
        stop(process)
    assert process.poll() is not None, "the server is still running"


def test_lab_serves_lesson_00_with_the_token_only(lab):
    base, token = lab
    url = f"{base}/api/contents/{LESSON}"

    status, _, body = get(url, token)
    assert status == 200
    model = json.loads(body)
    assert model["type"] == "notebook"
    assert model["path"] == LESSON
    on_disk = json.loads((ROOT / LESSON).read_text(encoding="utf-8"))
    assert len(model["content"]["cells"]) == len(on_disk["cells"]) > 0

    for refused_token in (None, "wrong" + token):
        status, headers, body = get(url, refused_token)
        assert status in (401, 403) or (status in (301, 302, 303, 307) and "login" in headers.get("Location", "")), \
            f"a request with token={refused_token!r} got {status}"
        assert b"check(" not in body


def test_lab_page_is_jupyterlab(lab):
    base, token = lab
    status, _, body = get(f"{base}/lab/tree/{LESSON}", token)
    assert status == 200
    assert b"JupyterLab" in body
    status, headers, _ = get(f"{base}/lab/tree/{LESSON}")
    assert status in (301, 302, 303, 307) and "/login" in headers.get("Location", ""), "no token: log in first"
