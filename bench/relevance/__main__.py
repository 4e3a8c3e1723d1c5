"""`python -m bench.relevance`: the relevance benchmark runner."""
import sys

from bench.relevance.runner import main

sys.exit(main())
