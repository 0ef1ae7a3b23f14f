"""The page open to strangers (app.py through AppTest): long texts in pages, hostile URLs and file names,
hosted mode (online geocoding for the operator only, per-session limits, no writes by visitors)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import tomllib
from test_app import PASTE, UPLOAD, new_app, run_ok, shown_passages

from geo.core.hosting import HOSTED_MAX_ARTICLES, Hosting
from geo.core.settings import Settings
from geo.render.paging import PAGE_SIZE
from geo.render.view import md_escape

REPO = Path(__file__).resolve().parent.parent
LONG = "".join(f"Line {i} of the dispatch from Tokyo.\n" for i in range(3 * PAGE_SIZE + 7))

# What Streamlit's Markdown would turn into markup from plain text (the JS patterns of remark-gfm's
# autolink literals, remark-emoji and remark-directive).
_RENDERS_AS_MARKUP = [
    re.compile(r"(?i)(https?://|www(?=\.))[-.\w]+"),
    re.compile(r"[-.\w+]+@[-\w]+(?:\.[-\w]+)+"),
    re.compile(r":\+1:|:-1:|:[\w-]+:"),
    re.compile(r":[A-Za-z][\w-]*\["),
]


def paste(at, text: str):  # type: ignore[no-untyped-def]
    run_ok(at.selectbox(key="source").select(PASTE))
    return run_ok(at.text_area(key="pasted").input(text))


def test_a_long_text_shows_one_page_of_passages() -> None:
    at = paste(run_ok(new_app()), LONG)
    assert shown_passages(at) == list(range(PAGE_SIZE))
    [page] = [n for n in at.number_input if n.label == "Page"]
    run_ok(page.set_value(4))
    assert shown_passages(at) == list(range(3 * PAGE_SIZE, 3 * PAGE_SIZE + 7))
    assert any("Passages 151–157 of 157" in c.value for c in at.caption)


def test_a_huge_passage_number_in_the_url_selects_nothing() -> None:
    at = run_ok(new_app(passage="9" * 5000))
    assert shown_passages(at)  # all passages, no traceback


@pytest.mark.parametrize("name", ["www.evil.example", ":skull: and :red[alarm]", "http://evil.example/x", "pay@evil.example"])
def test_file_names_render_no_links_emoji_or_colours(name: str) -> None:
    at = run_ok(new_app())
    run_ok(at.selectbox(key="source").select(UPLOAD))
    run_ok(at.file_uploader(key="upload").upload(f"{name}.txt", b"\x00\x01binary", "text/plain"))
    [error] = at.sidebar.error
    assert "looks binary" in error.value
    for rx in _RENDERS_AS_MARKUP:
        assert not rx.search(error.value), (rx.pattern, error.value)


def test_md_escape_defuses_every_markup_pattern() -> None:
    for text in ["www.x.org", "https://x.org", "a@b.org", ":skull:", ":red[x]", ":+1:", "10:30 in Gaza, www.gaza"]:
        out = md_escape(text)
        assert out.replace("\u2060", "").replace("\\", "") == text
        assert not any(rx.search(out) for rx in _RENDERS_AS_MARKUP), out


def test_uploads_stop_at_two_megabytes_before_they_are_read() -> None:
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] <= 2  # Streamlit's default is 200 (MB)


# --- hosted mode -----------------------------------------------------------------------------------


def toggles(at) -> list[str]:  # type: ignore[no-untyped-def]
    return [t.label for t in at.sidebar.toggle]


def test_hosted_without_an_operator_key_offers_no_online_geocoding(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GEO_HOSTED", "1")
    monkeypatch.delenv("GEO_OPERATOR_KEY", raising=False)
    at = run_ok(new_app())
    assert toggles(at) == [] and not [t for t in at.sidebar.text_input if t.label == "Operator key"]


def test_hosted_online_geocoding_is_for_the_operator_only(
    fake_nominatim, tmp_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_nominatim.places["Xanadu"] = {"lat": 42.36, "lon": 116.19, "display_name": "Xanadu", "country_code": "CN", "type": "town"}
    for k, v in {"GEO_HOSTED": "1", "GEO_OPERATOR_KEY": "s3cret-operator", "GEO_NOMINATIM": fake_nominatim.url,
                 "GEO_PLACES_CACHE": str(tmp_cache), "GEO_RATE_FILE": str(tmp_path / "rate")}.items():
        monkeypatch.setenv(k, v)
    at = paste(run_ok(new_app()), "They rode to the town of Xanadu at dawn.")
    assert toggles(at) == []  # a visitor: no switch, no request, nothing written
    run_ok(at.text_input(key="operator").input("guess"))
    assert toggles(at) == []
    assert fake_nominatim.requests == [] and not tmp_cache.exists()
    run_ok(at.text_input(key="operator").input("s3cret-operator"))
    assert toggles(at) == ["Online geocoding (Nominatim)"]
    run_ok(at.sidebar.toggle[0].set_value(True))
    assert len(fake_nominatim.search_requests) == 1 and tmp_cache.exists()


def test_hosted_refuses_an_article_over_its_size_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GEO_HOSTED", "1")
    at = run_ok(new_app())
    run_ok(at.selectbox(key="source").select(UPLOAD))
    run_ok(at.file_uploader(key="upload").upload("long.txt", ("They met in Tokyo. " * 12_000).encode(), "text/plain"))
    assert any("228,000 characters; this page maps up to 200,000" in e.value for e in at.sidebar.error)
    assert not shown_passages(at)
    # The paste box holds no more than the limit either.
    [box] = [t for t in paste(at, "x").text_area if t.key == "pasted"]
    assert box.max_chars == 200_000


def test_hosted_counts_articles_per_session() -> None:
    hosting = Hosting.configure(Settings.from_env({"GEO_HOSTED": "1"}))
    seen = {f"k{i}" for i in range(HOSTED_MAX_ARTICLES)}
    assert "reload the page" in hosting.refuse("text", seen, "new")
    assert hosting.refuse("text", seen, "k3") == ""  # one already mapped may be shown again
    assert Hosting.configure(Settings.from_env({})).refuse("text", seen, "new") == ""  # local: no count


def test_hosted_is_on_in_a_streamlit_cloud_checkout() -> None:
    def hosting(env: dict[str, str], app_dir: Path | None = None) -> Hosting:
        return Hosting.configure(Settings.from_env(env), app_dir=app_dir)

    assert hosting({}, Path("/mount/src/geo-storymap")).hosted
    assert not hosting({"GEO_HOSTED": "0"}, Path("/mount/src/geo-storymap")).hosted
    assert not hosting({}, REPO).hosted
    assert not hosting({"GEO_HOSTED": "1", "GEO_OPERATOR_KEY": "k"}).is_operator("K")
    assert hosting({"GEO_HOSTED": "1", "GEO_OPERATOR_KEY": "k"}).is_operator("k")
