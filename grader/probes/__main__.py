"""Entry point of a sandboxed job: ``python -E -s -m _probes JOB RESULT_FILE``."""

from . import main

main()
