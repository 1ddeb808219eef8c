"""course/attribution.py: a mechanical first reading of attribution, on the seed and constructed texts."""

from __future__ import annotations

import pytest

from course.reading.attribution import MODES, attribution_table
from course.reading.data import load_seed, load_sentences


def test_the_seed_sentences_get_the_modes_a_careful_reading_gives():
    table = attribution_table(load_seed(), load_sentences()).set_index("sentence_id")
    assert table["mode"].to_dict() == {
        "S1": "narration", "S2": "indirect", "S3": "mixed", "S4": "narration", "S5": "narration",
        "S6": "mixed", "S7": "mixed", "S8": "mixed", "S9": "narration", "S10": "mixed"}
    assert table.loc["S5", "quoted_words"] == 1          # the mention "invasion", in the journalist's voice
    assert table.loc["S7", "cues"] == "According to, explained, warned"
    assert (table["words"] == load_sentences().set_index("sentence_id")["words"]).all()


@pytest.mark.parametrize("text, mode", [
    ('The minister said: "We will never accept this, whatever the cost."', "direct"),
    ('The minister said the country would "never accept" the plan.', "mixed"),
    ("The minister said the country would not accept the plan.", "indirect"),
    ("The country rejected the plan.", "narration"),
    ('The country rejected what it called a "provocation".', "narration"),
])
def test_modes_on_constructed_sentences(text, mode):
    assert attribution_table(text)["mode"].tolist() == [mode]


@pytest.mark.parametrize("bad", ["", None, 42])
def test_empty_or_wrong_input_gives_an_empty_table(bad):
    table = attribution_table(bad)
    assert table.empty and list(table.columns) == ["sentence_id", "words", "cues", "quoted_words", "mode"]


def test_the_modes_are_the_documented_ones():
    assert set(attribution_table(load_seed())["mode"]) <= set(MODES)
