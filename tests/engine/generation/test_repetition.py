from __future__ import annotations

from engine.generation.repetition import RepetitionGuard


def first_loop(ids: list[int]) -> int | None:
    guard = RepetitionGuard()
    for end in range(1, len(ids) + 1):
        if guard.check(ids[:end]):
            return end
    return None


def test_a_repeated_phrase_is_caught_on_its_third_copy() -> None:
    phrase = [28, 18244, 33315, 367, 2618, 283, 769, 430, 1379]
    assert first_loop([5, 6, 7, *phrase * 5]) == 3 + 3 * len(phrase)


def test_varied_text_is_not_a_loop() -> None:
    assert first_loop(list(range(400))) is None
    assert first_loop([1, 2, 1, 3, 1, 2, 1, 4] * 2) is None


def test_a_single_token_needs_many_copies() -> None:
    assert first_loop([9] * 15) is None
    assert first_loop([9] * 16) == 16
