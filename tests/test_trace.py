"""course/trace.py: trace_quotes on the seed, the readouts and constructed texts, and bad input."""

from __future__ import annotations

import pandas as pd
import pytest

from course.reading.data import load_seed
from course.reading.readouts import load_readout, load_renderings
from course.reading.trace import COLUMNS, trace_quotes

SEED = load_seed()
MFA = load_readout("cn_mfa_en").text
RENDERINGS = load_renderings()


def traced(article, source, **kwargs) -> pd.DataFrame:
    table = trace_quotes(article, source, **kwargs)
    assert list(table.columns) == COLUMNS
    return table


def test_the_seeds_quotations_against_the_foreign_ministry_english():
    table = traced(SEED, MFA).set_index("quote_id")
    assert table.loc["Q4", "kind"] == "word swap" and "'action' for 'operation'" in table.loc["Q4", "differences"]
    assert table.loc["Q1", "kind"] == "addition" and "added 'and ukraine'" in table.loc["Q1", "differences"]
    assert "'genuine' for 'legitimate'" in table.loc["Q5", "differences"]
    assert table.loc["Q2", "kind"] == "not found"     # "invasion": the readout never uses the word
    assert table.loc["Q7", "kind"] == "not found"     # the stored English stops before S10's passage
    for row in table.itertuples():
        if row.kind != "not found":
            assert MFA[row.passage_start:row.passage_end] == row.passage


def test_s10_is_a_truncation_of_the_press_note_english():
    press = RENDERINGS[RENDERINGS["kind"] == "press_note_english"]["rendering"].tolist()
    s10 = traced(SEED, press).set_index("quote_id").loc["Q7"]
    assert s10["kind"] == "truncation" and s10["score"] == 1.0
    assert "stops before 'with the united nations'" in s10["differences"]


def test_the_seeds_quotations_against_afp():
    afp = RENDERINGS[RENDERINGS["kind"] == "afp"]["rendering"].tolist()
    table = traced(SEED, afp).set_index("quote_id")
    assert "'changed rapidly' for 'undergone rapid changes'" in table.loc["Q1", "differences"]
    assert "'negotiate' for 'form'" in table.loc["Q3", "differences"]
    assert table.loc["Q2", "kind"] == "exact"         # "invasion"


@pytest.mark.parametrize("article, source, kind", [
    ('The minister said "we seek peace".', "We seek peace.", "exact"),
    ('She said they "seek a lasting peace".', "They seek a lasting peace with all neighbours.", "truncation"),
    ('He called for "urgent and direct talks".', "He called for direct talks.", "addition"),
    ('He called for "direct talks".', "He called for direct and urgent talks.", "omission"),
    ('She warned of a "grave threat".', "She spoke of a serious threat.", "word swap"),
    ('They want "a new order".', "Nothing about that here at all.", "not found"),
])
def test_each_kind_on_constructed_texts(article, source, kind):
    assert traced(article, source)["kind"].tolist() == [kind]


@pytest.mark.parametrize("article", [
    'Xi said "talks must go on".', "Xi said “talks must go on”.", "Xi said «talks must go on».",
    "Xi said „talks must go on“.", "Xi said 「talks must go on」.",
])
def test_every_kind_of_double_quotation_mark_is_traced(article):
    table = traced(article, "Xi said that talks must go on.")
    assert table["quote"].tolist() == ["talks must go on"] and table["kind"].tolist() == ["exact"]


@pytest.mark.parametrize("article, source", [("", MFA), (SEED, ""), ("No quotation marks here.", MFA)])
def test_empty_texts_and_no_quotations_give_a_clear_result(article, source):
    table = traced(article, source)
    assert (table.empty and not article.count('"')) or set(table["kind"]) == {"not found"}


def test_other_scripts():
    chinese = traced("他说「中方支持谈判」。", "中方支持俄方同乌方通过谈判解决问题。")
    assert chinese["kind"].tolist() == ["omission"] and chinese["score"].iloc[0] > 0.6
    cyrillic = traced("Он сказал «мы готовы к переговорам».", "Мы готовы к переговорам в Минске.")
    assert cyrillic["kind"].tolist() == ["truncation"]


@pytest.mark.parametrize("bad", [None, 42, ["a", 3], {"text": "x"}])
def test_a_value_that_is_not_text_gets_one_line_and_an_empty_table(bad, capsys):
    table = trace_quotes(bad, MFA)
    assert table.empty and list(table.columns) == COLUMNS
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "needs the article as text" in out


def test_a_readout_or_a_table_is_taken_as_its_text():
    assert traced(SEED, load_readout("cn_mfa_en")).equals(traced(SEED, MFA))


def test_the_datasheet_demonstration_is_what_the_tool_gives():
    from helpers import DATASETS
    sheet = (DATASETS / "README.md").read_text(encoding="utf-8")
    table = traced(SEED, MFA)
    for row in table[table["words"] >= 4].itertuples():
        assert f"| {row.score:g} | {row.kind} | {row.differences} |" in sheet, row.quote_id
