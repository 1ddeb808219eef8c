"""Every sentence a check says to a learner, in one place, grouped by exercise kind.

The judging code (`course.exercises.judge`, `open_answers`, `checks`, `session`) decides *which*
message applies and fills in its blanks; this module holds *what* each message says. To reword
feedback, edit the text here and nothing else: the tests pin which message is given (each
Feedback carries its message's name as `reason`), not its prose.

A message written in an exercise's key (a choice option's feedback, an `explain`) is the key's, not
this module's: its Feedback's `reason` is `key:<field>`.

Each entry is a template for `str.format`: `{name}` is filled in by the judging code; the names a
template uses are listed by `blanks(reason)`. Messages are written to the learner ("you gave…"),
name the reading skill or the Python step to look at again, and never the answer itself.

>>> message = say("choice.not_an_option", answer="'z'", letters="'a', 'b'")
>>> "'z'" in message and "'a', 'b'" in message
True
>>> sorted(blanks("set.not_in_text"))
['item']
"""

from __future__ import annotations

import string

MESSAGES: dict[str, str] = {
    # ------------------------------------------------------------ every kind
    "any.not_attempted": "you have not answered yet. Write your answer after `answer =` in the answer cell, run it, "
                         "then run this check.",
    "any.placeholder": "`answer` still holds `...`. Write your answer in place of the ... in the answer cell above, run "
                       "that cell (after a restart, run it again), then run this check.",
    "any.graded": "your answer is recorded; this exercise will be graded by your instructor.",
    "any.correct": "that is it.",

    # ------------------------------------------------------------ choice (one letter)
    "choice.not_text": "you gave {what}. Give the letter of one option as text in quotes: one of {letters}.",
    "choice.not_an_option": "{answer} is not one of the options. Give one letter: {letters}.",
    "choice.graded": "you chose '{choice}'; your answer is recorded; this exercise will be graded by your "
                     "instructor.",
    "choice.wrong": "{feedback} Read the options again and choose another.",

    # ------------------------------------------------------------ set (several items)
    "set.table": "you gave a whole table (DataFrame). This exercise wants a list of {noun}, like {example}: pick "
                 "one column and finish with .tolist().",
    "set.dictionary": "you gave a dictionary. This exercise wants a list of {noun}, like {example}.",
    "set.item_not_text": "{what}; every item should be text in quotes, like {example}.",
    "set.not_a_list": "you gave {what}. This exercise wants a list of {noun}, like {example}.",
    "set.not_offered": "{item} is not one of the words offered. Copy the words exactly as the exercise lists them.",
    "set.not_offered_by_key": "{item} {why}",
    "set.not_in_text": "{item} does not appear in the text: check the spelling, and give names exactly as the text "
                       "writes them.",
    "set.graded": "your {count} {noun} are recorded; this exercise will be graded by your instructor.",
    "set.correct": "you found all {count} {noun}.",
    "set.extra": "{count} of your {noun} {verb} belong.",
    "set.have_some": "You have {found} of the {total} {noun}.",
    "set.all_there": "{every} {noun} you need are there; now find the extra {ones} and take {them} out.",
    "set.about_item": "About {item}: {hint}",
    "set.about_item_default": "read its sentence again.",

    # ------------------------------------------------------------ text (one piece of text)
    "text.one_item_list": "you gave a list with one item. Give the text itself, like {example}, without the square "
                          "brackets.",
    "text.not_text": "you gave {what}. Give one piece of text in quotes, like {example}.",
    "text.several": "you gave several answers ({answer}). This exercise wants one, like {example}.",
    "text.not_an_id": "{answer} is not an id of the text: its sentences run from {first} to {last}. Give the id as "
                      "the text shows it.",
    "text.known_wrong": "{answer}: {hint}",
    "text.wrong": "{answer} is not it. {hint}",

    # ------------------------------------------------------------ number
    "number.quoted": "you gave the text {answer}. Remove the quotes so that Python sees a number, not text.",
    "number.one_value_series": "you gave a Series holding one value. Take the value itself out of it, for example "
                               "with .iloc[0].",
    "number.not_a_number": "you gave {what}. This exercise wants one number, such as the result of len(...), .sum() "
                           "or .max().",
    "number.not_usable": "{answer} is not a usable number (it may come from dividing by zero or from an empty "
                         "column). Check each part of your calculation.",
    "number.too_large": "{answer} is far too large to be the answer: check each step of your calculation.",
    "number.percent_text": "you gave {answer}, text with a % sign. Give a number without quotes or %: a share "
                           "between 0 and 1 if the exercise asks for a share (50% is 0.5).",
    "number.graded": "the number {answer} is recorded; this exercise will be graded by your instructor.",
    "number.correct": "{answer} is right.",
    "number.rounded": "{answer} looks like the right number rounded to one decimal place. Keep at least two decimal "
                      "places (or do not round at all).",
    "number.known_wrong": "{answer}: {hint}",
    "number.close": "{answer} is close, but not quite. Keep at least two decimal places, and check that you used the "
                    "totals the exercise asks for.",
    "number.too_low": "{answer} is too low. {hint}",
    "number.too_high": "{answer} is too high. {hint}",

    # ------------------------------------------------------------ mapping (one value per key)
    "mapping.table": "you gave a whole table (columns: {columns}). This exercise wants one value per {key}: {wanted}.",
    "mapping.not_a_mapping": "you gave {what}. This exercise wants one value per {key}: {wanted}.",
    "mapping.wanted_example": "a dictionary like {example}",
    "mapping.wanted_series": "a pandas Series (for example from .groupby(...)) or a dictionary",
    "mapping.wanted_dictionary": "a dictionary with one entry for each, as the answer cell lays it out",
    "mapping.percent_text": "your value for {key} is text with a % sign ({value}): give a share between 0 and 1 as a "
                            "number, without quotes or % (50% is 0.5).",
    "mapping.wrong_labels": "your values are labelled {shown}, but this exercise wants one value per {key}, labelled "
                            "like {label}.{group}",
    "mapping.numbered_labels": "only numbered positions, not names",
    "mapping.group_by": " Group by the right column.",
    "mapping.missing_keys": "there is no value for {missing}. Each of the {count} {keys} needs one.",
    "mapping.extra_key_hint": "{key}: {hint}",
    "mapping.extra_keys": "{extra} should not be in your answer: this exercise wants one value for each of the {count} "
                          "{keys}. Check which rows you grouped and which you left in.",
    "mapping.unfilled": "fill in a value for {unfilled}: {count} still {show} ... or None.{tip}",
    "mapping.none_tip": ' If you mean that there is none, write the text "none", in quotes.',
    "mapping.not_allowed": "{value} (your value for {key}) is not one of the values this exercise uses. Choose from: "
                           "{choices}.",
    "mapping.graded": "all {count} values are filled in; your answer is recorded; this exercise will be graded by "
                      "your instructor.",
    "mapping.quoted_number": "your value for {key} is text ({value}): remove the quotation marks so that it is a "
                             "number.",
    "mapping.correct": "all {count} values are right.",
    "mapping.counts_not_shares": "some of your values are whole numbers above 1: they look like counts. This exercise "
                                 "wants shares between 0 and 1: divide each count by the total.",
    "mapping.percentages": "some of your values are above 1: they look like percentages. Give shares between 0 and 1 "
                           "(divide by 100).",
    "mapping.none_right": "none of the {count} values is right yet. {hint}",
    "mapping.some_right_first": "{right}; {wrong} not right yet. {hint}",
    "mapping.some_right_later": "{right}. Look again at {named}{others}. {hint}",
    "mapping.right_count": "{count} of the {total} values {verb} right",

    # ------------------------------------------------------------ coding exercises (agreement with a model coding)
    "agreement.summary": "you agree with the model coding on {score} of {total} points ({first} matching its first "
                         "reading at one point each, {second} matching a second reading it accepts at half a point "
                         "each). Giving every {item} the same label would score at most {baseline}.",
    "agreement.passed": "{summary} Compare your reasons with the model's below, where you differ.",
    "agreement.required_missed": " That reaches the pass mark, but a statement the lesson works through in its text "
                                 "is off every accepted reading{which}: reread the worked examples.",
    "agreement.below_mark": " You need {mark} to pass: reread the items and what each label means, and ask what each "
                            "item is mostly about.",
    "agreement.model_now": "{summary}{need} Here is the model coding, to see where and why you differ.",
    "agreement.constant": " You gave every {item} the same label: weigh each one on its own.",
    "agreement.named": " Yours differs from every accepted reading on {items}.",
    "agreement.counted": " {count} {verb} off every accepted reading; the next try names them.",
    "agreement.not_yet": "{summary}{need}{where} The model coding is shown after a pass, or after two more different "
                         "tries.",
    "agreement.model_heading": "Model coding (first reading; accepted second readings in brackets):",

    # ------------------------------------------------------------ open answers (Recorded, never Correct)
    "open.not_text": 'you gave {what}. Write your answer as text between the triple quotes: answer = """..."""',
    "open.too_short": "you wrote {words}; aim for at least {least}. Make a claim, then point to the sentences that "
                      "support it.",
    "open.too_long": "you wrote {words} words; keep it under {most}. Say the main point and the evidence for it.",
    "open.filler": "your answer cannot be recorded yet: {problem}",
    "open.filler_no_words": "it has no words. Write your answer in sentences.",
    "open.filler_repeated_words": "it repeats the same words over and over. Write sentences that make a claim and "
                                  "support it.",
    "open.filler_not_english": "it does not read as English sentences. Write your answer in your own words, in "
                               "English.",
    "open.filler_repeated_sentence": "it repeats the same sentence. Write sentences that make a claim and support it.",
    "open.filler_repeated_frame": "it repeats one sentence with only the ids changed. Say something different in each "
                                  "sentence: a claim, and the words of the text that support it.",
    "open.filler_little_content": "beyond the ids it says very little. Say what the words of the text do, and why it "
                                  "matters, in your own words.",
    "open.too_few_sentences": "you wrote {sentences}; the question asks for at least {least}. Make one claim per "
                              "sentence, each with its evidence.",
    "open.copies_prompt": "most of your answer repeats the question's own wording. Answer it in your own words.",
    "open.copies_model": "much of your answer is worded like the model answer. Write your own reading: the model "
                         "is there to compare with once you have one.",
    "open.required_ids": "your answer does not cite {ids}, which the question turns on. Cite where your claims come "
                         "from.",
    "open.rule": "rubric point {point}: {message}",
    "open.no_ids": "your answer cites no sentence or paragraph ids. Point to the evidence, for example '({first})'.",
    "open.unknown_ids": "{ids} {are} of the course's texts (they run {ranges}). Check the ids you cite.",
    "open.off_question": "none of the sentences you cite is one the question asks about. Cite the evidence for your "
                         "claims.",
    "open.graded": "your answer is recorded ({words} words{cites}); your instructor will mark it with a rubric.",
    "open.recorded": "your answer is recorded ({words} words{cites}), not graded: a machine checked only its form, not "
                     "its reasoning. Now rate it yourself against the rubric below; the model answer comes after.",
    "open.rate_now": "Rate your answer: one mark per rubric point, 1 if it meets the point and 0 if not, in order, "
                     "with rate(\"{qid}\", [{example}]). Then the model answer is shown, to compare with yours.",
    "open.graded_rate": "your instructor marks this answer with the rubric: there is nothing to rate here.",
    "rate.not_open": "rate(...) is for open answers, which you rate against a rubric; {qid} is checked by check(...).",
    "rate.no_answer": "write your answer to {number} and run its check first: rate(...) rates the answer the check "
                      "recorded.",
    "rate.bad_marks": "give one mark per rubric point ({points} in all), each 1 (meets it) or 0 (does not), for "
                      "example rate(\"{qid}\", [{example}]).",
    "rate.rated": "you rated your answer {score} of {points}. Compare it with the model answer below, point by point: "
                  "where you differ, ask which reading the words of the text support.",
    "open.model": "Model answer: {model}",
    "open.rubric": "Rubric ({points}; an instructor gives one point for each the answer meets):",

    # ------------------------------------------------------------ the check call (course.exercises.checks)
    "check.bad_qid": "the first argument of check(...) should be the exercise id in quotes, as the lesson wrote it, "
                     "and the second your answer.",
    "check.unknown_qid": "there is no exercise called {qid}. Keep the first argument of check(...) as the lesson "
                         "wrote it.",
    "check.saved_kept": "`answer` is empty in this session (after a restart, or before the answer cell ran). Your saved "
                        "result for this exercise, {saved}, is kept: progress() shows it. To check again, run your "
                        "answer cell, then this cell.",
    "check.grading": "Checks are off while grading: your instructor's grader judges your answers itself.",
    "check.unreadable": "the check could not read your answer ({error}). Look at what kind of value you gave, then "
                        "run the cell again.",

    # ------------------------------------------------------------ readings (course.exercises.checks.one_reading)
    "reading.shown": "One reading, to compare with yours:\n{reading}",
    "reading.locked": "The reading of exercise {number} opens once you have tried it: run its check with your answer "
                      "(it opens on a right answer, or after two different tries), then run this cell again.",
    "reading.graded": "This release has no readings to compare with: your instructor discusses them after grading.",

    # ------------------------------------------------------------ the notebook session (course.exercises.session)
    "session.cell_failed": "the cell you ran just before this check stopped with an error ({error}), so `answer` may "
                           "still hold an older value. {advice} Then run this check again.",
    "session.stale": "`answer` still holds your answer to the previous exercise ({title}). Write `answer = ...` with "
                     "your new answer in the answer cell, run it, then run this check again.",
    "session.rerun": "after a restart, run the cells above first (Run → Run All Above Selected Cell)",
    "session.name_close": "Python knows no `{name}`: did you mean `{close}`? If not, {rerun}.",
    "session.name_table": "Python knows no `{name}`: it is made by an earlier cell that has not run; {rerun}.",
    "session.name_unknown": "Python knows no `{name}`. If it is a table or value that an earlier cell makes, {rerun}. "
                            "If it is text, it needs quotation marks: \"{name}\".",
    "session.syntax": "Python could not read the cell: look for a missing quotation mark, bracket or comma.",
    "session.key_error": "A KeyError means the table has no such column or row: check the spelling with "
                         "`table.columns`. If the column is added by an earlier cell, {rerun}.",
    "session.type_text": "A TypeError here usually means numbers stored as text: the tables the course loads keep "
                         "every column as text, so convert the column first with .astype(int) (or "
                         "pd.to_numeric(...)), then compute.",
    "session.name_cell": "Python knows no `{name}`: it is made by the cell above that begins `{first_line}`. After a "
                         "restart, run that cell again (or Run → Run All Above Selected Cell).",
    "session.other_error": "Read the last line of the error above: it names what went wrong. Fix that cell and run it "
                           "again.",
}


def say(reason: str, **blanks_filled: object) -> str:
    """The message named `reason`, its blanks filled in. Raises KeyError for a name that is not here.

    >>> say("number.too_high", answer="12", hint="Count the rows again.").endswith("Count the rows again.")
    True
    """
    return MESSAGES[reason].format(**blanks_filled)


def blanks(reason: str) -> set[str]:
    """The names of the blanks a message has.

    >>> sorted(blanks("choice.not_text"))
    ['letters', 'what']
    """
    return {field for _, field, _, _ in string.Formatter().parse(MESSAGES[reason]) if field}
