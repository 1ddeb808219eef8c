"""What a check says: a `Feedback` (a status, a message, optional lines under it) and the statuses.

Four statuses, and a symbol for each so the block reads at a glance:

- `Correct`: the answer matches the key, and no trivial answer could reach it;
- `Not yet`: something to look at again (what, never the answer itself);
- `Not attempted`: `answer` still holds its placeholder;
- `Recorded`: an open answer that passed its form checks, or any answer in a graded release.

`reason` names the message given (an entry of `course.exercises.wording`), so tests and tools can
tell which message a learner saw without reading its prose.

>>> print(Feedback("Not yet", "look again at S3.", reason="text.wrong"))
✗ Not yet: look again at S3.
"""

from __future__ import annotations

from dataclasses import dataclass

from course.exercises.wording import say

SYMBOLS = {"Correct": "✓", "Not yet": "✗", "Not attempted": "○", "Recorded": "◆"}
STATUSES = ["Correct", "Recorded", "Not yet", "Not attempted"]


@dataclass
class Feedback:
    """What a check says: a status, a one-line message, and optional further lines.

    `more` holds what is shown under the message after an attempt: a model answer and its
    rubric, or the model coding. `reason` is the name of the message in `wording` ('' for a
    message written in a key, such as a choice option's own feedback).
    """
    status: str   # "Correct", "Not yet", "Not attempted" or "Recorded"
    message: str
    more: str = ""
    reason: str = ""

    def __str__(self) -> str:
        first = f"{SYMBOLS[self.status]} {self.status}: {self.message}"
        return first + ("\n" + self.more if self.more else "")


def told(status: str, reason: str, more: str = "", **blanks: object) -> Feedback:
    """A Feedback whose message is the wording entry `reason`, its blanks filled in.

    >>> feedback = told("Not attempted", "any.placeholder")
    >>> feedback.status, feedback.reason
    ('Not attempted', 'any.placeholder')
    """
    return Feedback(status, say(reason, **blanks), more, reason)
