"""Runs a Streamlit app script and logs how long each of its script runs takes (figure 9's server side).

``streamlit run bench/timed_app.py`` with ``GEO_TIMED_APP`` (the app, e.g. an older copy of ``app.py``) and
``GEO_TIMED_LOG`` (a file: one line per run, ``seconds ending start``: ending = done / rerun / stop / error, start in Unix seconds).
The app's own folder goes first on ``sys.path`` so an older copy imports its own ``geo`` package.
"""

from __future__ import annotations

import os
import runpy
import sys
import time

APP = os.environ["GEO_TIMED_APP"]
if sys.path[0] != os.path.dirname(APP):
    sys.path.insert(0, os.path.dirname(APP))

started, wall = time.perf_counter(), time.time()
ending = "error"
try:
    runpy.run_path(APP, run_name="__main__")
    ending = "done"
except BaseException as exc:  # Streamlit ends a run early by raising: st.rerun() and st.stop()
    name = type(exc).__name__
    ending = "rerun" if "Rerun" in name else "stop" if "Stop" in name else "error"
    raise
finally:
    with open(os.environ["GEO_TIMED_LOG"], "a", encoding="utf-8") as log:
        log.write(f"{time.perf_counter() - started:.4f} {ending} {wall:.3f}\n")
