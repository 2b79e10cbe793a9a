"""gunicorn settings read from the project root (`gunicorn wsgi:app`, `callq serve`)."""


def post_worker_init(worker: object) -> None:
    """Move the worker's start-up objects (app, modules, caches) out of the collector's reach.

    Left in place they are rescanned by every full collection, which a slot search (thousands
    of busy rows) triggers: the p99 of bench/slots.py was ~150 ms against ~18 ms frozen.
    """
    import gc

    gc.freeze()


def child_exit(server: object, worker: object) -> None:
    """A dead worker's webhook histograms stop counting as live (prometheus_client's
    multiprocess mode, when PROMETHEUS_MULTIPROC_DIR is set: see callq/metrics.py)."""
    import os

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[attr-defined]
