"""The dictionary: known words, candidates, the writer's own words, and no network."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from engine.fidelity.spelling import Dictionary, PersonalWords, language_code, match_case


@pytest.fixture(scope="module")
def english() -> Dictionary:
    return Dictionary("en")


def test_known_and_unknown_words(english: Dictionary) -> None:
    assert english.is_known("receive") and english.is_known("Receive")
    assert not english.is_known("recieve")
    assert english.is_known("it's") and english.is_known("it’s")
    assert english.is_known("writer's")  # a possessive of a known word


def test_british_spellings_are_not_typos(english: Dictionary) -> None:
    for word in ("colour", "neighbour", "apologised", "metres", "organisation", "catalogue"):
        assert english.is_known(word), word
    assert not english.is_known("colrou")


def test_suggestions_are_ranked_and_keep_the_casing(english: Dictionary) -> None:
    assert english.suggestions("recieve")[0] == "receive"
    assert english.suggestions("Teh")[0] == "The"
    assert "a lot" in english.suggestions("alot")  # two words run together
    assert english.suggestions("x" * 40) == []
    assert match_case("TEH", "the") == "THE"


def test_the_writers_words_are_kept_in_a_file(tmp_path: Path) -> None:
    path = tmp_path / "config" / "words.txt"
    dictionary = Dictionary("en", PersonalWords(path))
    assert not dictionary.is_known("Inkwellian")
    dictionary.add("Inkwellian")
    assert dictionary.is_known("Inkwellian")
    assert path.read_text(encoding="utf-8") == "Inkwellian\n"
    assert Dictionary("en", PersonalWords(path)).is_known("Inkwellian")  # a new start reads it


def test_a_word_added_elsewhere_is_taken_up(tmp_path: Path) -> None:
    path = tmp_path / "words.txt"
    engine_side = Dictionary("en", PersonalWords(path))
    assert not engine_side.is_known("Zorbly")
    PersonalWords(path).add("Zorbly")  # the editor's Add to dictionary
    engine_side.refresh()
    assert engine_side.is_known("Zorbly")


def test_an_unreadable_word_list_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "words.txt"
    path.write_bytes(b"\xff\xfe\x00broken")
    assert PersonalWords(path).words == set()


def test_dictionaries_load_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("no network in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    french = Dictionary("fr")
    assert french.is_known("maison") and not french.is_known("maisson")
    assert "maison" in french.suggestions("maisson")


def test_languages_by_code_or_name() -> None:
    assert language_code("French") == "fr" and language_code("fr") == "fr" and language_code("de") == "de"
    assert language_code("Klingon") is None and language_code(None) is None
    with pytest.raises(ValueError, match="no dictionary"):
        Dictionary("xx")
