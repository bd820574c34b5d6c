"""kg_parts: the named parts of a paper's own contribution are proposed too."""
from __future__ import annotations

import pytest

from kg.components.parts import is_capitalised_name, load_part_finder
from kg.pipeline import make_pipeline


@pytest.fixture(scope="module")
def nlp():
    return make_pipeline()


def proposed(nlp, text: str) -> set[str]:
    return {e.name for e in nlp(text)._.kg_entities if e.proposed}


def test_parts_listed_after_the_contribution_are_proposed(nlp):
    text = ("TAPM-Net: Trajectory-Aware Perturbation Modeling\n\nTAPM-Net comprises two components: the "
            "Perturbation-guided Path Module (PGM) and the Trajectory-Aware State Block (TASB).")
    assert {"TAPM-Net", "Perturbation-guided Path Module", "Trajectory-Aware State Block"} <= proposed(nlp, text)


def test_shaped_names_after_a_part_cue_about_our_work(nlp):
    text = "SwiftKV: Fast Inference\n\nOur method combines SingleInputKV and AcrossKV to cut the cost."
    assert {"SwiftKV", "SingleInputKV", "AcrossKV"} <= proposed(nlp, text)


@pytest.mark.parametrize("text", [
    # nothing named is proposed: no parts either
    "A study of retrieval\n\nThe pipeline combines SingleInputKV and AcrossKV.",
    # the subject is not the paper's own work
    "FooNet: A Model\n\nWe propose FooNet. Prior work combines SingleInputKV and AcrossKV.",
    # the names after the cue are the work it is compared with
    "FooNet: A Model\n\nOn HotpotQA, FooNet outperforms seven baselines, including SingleInputKV and AcrossKV.",
])
def test_no_parts_without_a_contribution_as_subject(nlp, text):
    assert not {"SingleInputKV", "AcrossKV"} & proposed(nlp, text)


def test_known_names_and_bare_acronyms_are_not_parts(nlp):
    text = "FooNet: A Model\n\nFooNet integrates Low-Rank Adaptation (LoRA), GPU kernels and BarBlock."
    assert proposed(nlp, text) == {"FooNet", "BarBlock"}


def test_cues_are_found_in_any_case_and_with_non_ascii_text(nlp):
    for text in ("SwiftKV: Fast\n\nOur method COMBINES SingleInputKV and AcrossKV.",
                 "SwiftKV: Fast İ\n\nİt is fast. Our method combines SingleInputKV and AcrossKV."):
        assert {"SingleInputKV", "AcrossKV"} <= proposed(nlp, text)


def test_capitalised_names_need_two_capitalised_words():
    assert is_capitalised_name("Trajectory-Aware State Block") and is_capitalised_name("History Map 2")
    assert not is_capitalised_name("Path module") and not is_capitalised_name("Module")


def test_cues_come_from_the_data_file(tmp_path):
    custom = tmp_path / "parts.json"
    custom.write_text('{"part_cue": "\\\\bis made of\\\\b", "subject_cue": "\\\\bour\\\\b"}', encoding="utf-8")
    finder = load_part_finder(custom)
    assert finder.part_cue.search("our model is made of parts") and finder.subject_cue.search("Our model")
