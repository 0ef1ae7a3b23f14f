"""Shared fixtures: seed article, temporary cache path, fake Nominatim, Streamlit servers, browser.

Browser fixtures use Debian's Chromium (``/usr/bin/chromium``, or ``GEO_CHROMIUM``). Without it
browser tests are skipped, unless ``GEO_REQUIRE_BROWSER=1`` (set by ``.ci/run``): then they fail,
so CI can never pass by skipping them. Every page blocks all traffic that is not loopback and
records what it blocked, so tests prove the app works offline.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from fake_nominatim import FakeNominatim, Fault

REPO_ROOT = Path(__file__).resolve().parent.parent
SEED_PATH = REPO_ROOT / "seeds" / "ar_kim_armored_train_vladivostok.txt"
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
LOCAL_SCHEMES = frozenset({"file", "data", "blob", "about"})

__all__ = ["Fault", "FakeNominatim", "SeenDialog", "is_local_url"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that drives a browser, so ``-m "not browser"`` deselects all of them."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


def _browser_required() -> bool:
    return os.environ.get("GEO_REQUIRE_BROWSER", "") not in ("", "0", "false", "no")


def is_local_url(url: str) -> bool:
    """True for URLs that never leave the machine: loopback HTTP(S)/WS, file:, data:, blob:, about:."""
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    return (parts.hostname or "") in LOOPBACK_HOSTS


@pytest.fixture(scope="session", autouse=True)
def session_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The article store every test and every Streamlit server of the session uses: never the user's own."""
    path = tmp_path_factory.mktemp("store") / "articles.sqlite3"
    os.environ["GEO_STORE"] = str(path)
    return path


# --- data -------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def seed_path() -> Path:
    """Path of the seed article (Arabic, UTF-8, one paragraph per line)."""
    return SEED_PATH


@pytest.fixture(scope="session")
def seed_text(seed_path: Path) -> str:
    """The seed article's text."""
    return seed_path.read_text(encoding="utf-8")


@pytest.fixture
def tmp_cache(tmp_path: Path) -> Path:
    """A places-cache path in a fresh temporary directory (the file does not exist yet)."""
    return tmp_path / "cache" / "places.csv"


# --- fake Nominatim ---------------------------------------------------------------------------


@pytest.fixture
def fake_nominatim() -> Iterator[FakeNominatim]:
    """A fresh fake Nominatim on 127.0.0.1 (see ``tests/fake_nominatim.py``).

    Fill ``.places``, queue ``.faults`` (``Fault.server_error()``, ``Fault.too_many_requests(2)``,
    ``Fault.slow(5)``, ``Fault.garbage()``, ``Fault.empty()``; hostile ones: ``Fault.reply([1])`` any JSON,
    ``Fault.drip(0.25)`` a byte at a time, ``Fault.huge(300 * 2**20)``, ``Fault.redirect(url)``), read ``.requests``.
    """
    with FakeNominatim() as fake:
        yield fake


# --- Streamlit --------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _healthy(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as reply:
            return reply.status == 200
    except (urllib.error.URLError, OSError):
        return False


@dataclass
class _StreamlitProcess:
    process: subprocess.Popen[bytes]
    base_url: str
    log_path: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


StartStreamlit = Callable[..., str]


