"""`python -m indexer`: the indexer command line."""
from indexer.cli import main

raise SystemExit(main())
