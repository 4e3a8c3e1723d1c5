"""Scale benchmark: build, serve and measure indexes of growing subsets of the tribunal archive."""
