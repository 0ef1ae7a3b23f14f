"""Figure 9: the dashboard's speed as a reader feels it, in Debian Chromium with every non-loopback request blocked.

A Streamlit server for ``app.py`` runs on loopback and is warmed by one page load (gazetteer built, caches
filled). Then, for each of ``runs`` fresh page loads:

- *map drawn*: navigation start → the map's SVG covers the map and its names are laid out;
- *click round trip*: a click on a place marker → the URL names the place, the redrawn map marks it selected
  and the passages panel shows only its passages.

Also printed, to see where time goes: when the page's caption and the map's iframe appear, the size of the map
component's payload, how many script runs a click causes and how long each takes on the server (the app runs
under ``bench/timed_app.py``, which logs every run), whether the click kept the map's iframe, and the
server-side time to build and render the map.

    .venv/bin/python bench/page_speed.py [--app app.py] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("GEO_CHROMIUM", "/usr/bin/chromium")
# The page's map: our framed component (geo.render.live_map), or streamlit-folium's own in an older app.
MAP_IFRAME = ('[data-testid="stElementContainer"][data-stale="false"] '
              'iframe:is([title="geo.render.live_map.story_map"], [title="streamlit_folium.st_folium"])')
DRAWN_JS = """() => {
    const map = document.querySelector('.leaflet-container');
    const svg = document.querySelector('.leaflet-overlay-pane svg');
    const named = [...document.querySelectorAll('.story-label')].some(e => e.style.visibility !== 'hidden');
    const labelled = document.querySelectorAll('.story-label').length === 0 ? true : named;
    return map && svg && map.clientHeight > 0 && Number(svg.getAttribute('width')) >= map.clientWidth
        && document.querySelectorAll('path.place').length > 0 && labelled;
}"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve(app: Path, runs_log: Path) -> tuple[subprocess.Popen, str]:
    # Beside the app: Streamlit serves /app/static from the folder of the script it runs.
    wrapper = app.parent / "_timed_app.py"
    shutil.copyfile(ROOT / "bench" / "timed_app.py", wrapper)
    port = _free_port()
    log = open(Path(os.environ.get("TMPDIR", "/tmp")) / f"page-speed-{port}.log", "wb")  # noqa: SIM115 (lives with the server)
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(wrapper), "--server.headless", "true", "--server.address",
         "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false",
         "--server.enableStaticServing", "true"],
        cwd=app.parent, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        env={**os.environ, "GEO_TIMED_APP": str(app), "GEO_TIMED_LOG": str(runs_log)},
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2):
                return process, url
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError(f"streamlit for {app} did not start")


def _local(url: str) -> bool:
    return url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:"))


