"""Hosted mode: what a dashboard open to strangers allows, decided from the environment. Pure.

A local page (``make run``) is one person's tool: online geocoding is a toggle and articles are as large as
the CLI takes. A hosted page (``GEO_HOSTED=1``, or a Streamlit Community Cloud checkout under
``/mount/src``) serves strangers: online geocoding only for the operator, who types the secret
``GEO_OPERATOR_KEY`` (none set: off for everyone), so visitors never send requests in our name nor write
the shared places table; each session maps a bounded number of articles of bounded size.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from pathlib import Path

from geo.core.settings import Settings

CLOUD_CHECKOUT = Path("/mount/src")  # where Streamlit Community Cloud checks an app's repository out

LOCAL_MAX_CHARS = 2_000_000  # the page's paste box; uploads stop at server.maxUploadSize (2 MB)
HOSTED_MAX_CHARS = 200_000  # a long news article is 10-40 KB
HOSTED_MAX_ARTICLES = 30  # distinct articles one session may map


@dataclass(frozen=True)
class Hosting:
    """The page's limits. ``operator_key`` "" means no operator: online geocoding is off when hosted."""

    hosted: bool = False
    operator_key: str = ""
    max_chars: int = LOCAL_MAX_CHARS
    max_articles: int = 0  # 0: no limit

    @classmethod
    def configure(cls, settings: Settings, app_dir: Path | None = None) -> Hosting:
        """Hosted when ``settings.hosted`` says so, or, unless it says "0", when ``app_dir`` is a Cloud checkout."""
        flag = settings.hosted
        on_cloud = app_dir is not None and CLOUD_CHECKOUT in Path(app_dir).resolve().parents
        hosted = flag in ("1", "true", "yes", "on") or (on_cloud and flag not in ("0", "false", "no", "off"))
        if not hosted:
            return cls()
        return cls(True, settings.operator_key, HOSTED_MAX_CHARS, HOSTED_MAX_ARTICLES)

    @property
    def online_possible(self) -> bool:
        """Whether the page offers online geocoding at all (locally always; hosted only with an operator key)."""
        return not self.hosted or bool(self.operator_key)

    def is_operator(self, given: str) -> bool:
        """True locally; hosted, only for the configured key (compared in constant time)."""
        if not self.hosted:
            return True
        return bool(self.operator_key) and hmac.compare_digest(given.encode("utf-8"), self.operator_key.encode("utf-8"))

    def refuse(self, text: str, seen: set[str], key: str) -> str:
        """Why this session may not map ``text`` ("" if it may). ``seen`` holds the keys of articles already mapped."""
        if len(text) > self.max_chars:
            return f"the article has {len(text):,} characters; this page maps up to {self.max_chars:,}: split it or use the command line"
        if self.max_articles and key not in seen and len(seen) >= self.max_articles:
            return f"this session has mapped {len(seen)} articles, the limit here; reload the page to start a new session"
        return ""
