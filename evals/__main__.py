"""`python -m evals [NAME...]`: run evals, print a table, write a report, fail under thresholds."""

import sys

from evals.runner import main

sys.exit(main(sys.argv[1:]))
