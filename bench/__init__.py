"""`make bench`: speed, tail latency and scale, each figure next to a baseline of the same run."""
