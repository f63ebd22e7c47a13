"""HW4 autograder (Gradescope-compatible) and student release builder.

    python -m grader expected                       # refresh grader/expected.json
    python -m grader build [--variant graduate]     # dist/autograder.zip
    python -m grader run --submission DIR --results FILE [--variant graduate]
    python -m grader release --out DIR              # student starter kit

See grader/README.md for the points table, the sandbox and the threat model.
"""
