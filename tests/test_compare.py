"""course/compare.py and the readouts figure: comparing two readouts, on the real readouts and on
constructed ones, with bad input."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest

from course.reading.compare import aligned_topics, compare_readouts, side_by_side
from course.reading.figures import readouts_description, readouts_figure
from course.reading.readouts import readout_table

CHINA, KREMLIN = readout_table("cn_mfa_en"), readout_table("kremlin_en")


@pytest.fixture(scope="module")
def comparison():
    return compare_readouts(CHINA, KREMLIN, names=("China", "Kremlin"))


def test_topics_only_one_side_has(comparison):
    assert "sovereignty" in comparison.only_in("China")
    assert "view of Russia's actions" in comparison.only_in("Kremlin")
    assert "sanctions" in comparison.only_in("Kremlin")
    assert set(comparison.only_in("China")).isdisjoint(comparison.only_in("Kremlin"))


def test_order_and_shares(comparison):
    assert comparison.order["China"].iloc[1] == "courtesies and the Olympics"
    assert comparison.order["Kremlin"].iloc[0] == "the operation"
    assert comparison.order["Kremlin"].dropna().tolist()[-2] == "courtesies and the Olympics"  # the Kremlin's order
    for name, table in (("China", CHINA), ("Kremlin", KREMLIN)):
        assert abs(comparison.topics[f"share of {name}"].sum() - 1) < 0.01
        assert comparison.topics[f"words in {name}"].sum() == table["words"].sum()


def test_speakers_list_who_is_reported_saying_what(comparison):
    row = comparison.speakers.query("readout == 'Kremlin' and topic == \"view of Russia's actions\"")
    assert row["speaker"].tolist() == ["Xi"] and row["sentences"].tolist() == ["K3"]


def test_side_by_side_marks_one_sided_topics_in_words_and_leads_with_a_summary(comparison):
    html = side_by_side(comparison).data
    assert html.index("Summary:") < html.index("<table")
    assert "only in Kremlin" in html and "only in China" in html
    assert "not in this readout (as stored)" in html
    assert html.count("<tr") == len(aligned_topics(comparison)) + 1


def test_the_figure_and_its_description(comparison):
    fig = readouts_figure(comparison)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["China", "Kremlin"]
    assert len(fig.axes[0].patches) == len(comparison.order["China"].dropna()) + len(comparison.order["Kremlin"].dropna())
    plt.close(fig)
    description = readouts_description(comparison)
    assert description.startswith("Bars of topics") and "Kremlin: the operation" in description


def test_plain_strings_of_a_constructed_pair():
    a = "The leaders spoke by phone. Ardan thanked Veld for the congratulations. Both oppose sanctions."
    b = "Veld congratulated Ardan. The talks were frank and useful."
    comparison = compare_readouts(a, b, names=("Ardan", "Veld"))
    assert comparison.only_in("Veld") == ["atmosphere of the call"]
    assert "sanctions" in comparison.only_in("Ardan")
    assert "Only in Veld: atmosphere of the call." in comparison.summary()


@pytest.mark.parametrize("bad", [None, 42, {"text": "x"}])
def test_bad_input_gets_one_line_and_none(bad, capsys):
    assert compare_readouts(bad, KREMLIN) is None
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "compare_readouts needs" in out


def test_two_identical_names_are_refused(capsys):
    assert compare_readouts(CHINA, KREMLIN, names=("X", "X")) is None
    assert "two different names" in capsys.readouterr().out


def test_sentences_of_no_known_topic_are_not_a_shared_topic():
    comparison = compare_readouts("The weather was mild. Both sides spoke of trade routes.",
                                  "The weather was cold. The sides condemned the sanctions.", names=("A", "B"))
    summary = comparison.summary()
    assert "Topics in both readouts: none." in summary
    assert "no known topic ('other')" in summary
