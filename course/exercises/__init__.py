"""The exercise machinery: what happens when a learner runs `check(qid, answer)`.

Reading an answer into a standard shape (`answers`), judging it against the key (`judge`, pure,
with every learner-facing sentence in `wording`), open answers (`open_answers`), the keys as
shipped (`keys`), the record of results (`progress`), the notebook session (`session`), the
`check` call itself (`checks`), and the lessons as files with their working copies (`lessons`,
`workspace`).

It may import the reading toolkit, never the authoring or grading layers. A learner release
ships it.
"""
