"""The reading toolkit: tools a reader uses on any text, this course's or one never seen before.

Loading the course's data (`data`), splitting a text into sentences and finding quotations and
terms (`text`), the official readouts (`readouts`), attribution, comparison and quote tracing
(`attribution`, `compare`, `trace`), highlighted text (`display`) and figures (`figures`).

The bottom layer of the course package: it imports nothing from the other layers. A learner
release ships it.
"""
