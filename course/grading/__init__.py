"""The autograder: `python -m course grade` and its benchmark.

Reading submissions, planning and running each notebook apart, judging the answers with the
full keys, and writing the grade and marking sheets. The top layer: it may import every other
layer, and nothing imports it. A learner release leaves this whole folder out.
"""
