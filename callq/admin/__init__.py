"""Administration use cases: clients, absences, closures, hours, texts, product series.

Each opens its own transaction and writes its change to the audit log (callq.audit) in it;
the /admin/ pages (callq.admin.views) and the `callq` commands (callq.admin_cli) call them.
"""