def measure(app: Path, runs: int, place: str = "vladivostok") -> dict[str, object]:
    from playwright.sync_api import sync_playwright

    runs_log = Path(os.environ.get("TMPDIR", "/tmp")) / f"page-speed-runs-{os.getpid()}.log"
    runs_log.write_text("")
    process, url = _serve(app, runs_log)
    blocked: list[str] = []
    logged = lambda: [line.split() for line in runs_log.read_text().splitlines()]  # noqa: E731
    try:
        with sync_playwright() as p:
            # Blocked in the browser's resolver, not by routing every request through Playwright (which
            # adds a round trip to each of the page's ~40 requests and is no part of what a reader waits for).
            browser = p.chromium.launch(executable_path=CHROMIUM, args=[
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"])

            def new_page():
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                context.on("request", lambda r: None if _local(r.url) else blocked.append(r.url))
                return context, context.new_page()

            def load() -> tuple[float, object, object]:
                context, page = new_page()
                started = time.perf_counter()
                page.goto(url + "/")
                page.wait_for_selector('[data-testid="stCaptionContainer"]', timeout=120_000)
                phases["caption"].append(time.perf_counter() - started)
                page.wait_for_selector(MAP_IFRAME, state="attached", timeout=120_000)
                phases["iframe"].append(time.perf_counter() - started)
                frame = page.locator(MAP_IFRAME).element_handle(timeout=120_000).content_frame()
                frame.wait_for_function(DRAWN_JS, timeout=120_000, polling=20)
                return time.perf_counter() - started, context, page

            phases: dict[str, list[float]] = {"caption": [], "iframe": []}
            _, context, _ = load()  # warm the server: gazetteer, caches, static files
            context.close()
            phases = {"caption": [], "iframe": []}
            drawn, clicks, payloads, click_runs, kept, load_runs = [], [], [], [], [], []
            for _ in range(runs):
                before = len(logged())
                seconds, context, page = load()
                drawn.append(seconds)
                frame = page.locator(MAP_IFRAME).element_handle().content_frame()
                payloads.append(frame.evaluate("() => document.documentElement.outerHTML.length"))
                frame.evaluate("() => { window.benchMark = 1; }")  # gone if the click makes a new iframe
                time.sleep(1.0)  # let the load's runs end (and a stray one show) before counting the click's
                load_runs.extend(logged()[before:])
                before = len(logged())
                started = time.perf_counter()
                frame.locator(f"path.place-{place}").dispatch_event("click")
                page.wait_for_url(re.compile(rf"[?&]place={place}$"), timeout=60_000)
                # The rerun may replace the iframe: re-resolve it rather than hold the old frame.
                page.frame_locator(MAP_IFRAME).locator(f"path.place-{place}.place-selected").wait_for(
                    state="attached", timeout=60_000)
                page.wait_for_function(
                    f"() => [...document.querySelectorAll('div.passage')].filter(e => !e.closest('[data-stale=\"true\"]'))"
                    f".every(e => e.querySelector('mark[data-place=\"{place}\"]'))", timeout=60_000, polling=20)
                clicks.append(time.perf_counter() - started)
                kept.append(page.frame_locator(MAP_IFRAME).locator("body").evaluate("() => window.benchMark === 1"))
                time.sleep(1.0)  # a second run the click may cause comes within the debounce and a run
                click_runs.append(logged()[before:])
                context.close()
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=10)
        (app.parent / "_timed_app.py").unlink(missing_ok=True)
    return {"drawn": drawn, "click": clicks, "iframe_chars": statistics.median(payloads), "blocked": blocked,
            "phases": phases, "click_runs": click_runs, "kept": kept, "load_runs": load_runs}


def server_side(runs: int = 5) -> tuple[float, int]:
    """build_map + render for the seed, as the page does it (static assets), and the rendered size."""
    sys.path.insert(0, str(ROOT))
    from geo.pipeline import analyse
    from geo.render.assets import use_local_assets
    from geo.render.layers import build_map

    story = analyse((ROOT / "seeds" / "ar_kim_armored_train_vladivostok.txt").read_text(encoding="utf-8"))
    times, size = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        m = use_local_assets(build_map(story, offline_first=True, collapse_control=True), mode="static")
        size = len(m.get_root().render())
        times.append(time.perf_counter() - started)
    return statistics.median(times), size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--app", type=Path, default=ROOT / "app.py")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    result = measure(args.app.resolve(), args.runs)
    print(f"map drawn after load: median {statistics.median(result['drawn']):.2f} s  {[round(x, 2) for x in result['drawn']]}")
    print(f"click round trip:     median {statistics.median(result['click']):.2f} s  {[round(x, 2) for x in result['click']]}")
    print(f"map iframe document:  {result['iframe_chars'] / 1000:,.0f} K chars; blocked requests: {len(result['blocked'])}")
    for phase, values in result["phases"].items():
        print(f"load → {phase + ':':15s} median {statistics.median(values):.2f} s  {[round(x, 2) for x in values]}")
    load_times = [float(run[0]) for run in result["load_runs"]]
    print(f"script runs per load: {[len(r) for r in [result['load_runs']]]} in all, "
          f"median {statistics.median(load_times) * 1000:.0f} ms each" if load_times else "no load runs logged")
    per_click = [len(runs) for runs in result["click_runs"]]
    click_times = [float(run[0]) for runs in result["click_runs"] for run in runs]
    print(f"script runs per click: {per_click}; server time per click run: median "
          f"{statistics.median(click_times) * 1000:.0f} ms {[round(t * 1000) for t in click_times]}" if click_times else "")
    print(f"map iframe kept across the click: {result['kept']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
