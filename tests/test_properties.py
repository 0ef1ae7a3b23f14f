"""Properties that hold for any input: extraction never raises and every offset is exact; real names stay
findable under diacritics, tatweel and proclitics."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.core.document import Document
from geo.core.model import Story
from geo.core.text import sentences
from geo.pipeline import analyse
from geo.places import gazetteer
from geo.places.matching import find_matches, resolve

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DIACRITICS = [chr(c) for c in range(0x064B, 0x0653)] + ["\u0670"]  # harakat, tanween, shadda, sukun, dagger alef
TATWEEL = "\u0640"
_STRIP = re.compile("[\u064b-\u065f\u0670\u0640]")

# Real names and the place each must resolve to.
NAMES = {
    "موسكو": "moscow",
    "بكين": "beijing",
    "القاهرة": "cairo",
    "طهران": "tehran",
    "دمشق": "damascus",
    "الرياض": "riyadh",
    "فلاديفوستوك": "vladivostok",
    "بيونغ يانغ": "pyongyang",
    "روسيا": "russia",
    "الصين": "china",
    "أوكرانيا": "ukraine",
    "كوريا الشمالية": "north-korea",
}
PROCLITICS = ["", "و", "ف", "ب", "ل", "وب", "ول", "فب", "فل"]

FRAGMENTS = [
    "موسكو", "وبيونج يانج", "للصين", "الروسية", "واشنطن", "نيويورك تايمز", "صور", "جدة", "في جدة", "عمان",
    "Kyiv", "the Kremlin", "Washington Post", "Reading", "in Nice", "South China Sea", "town of Xanadu",
    "مدينة", "بلدة زيلاند", "\u200f", "\u202b", "\u202c", "\u2067", "\ufeff", "\u0640", "\u064e", "\u0651",
    "\n", "\r\n", ". ", "، ", "؟", " ", "<p>", "</p>", "\U0001f600", "ـــ", "A.B.", "-",
]  # fmt: skip


def gaz() -> gazetteer.Gazetteer:
    return gazetteer.load()  # cached in memory after the first call


def check_offsets(text: str, story: Story) -> None:
    for p in story.passages:
        assert text[p.start : p.end] == p.text
    ids = {p.id for p in story.places}
    for m in story.mentions:
        assert text[m.start : m.end] == m.text
        assert m.place in ids


@SETTINGS
@given(st.text(max_size=400))
def test_any_text_never_raises_and_offsets_are_exact(text: str) -> None:
    g = gaz()
    doc = Document.read(text)
    matches = find_matches(doc, g)
    for m in matches:
        assert text[m.start : m.end] == m.text
    resolve(matches, g, doc)
    check_offsets(text, analyse(text, gazetteer=g))
    for s, e in sentences(text):
        assert 0 <= s < e <= len(text)


@SETTINGS
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=40).map("".join))
def test_mixed_names_controls_and_noise(text: str) -> None:
    story = analyse(text, gazetteer=gaz())
    check_offsets(text, story)
    assert all(a.end <= b.start for a, b in zip(story.passages, story.passages[1:]))


@st.composite
def decorated(draw: st.DrawFn) -> tuple[str, str, str]:
    """(sentence, the decorated name as written, expected place id)."""
    name = draw(st.sampled_from(sorted(NAMES)))
    out = []
    letters = list(name)
    for i, ch in enumerate(letters):
        out.append(ch)
        if ch == " ":
            continue
        if draw(st.integers(0, 3)) == 0:
            out.append(draw(st.sampled_from(DIACRITICS)))
        nxt = letters[i + 1] if i + 1 < len(letters) else " "
        if nxt != " " and ch not in "اأإآدذرزوؤء" and draw(st.integers(0, 4)) == 0:
            out.append(TATWEEL * draw(st.integers(1, 3)))  # tatweel only stretches a joining letter
    written = "".join(out)
    clitic = draw(st.sampled_from(PROCLITICS))
    if clitic.endswith("ل") and name.startswith("ال"):
        word = clitic + written[1:]  # ل + الصين = للصين: the article's alef drops
    else:
        word = clitic + written
    frame = draw(st.sampled_from(["وصل الوفد {} أمس.", "قال مسؤول إن {} مستعدة.", "{}", "«{}»، قالت الوكالة."]))
    return frame.format(word), written, NAMES[name]


@SETTINGS
@given(decorated())
def test_names_with_diacritics_tatweel_and_clitics_are_found(case: tuple[str, str, str]) -> None:
    text, written, place = case
    story = analyse(text, gazetteer=gaz())
    check_offsets(text, story)
    found = [m for m in story.mentions if m.place == place]
    assert found, (text, [(m.place, m.text) for m in story.mentions])
    bare_name = _STRIP.sub("", written)
    core = bare_name[2:] if bare_name.startswith("ال") else bare_name
    for m in found:
        # The mention is the name itself: it ends with the name and carries no conjunction.
        assert _STRIP.sub("", m.text).endswith(core)
        assert not m.text.startswith(("و", "ف")) or bare_name.startswith(("و", "ف"))
