"""The parts both decoding loops share: processors, the stopper, copy drafts."""

from __future__ import annotations

import threading

import torch

from engine.generation.decoding import (
    PullTowards,
    Stopper,
    StopReason,
    build_processors,
    choose,
    copy_draft,
    job_generator,
)


def test_greedy_is_the_argmax_and_the_minimum_length_holds_back_the_end() -> None:
    logits = torch.tensor([5.0, 1.0, 0.0, 4.0])
    ids = torch.tensor([[7, 7, 7]])
    plain = build_processors(
        prompt_length=3, min_new_tokens=0, eos_ids=[0], temperature=0, top_p=1, generator=None
    )
    assert choose(plain, ids, logits) == 0
    early = build_processors(
        prompt_length=3, min_new_tokens=2, eos_ids=[0], temperature=0, top_p=1, generator=None
    )
    assert choose(early, ids, logits) == 3  # the end of the turn is not allowed yet
    assert choose(early, torch.tensor([[7, 7, 7, 3, 3]]), logits) == 0


def test_a_seeded_draw_is_the_same_draw_wherever_it_runs() -> None:
    logits = torch.randn(50, generator=torch.Generator().manual_seed(1))
    ids = torch.tensor([[1, 2]])

    def draws(seed: int) -> list[int]:
        processors = build_processors(
            prompt_length=2,
            min_new_tokens=0,
            eos_ids=[0],
            temperature=0.9,
            top_p=0.9,
            generator=job_generator(0.9, seed),
        )
        return [choose(processors, ids, logits) for _ in range(20)]

    assert draws(5) == draws(5)
    assert draws(5) != draws(6)
    state = torch.random.get_rng_state()
    draws(7)
    assert torch.equal(state, torch.random.get_rng_state())  # the global generator is untouched


def test_top_p_keeps_only_the_nucleus() -> None:
    logits = torch.tensor([10.0, 9.9, -10.0, -10.0])
    processors = build_processors(
        prompt_length=1,
        min_new_tokens=0,
        eos_ids=[],
        temperature=1.0,
        top_p=0.5,
        generator=job_generator(1, 3),
    )
    assert {choose(processors, torch.tensor([[1]]), logits) for _ in range(30)} <= {0, 1}


def test_the_stopper_names_the_first_reason_that_holds() -> None:
    cancel = threading.Event()
    ended = {"answer": False, "loop": False}

    def stopper(max_new: int = 5, wanted: int = 5) -> Stopper:
        return Stopper(
            prompt_length=2,
            max_new=max_new,
            wanted=wanted,
            eos_ids=[0],
            cancel=cancel,
            answer_ended=lambda: ended["answer"],
            looping=lambda: ended["loop"],
        )

    assert stopper().check([4, 4]) is None
    assert stopper().check([4, 0]) is StopReason.EOS
    assert stopper().check([4] * 5) is StopReason.LENGTH
    assert stopper(max_new=3, wanted=5).check([4] * 3) is StopReason.CONTEXT_FULL
    ended["loop"] = True
    assert stopper().check([4]) is StopReason.REPETITION
    ended["answer"] = True
    assert stopper().check([4]) is StopReason.END_OF_ANSWER
    cancel.set()
    assert stopper().check([4]) is StopReason.CANCELLED
    # as a StoppingCriteria inside generate(): the prompt is not counted
    fresh = Stopper(prompt_length=2, max_new=2, wanted=2, eos_ids=[0], cancel=threading.Event())
    assert fresh(torch.tensor([[9, 9, 4]]), None).tolist() == [False]
    assert fresh(torch.tensor([[9, 9, 4, 4]]), None).tolist() == [True]
    assert fresh.reason is StopReason.LENGTH and fresh.reason == "length"


def test_copy_drafts_come_from_where_the_newest_tokens_last_occurred() -> None:
    source = [1, 2, 3, 4, 5, 6, 2, 3, 9, 9]
    assert copy_draft([7, 2, 3], source, size=3) == [9, 9]  # the later occurrence wins
    assert copy_draft([4, 5], source, size=2) == [6, 2]
    assert copy_draft([8, 8], source) == []
    assert copy_draft([5], source) == []  # one token is too little to go on


def test_pulling_favours_the_next_token_of_each_fact_not_yet_written() -> None:
    # two facts: one spelt [5, 6] or [7], one spelt [8, 9]; the prompt is two tokens long
    pull = PullTowards(2, [[[5, 6], [7]], [[8, 9]]], bias=3.0)
    assert pull.next_tokens([]) == set()  # no fact is pulled into the answer's first tokens
    assert pull.next_tokens([1, 1, 1]) == {5, 7, 8}
    assert pull.next_tokens([1, 1, 5]) == {6}  # half of a spelling written: only its next token
    assert pull.next_tokens([5, 6, 2]) == set()  # right after a fact, no other one is started
    assert pull.next_tokens([5, 6, 2, 2, 2]) == {8}  # the first fact is in the answer
    assert pull.next_tokens([1, 1, 1, 8]) == {9}
    assert pull.next_tokens([7, 1, 1, 1, 8, 9]) == set()
    scores = torch.zeros(1, 10)
    pulled = pull(torch.tensor([[0, 0, 1, 1, 1]]), scores)
    assert pulled[0, 8].item() == 3.0 and pulled[0, 9].item() == 0.0 and scores.sum().item() == 0.0


def test_a_pull_can_change_the_greedy_choice_only_by_its_bias() -> None:
    logits = torch.tensor([0.0, 2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0])
    logits[4] = 0.5
    common = dict(prompt_length=1, min_new_tokens=0, eos_ids=[0], temperature=0.0, top_p=1.0, generator=None)
    ids = torch.tensor([[3, 2, 2, 2]])  # the prompt and three tokens of answer
    assert choose(build_processors(**common), ids, logits) == 1
    assert choose(build_processors(**common, pull=[[[4]]], pull_bias=1.0), ids, logits) == 1
    assert choose(build_processors(**common, pull=[[[4]]], pull_bias=3.0), ids, logits) == 4


def test_tokens_never_written_are_never_chosen_even_when_drawn_from() -> None:
    logits = torch.tensor([5.0, 4.0, 0.0, 1.0])
    ids = torch.tensor([[7, 7]])
    never = build_processors(
        prompt_length=2, min_new_tokens=0, eos_ids=[9], temperature=0, top_p=1, generator=None, never=[0, 1]
    )
    assert choose(never, ids, logits) == 3
    sampled = build_processors(
        prompt_length=2,
        min_new_tokens=0,
        eos_ids=[9],
        temperature=2.0,
        top_p=1,
        generator=job_generator(2.0, 5),
        never=[0, 1],
    )
    assert {choose(sampled, ids, logits) for _ in range(40)} <= {2, 3}
