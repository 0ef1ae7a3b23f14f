"""One request rate shared by every thread, session and process on a machine: a lock file and a timestamp file.

Nominatim's usage policy allows one request per second per application. A Streamlit server runs every
visitor's session in its own thread and may run several processes; a per-object limiter lets each of them
send its own request in the same millisecond. Here each caller takes an exclusive file lock, reads the time
of the last request from a small file, sleeps until ``interval`` has passed, writes the new time and lets go,
so callers queue in order whatever process they live in.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
import time
from pathlib import Path

from filelock import FileLock, Timeout

from geo.core.errors import GeocoderError


def default_rate_file(service: str) -> Path:
    """The timestamp file for a service (a host name): one per service in the temp folder, shared by every
    process of the machine (``Settings.rate_file`` / ``GEO_RATE_FILE`` chooses another)."""
    digest = hashlib.sha256(service.encode("utf-8")).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"geo-storymap-rate-{digest}"


class SharedRateLimit:
    """At most one ``wait()`` return per ``interval`` seconds among all users of ``path``."""

    def __init__(self, path: Path, interval: float, lock_timeout: float = 60.0) -> None:
        self.path = Path(path)
        self.interval = max(float(interval), 0.0)
        self._file_lock = FileLock(str(self.path) + ".lock", timeout=lock_timeout)
        self._thread_lock = threading.Lock()  # threads of one process queue here before the file lock

    def wait(self) -> None:
        """Block until this caller may send a request, and record that it does (wall clock, shared)."""
        with self._thread_lock:
            try:
                with self._file_lock:
                    last = self._read()
                    now = time.time()
                    # A timestamp in the future (clock stepped back, a hand-edited file) waits at most one interval.
                    pause = min(max(last + self.interval - now, 0.0), self.interval)
                    if pause:
                        time.sleep(pause)
                    self._write(time.time())
            except Timeout as err:
                raise GeocoderError(f"{self.path}.lock: another process holds the request-rate lock; retry later") from err
            except OSError as err:
                raise GeocoderError(f"{self.path}: cannot use the request-rate file ({err.strerror or err})") from err

    def _read(self) -> float:
        try:
            with open(self.path, "rb") as f:
                return float(f.read(64).decode("ascii", "replace") or 0)
        except (FileNotFoundError, ValueError):
            return 0.0

    def _write(self, stamp: float) -> None:
        # A rename, so a reader never sees half a number.
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_text(f"{stamp:.6f}", encoding="ascii")
        os.replace(tmp, self.path)
