"""Adapters: the outside world behind callq's ports (callq.ports), one module each.

SMTP or the outbox folder (mail), Twilio's REST API or the logging gateway (telephony), RQ on
Redis (jobs) and the embedded Redis server of `callq serve` (redis_server). Only composition
roots (callq.bootstrap) build them; services see the protocols.
"""