@pytest.fixture(scope="session")
def start_streamlit(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StartStreamlit]:
    """Factory: ``start_streamlit(script_path, extra_args=(), timeout=60) -> base URL``.

    Runs ``python -m streamlit run`` from the repository root (so ``.streamlit/config.toml``
    applies) on a free loopback port and waits for ``/_stcore/health``. A server is started
    once per script and arguments and stopped when the session ends. If it does not become
    healthy in time, the test fails with the server's output.
    """
    running: dict[tuple[str, tuple[str, ...]], _StreamlitProcess] = {}
    logs = tmp_path_factory.mktemp("streamlit-logs")

    def start(script_path: str | os.PathLike[str], extra_args: Sequence[str] = (), timeout: float = 60) -> str:
        script = Path(script_path).resolve()
        key = (str(script), tuple(extra_args))
        if key in running and running[key].process.poll() is None:
            return running[key].base_url
        port = _free_port()
        base_url = f"http://127.0.0.1:{port}"
        log_path = logs / f"{script.stem}-{port}.log"
        command = [
            # The interpreter running pytest is the project's venv python (make test uses it).
            sys.executable, "-m", "streamlit", "run", str(script),
            "--server.headless", "true",
            "--server.address", "127.0.0.1",
            "--server.port", str(port),
            "--browser.gatherUsageStats", "false",
            "--server.enableStaticServing", "true",
            *extra_args,
        ]  # fmt: skip
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                command, cwd=REPO_ROOT, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=env
            )
        server = _StreamlitProcess(process, base_url, log_path)
        deadline = time.monotonic() + timeout
        while not _healthy(base_url):
            if process.poll() is not None:
                pytest.fail(
                    f"streamlit exited with code {process.returncode} before answering "
                    f"/_stcore/health; its output:\n{server.log()}",
                    pytrace=False,
                )
            if time.monotonic() > deadline:
                server.stop()
                pytest.fail(
                    f"streamlit did not answer {base_url}/_stcore/health within {timeout:g} s; "
                    f"its output:\n{server.log()}",
                    pytrace=False,
                )
            time.sleep(0.1)
        running[key] = server
        return base_url

    yield start
    for server in running.values():
        server.stop()


@pytest.fixture(scope="session")
def streamlit_server(start_streamlit: StartStreamlit) -> str:
    """Base URL of the project's ``app.py`` served by Streamlit on loopback."""
    app = REPO_ROOT / "app.py"
    if not app.exists():
        pytest.fail(f"{app} does not exist; the Streamlit page is required for this test", pytrace=False)
    return start_streamlit(app)


# --- browser ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeenDialog:
    """A JavaScript dialog (alert/confirm/prompt) that a page opened; it was dismissed."""

    type: str
    message: str


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Path of the Chromium binary; skips without it, or fails when ``GEO_REQUIRE_BROWSER=1``."""
    path = os.environ.get("GEO_CHROMIUM", "/usr/bin/chromium")
    if not os.access(path, os.X_OK):
        message = f"Chromium not found at {path} (install it with `make chromium`)"
        if _browser_required():
            pytest.fail(f"{message}; GEO_REQUIRE_BROWSER is set, so browser tests may not be skipped", pytrace=False)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[Any]:
    """One headless Chromium for the session, driven by Playwright's sync API."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path, headless=True, args=list(CHROMIUM_ARGS))
        yield launched
        launched.close()


@pytest.fixture
def blocked_requests() -> list[str]:
    """URLs the ``page`` fixture refused because they would leave the machine."""
    return []


@pytest.fixture
def dialogs() -> list[SeenDialog]:
    """JavaScript dialogs opened in the ``page`` fixture's context (each was dismissed)."""
    return []


@pytest.fixture
def page_errors() -> list[str]:
    """Uncaught JavaScript errors in the ``page`` fixture's page, as messages."""
    return []


@pytest.fixture
def page(
    browser: Any, blocked_requests: list[str], dialogs: list[SeenDialog], page_errors: list[str]
) -> Iterator[Any]:
    """A new page in a fresh context that can only reach loopback, ``file:``, ``data:`` and ``blob:``.

    Everything else is aborted and its URL appended to ``blocked_requests`` (also available as
    ``page.blocked_requests``); dialogs go to ``dialogs`` and are dismissed; uncaught errors go
    to ``page_errors``.
    """
    # Service workers could fetch behind the router's back; the app needs none.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")

    def guard(route: Any) -> None:
        url = route.request.url
        if is_local_url(url):
            route.continue_()
        else:
            blocked_requests.append(url)
            route.abort("blockedbyclient")

    def guard_websocket(ws: Any) -> None:
        # Not connecting to the server means the socket never leaves the browser.
        blocked_requests.append(ws.url)
        ws.close()

    def on_dialog(dialog: Any) -> None:
        dialogs.append(SeenDialog(dialog.type, dialog.message))
        dialog.dismiss()

    context.route("**/*", guard)
    context.route_web_socket(lambda url: not is_local_url(url), guard_websocket)
    context.on("dialog", on_dialog)
    new_page = context.new_page()
    new_page.on("pageerror", lambda error: page_errors.append(str(error)))
    new_page.blocked_requests = blocked_requests
    new_page.dialogs = dialogs
    yield new_page
    context.close()
