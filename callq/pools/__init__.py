"""The use cases each worker pool runs, one literal table per pool (callq.handlers loads a
pool's table the first time one of its effects runs, so a process imports what it runs)."""
