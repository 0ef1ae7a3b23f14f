"""geo/text.py: decoding article bytes, passages with offsets, sentences, language, Arabic folding."""

from __future__ import annotations

import codecs

import pytest

from geo.core.errors import ArticleEncodingError, InputError
from geo.core.text import (
    ar_key,
    decode,
    language,
    name_key,
    normalise_ar,
    normalise_latin,
    passages,
    sentences,
    title,
)

ENGLISH = "Kim Jong Un travelled from Pyongyang to Vladivostok by armoured train.\nHe met Putin there.\n"


# --- decoding -------------------------------------------------------------------------------------


def test_decode_utf8_without_bom(seed_text: str) -> None:
    text, encoding = decode(seed_text.encode("utf-8"))
    assert (text, encoding) == (seed_text, "utf-8")


def test_decode_utf8_with_bom_drops_the_bom(seed_text: str) -> None:
    text, encoding = decode(codecs.BOM_UTF8 + seed_text.encode("utf-8"))
    assert text == seed_text  # offsets must not shift by the BOM
    assert not text.startswith("\ufeff")
    assert encoding == "utf-8"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_decode_utf16_with_bom(seed_text: str, codec: str) -> None:
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    text, encoding = decode(bom + seed_text.encode(codec))
    assert text == seed_text
    assert encoding == codec


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_decode_utf16_without_bom_arabic(seed_text: str, codec: str) -> None:
    text, encoding = decode(seed_text.encode(codec))
    assert text == seed_text
    assert encoding == codec


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_decode_utf16_without_bom_english(codec: str) -> None:
    text, _ = decode(ENGLISH.encode(codec))
    assert text == ENGLISH


def test_decode_cp1256_arabic(seed_text: str) -> None:
    # The seed uses only letters cp1256 has, so the round trip is exact.
    data = seed_text.encode("cp1256")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # the test really exercises the fallback
    text, encoding = decode(data)
    assert (text, encoding) == (seed_text, "cp1256")


def test_invalid_utf8_that_is_not_arabic_is_refused() -> None:
    # Latin-1 French: not UTF-8, and cp1256 would turn it into mojibake, not Arabic.
    data = "Le président a visité Besançon et Genève l'été dernier.".encode("latin-1")
    with pytest.raises(ArticleEncodingError) as info:
        decode(data)
    assert "UTF-8" in str(info.value)
    assert isinstance(info.value, InputError)  # the CLI turns it into exit 2


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00" + bytes(range(256)) * 4,
        b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00\x01\x00\x00\x00" + bytes(range(256)) * 4,
        bytes(range(256)) * 16,
    ],
    ids=["png", "elf", "all-bytes"],
)
def test_binary_files_are_refused(data: bytes) -> None:
    with pytest.raises(ArticleEncodingError):
        decode(data)


def test_utf16_bom_with_broken_body_is_refused() -> None:
    # A BOM followed by an unpaired surrogate: claims UTF-16 but is not.
    with pytest.raises(ArticleEncodingError):
        decode(codecs.BOM_UTF16_LE + b"A\x00\x00\xd8B\x00")


# --- passages and sentences ------------------------------------------------------------------------


def test_passages_index_the_original_text(seed_text: str) -> None:
    parts = passages(seed_text)
    assert len(parts) == len([line for line in seed_text.splitlines() if line.strip()])
    assert [p.id for p in parts] == list(range(len(parts)))
    for p in parts:
        assert seed_text[p.start : p.end] == p.text
        assert p.text == p.text.strip()
    assert all(a.end <= b.start for a, b in zip(parts, parts[1:]))


def test_seed_headings_are_detected(seed_text: str) -> None:
    headings = [p.text for p in passages(seed_text) if p.heading]
    assert headings == ["تفاصيل الزيارة", "حلفاء الحرب الباردة"]


def test_passages_skip_blank_lines_and_trim_bidi_marks() -> None:
    text = "\ufeff\u200fالعنوان الأول\r\n\r\n   \n\u202bفقرة أولى تنتهي بنقطة.\u202c\n"
    parts = passages(text)
    assert [p.text for p in parts] == ["العنوان الأول", "فقرة أولى تنتهي بنقطة."]
    assert [p.heading for p in parts] == [True, False]
    for p in parts:
        assert text[p.start : p.end] == p.text


def test_long_line_without_final_punctuation_is_not_a_heading() -> None:
    line = " ".join(["كلمة"] * 25)
    assert passages(line)[0].heading is False


def test_sentences_split_arabic_and_english_with_offsets() -> None:
    text = "زار كيم روسيا. هل يعود؟ نعم!\nThen he left. OK"
    spans = list(sentences(text))
    assert [text[s:e] for s, e in spans] == ["زار كيم روسيا.", "هل يعود؟", "نعم!", "Then he left.", "OK"]


def test_sentences_within_a_passage(seed_text: str) -> None:
    p = passages(seed_text)[0]
    spans = list(sentences(seed_text, p.start, p.end))
    assert spans and all(p.start <= s < e <= p.end for s, e in spans)
    assert seed_text[spans[-1][0] : spans[-1][1]].endswith("وسول.")


def test_title_is_short_and_from_the_start_of_the_article(seed_text: str) -> None:
    parts = passages(seed_text)
    t = title(seed_text, parts)
    assert 10 <= len(t) <= 90
    assert parts[0].text.startswith(t.removesuffix("…"))
    # An article that opens with a heading line is titled by it.
    text = "قمة في فلاديفوستوك\nوصل الزعيم الكوري الشمالي إلى روسيا بالقطار أمس، في زيارة نادرة."
    assert title(text, passages(text)) == "قمة في فلاديفوستوك"
    assert title("", ()) == ""


# --- language and normalisation -------------------------------------------------------------------


def test_language(seed_text: str) -> None:
    assert language(seed_text) == "ar"
    assert language(ENGLISH) == "en"
    # An English article quoting a few Arabic words stays English, and vice versa.
    assert language("The sign read مرحبا but the article is in English throughout.") == "en"
    assert language("قال المتحدث باسم NATO إن الاجتماع سيعقد في بروكسل الأسبوع المقبل.") == "ar"


def test_normalise_ar_folds_spelling_variants() -> None:
    assert normalise_ar("بيونغ") == normalise_ar("بيونج")
    assert normalise_ar("أوكرانيا") == normalise_ar("اوكرانيا") == normalise_ar("إوكرانيا")
    assert normalise_ar("القاهرة") == "القاهره"
    assert normalise_ar("مُكَثَّفـــة") == normalise_ar("مكثفة")  # diacritics and tatweel


def test_name_key_joins_words_and_drops_articles() -> None:
    # The Egyptian spelling with a space meets GeoNames' one-word form.
    assert name_key("بيونج يانج") == name_key("بيونغيانغ")
    assert name_key("الولايات المتحدة") == ar_key("ولايات") + ar_key("متحده")
    assert name_key("Kyiv") == "kyiv"
    assert name_key("Komsomolsk-on-Amur") == name_key("komsomolsk on amur")
    assert normalise_latin("Genève") == "geneve"


def test_ar_key_keeps_a_hamzated_al() -> None:
    # Only a bare-alef ال is the article.
    assert ar_key("الصين") == "صين"
    assert ar_key("ألوفي") == "الوفي"
