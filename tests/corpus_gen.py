"""A generated news corpus for the corpus-scale tests: short Arabic and English articles written here.

Each article picks its places from the lists below (capitals and large cities, written for these
tests) and its sentences from a few templates, so hundreds of articles differ in places, language,
length and dating: some carry a dateline, some a date in the file name, some a metadata file beside
them, some nothing. The same seed gives the same corpus.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from geo.core.settings import Settings

EN_PLACES = (
    "Cairo", "Paris", "Berlin", "Madrid", "Lima", "Nairobi", "Tokyo", "Seoul", "Ankara", "Baghdad",
    "Beirut", "Damascus", "Moscow", "Warsaw", "Rome", "Athens", "Lisbon", "Oslo", "Manila", "Jakarta",
    "Hanoi", "Bangkok", "Tehran", "Riyadh", "Doha", "Tunis", "Rabat", "Khartoum", "Accra", "Dakar",
    "Brazil", "Japan", "Kenya", "Peru", "Norway", "Vietnam",
)  # fmt: skip
AR_PLACES = (
    "القاهرة", "باريس", "برلين", "مدريد", "طوكيو", "موسكو", "بغداد", "بيروت", "دمشق", "الرياض",
    "الدوحة", "تونس", "الرباط", "الخرطوم", "أنقرة", "طهران", "روما", "أثينا", "اليابان", "البرازيل",
)  # fmt: skip
EN_SENTENCES = (
    "Officials from {a} met their counterparts in {b} on Tuesday to discuss trade and energy.",
    "A delegation flew from {a} to {b} for two days of talks on water and farming.",
    "Prices in {a} rose again this month, traders said, while markets in {b} stayed calm.",
    "The minister said {a} would send engineers to {b} to help repair the damaged port.",
    "Students in {a} marched through the city centre, and a smaller crowd gathered in {b}.",
    "Heavy rain flooded several streets of {a}; the weather service expects more storms near {b}.",
)
AR_SENTENCES = (
    "وصل وفد من {a} إلى {b} لبحث التعاون الاقتصادي بين البلدين.",
    "قال مسؤولون في {a} إن المحادثات مع {b} ستستمر الأسبوع المقبل.",
    "ارتفعت الأسعار في {a} هذا الشهر بينما بقيت الأسواق في {b} هادئة.",
    "استقبلت {a} وزير خارجية قادما من {b} في زيارة تستمر يومين.",
    "شهدت شوارع {a} أمطارا غزيرة وتتوقع الأرصاد عواصف قرب {b}.",
)
EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December")  # fmt: skip
AR_MONTHS = ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر",
             "نوفمبر", "ديسمبر")  # fmt: skip
START = dt.date(2023, 1, 1)


def write_corpus(folder: Path, n: int, seed: int = 14) -> dict[str, str]:
    """Write ``n`` articles under ``folder`` (in two sub-folders); returns path → the date written into it ("" if none)."""
    rng = random.Random(seed)
    dates: dict[str, str] = {}
    for i in range(n):
        arabic = rng.random() < 0.4
        places, sentences = (AR_PLACES, AR_SENTENCES) if arabic else (EN_PLACES, EN_SENTENCES)
        day = START + dt.timedelta(days=rng.randrange(700))
        how = rng.choice(("dateline", "name", "meta", "none"))
        lines = []
        first = rng.choice(places)
        if how == "dateline":
            if arabic:
                lines.append(f"{first} - {day.day} {AR_MONTHS[day.month - 1]} {day.year}")
            else:
                lines.append(f"{first.upper()}, {EN_MONTHS[day.month - 1]} {day.day}, {day.year}")
        else:
            lines.append("تقرير" if arabic else "Report")
        for _ in range(rng.randint(2, 6)):
            a, b = rng.sample(places, 2)
            a = first if rng.random() < 0.3 else a
            lines.append(rng.choice(sentences).format(a=a, b=b) if a != b else rng.choice(sentences).format(a=a, b=rng.choice(places)))
        sub = folder / ("ar" if arabic else "en")
        sub.mkdir(parents=True, exist_ok=True)
        name = f"{day.isoformat()}_{i:05d}.txt" if how == "name" else f"article_{i:05d}.txt"
        path = sub / name
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        if how == "meta":
            path.with_suffix(".json").write_text(json.dumps({"date": f"{day.isoformat()}T08:00:00Z"}), encoding="utf-8")
        dates[str(path)] = "" if how == "none" else day.isoformat()
    return dates


def run_settings(places_cache: Path) -> Settings:
    """The test environment's settings (conftest points the caches at temporary folders) with this places cache."""
    return replace(Settings.from_env(), places_cache=Path(places_cache))


REPO = Path(__file__).resolve().parent.parent


def run_geo(*args: str | Path, env: dict[str, str], timeout: float) -> subprocess.CompletedProcess[str]:
    """``python -m geo ARGS`` from the checkout, with ``env`` over this environment."""
    return subprocess.run(
        [sys.executable, "-m", "geo", *map(str, args)],
        cwd=REPO, capture_output=True, text=True, timeout=timeout, env={**os.environ, **env},
    )  # fmt: skip
