"""The authors' and instructors' tools: build, execute, release, leak scan, HTML export.

They read the solution side (`notebooks/solutions/` and its readable keys) and write what
learners get. They may import the reading toolkit and the exercise machinery, never the grader.
A learner release leaves this whole folder out.
"""
