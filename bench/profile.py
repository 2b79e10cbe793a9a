"""Profile one bench path in-process with pyinstrument, to see where a missed target goes:
`python -m bench.profile voice|gather|claim|slots [--backend postgresql] [--count N]`.

The same data and requests as the suites, sent through Flask's test client (no gunicorn, no
wrk), one at a time; the tree printed is wall time, with the CPU time in its header.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable

from pyinstrument import Profiler

from bench import seed, twilio
from bench.instance import Instance, instance
from callq import db
from callq.app import create_app
from callq.workspace.claims import claim_next
from scheduling import agenda, client_booking
from scheduling.calendar import Mode
from scheduling.slots import candidate_times

PUBLIC = "http://127.0.0.1:5000"
FORM = "application/x-www-form-urlencoded"


def _webhook(inst: Instance, count: int, path: str) -> Callable[[int], None]:
    known = seed.clients(inst.runtime, 2_000)
    runtime = inst.runtime
    live = twilio.instant_in(runtime.calendar(), Mode.LIVE, runtime.now())
    afternoon = twilio.instant_in(runtime.calendar(), Mode.APPOINTMENTS, live)
    numbers = twilio.callers(count, known, 0.2)
    if path == "voice":
        seed.agents(runtime, 5)
        requests = [twilio.signed(PUBLIC, "/twilio/voice", twilio.incoming(i, n, live))
                    for i, n in enumerate(numbers)]
    else:
        seed.calls(runtime, [twilio.call_sid(i) for i in range(count)], numbers,
                   Mode.APPOINTMENTS.value, afternoon)
        requests = [twilio.signed(PUBLIC, "/twilio/gather?lang=fr",
                                  twilio.speech(i, n, seed.NEEDS[i % len(seed.NEEDS)], afternoon))
                    for i, n in enumerate(numbers)]
    client = create_app(environ=inst.env).test_client()

    def send(i: int) -> None:
        r = requests[i]
        answer = client.post(r.path, data=r.body, headers={
            "Content-Type": FORM, "X-Twilio-Signature": r.signature})
        if answer.status_code != 200:
            raise RuntimeError(f"{answer.status_code}: {answer.get_data(as_text=True)[:500]}")

    return send


def _claim(inst: Instance, count: int) -> Callable[[int], None]:
    agents = seed.agents(inst.runtime, count, phones=False)
    seed.entries(inst.runtime, 5_000, inst.runtime.now())

    def claim(i: int) -> None:
        claim_next(inst.runtime, agents[i])

    return claim


def _slots(inst: Instance, _count: int) -> Callable[[int], None]:
    runtime = inst.runtime
    agents = seed.agents(runtime, 20)
    now = runtime.now()
    seed.appointments(runtime, agents, candidate_times(runtime.calendar(), now,
                                                       agenda.slot_rules(runtime)), 2_000, now)

    def search(_i: int) -> None:
        with db.read(runtime.sessions) as session:
            client_booking.open_times(session, runtime)

    return search


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    parser.add_argument("path", choices=("voice", "gather", "claim", "slots"))
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--count", type=int, default=500)
    args = parser.parse_args(argv)
    warm = 50
    with instance(args.backend, public_base=PUBLIC, tag="profile") as inst:
        if args.path in ("voice", "gather"):
            step = _webhook(inst, args.count + warm, args.path)
        else:
            step = {"claim": _claim, "slots": _slots}[args.path](inst, args.count + warm)
        for i in range(warm):
            step(i)
        profiler = Profiler(interval=0.0005)
        started = time.perf_counter()
        profiler.start()
        for i in range(warm, warm + args.count):
            step(i)
        profiler.stop()
        each = (time.perf_counter() - started) * 1000 / args.count
    print(f"{args.path} on {args.backend}: {each:.2f} ms each (wall, one at a time)")
    print(profiler.output_text(unicode=True, color=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
