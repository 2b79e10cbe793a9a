"""gunicorn settings read from the project root (`gunicorn wsgi:app`, `callq serve`)."""


def post_worker_init(worker: object) -> None:
    """Move the worker's start-up objects (app, modules, caches) out of the collector's reach.

    Left in place they are rescanned by every full collection, which a slot search (thousands
    of busy rows) triggers: the p99 of bench/slots.py was ~150 ms against ~18 ms frozen.
    """
    import gc

    gc.freeze()
