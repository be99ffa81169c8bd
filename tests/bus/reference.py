"""What the Python reference harnesses share (imported after Django is set up).

The transport-specific parts (settings, producer keys, consumer classes)
stay in `redis_reference.py` and `kafka_reference.py`.
"""
import importlib
import json
import os
import sys
import threading
import time
from datetime import datetime, timezone


def load_signals():
    """Imports every openedx-events signal module, so every signal is known by type."""
    for module in ["analytics", "content_authoring", "enterprise", "learning"]:
        importlib.import_module(f"openedx_events.{module}.signals")


def describe(meta):
    """The metadata of an event as the interop tests compare it."""
    return {
        "event_type": meta.event_type,
        "id": str(meta.id),
        "time": meta.time.isoformat(),
        "minorversion": meta.minorversion,
        "source": meta.source,
        "sourcehost": meta.sourcehost,
        "sourcelib": ".".join(str(p) for p in meta.sourcelib),
    }


def cases(stream):
    """Each input line ({"event_type", "avro_hex", …}) as (case, signal, data,
    fresh metadata), the payload decoded by the reference's deserializer."""
    from openedx_events.data import EventsMetadata
    from openedx_events.event_bus.avro.deserializer import deserialize_bytes_to_event_data
    from openedx_events.tooling import OpenEdxPublicSignal

    for line in stream:
        case = json.loads(line)
        signal = OpenEdxPublicSignal.get_signal_by_type(case["event_type"])
        data = deserialize_bytes_to_event_data(bytes.fromhex(case["avro_hex"]), signal)
        yield case, signal, data, EventsMetadata(event_type=signal.event_type, minorversion=0)


def collect_events(count, timeout_s):
    """Connects a receiver to every signal that records each event (metadata,
    payload re-serialized by the reference, whether it came from the bus);
    after COUNT events prints them, one JSON line each, and exits 0; after
    TIMEOUT_S seconds prints what arrived and exits 3."""
    from openedx_events.event_bus.avro.serializer import serialize_event_data_to_bytes
    from openedx_events.tooling import OpenEdxPublicSignal

    received = []

    def finish(code):
        for e in received:
            print(json.dumps(e))
        sys.stdout.flush()
        os._exit(code)

    def on_event(sender, signal, **kwargs):  # noqa: ARG001
        data = {key: kwargs[key] for key in signal.init_data}
        event = describe(kwargs["metadata"])
        event["avro_hex"] = serialize_event_data_to_bytes(data, signal).hex()
        event["from_event_bus"] = kwargs.get("from_event_bus")
        received.append(event)
        if len(received) >= count:
            finish(0)

    for s in OpenEdxPublicSignal.all_events():
        s.connect(on_event, weak=False)
    # A timer thread, not SIGALRM: the reference's own Timeout uses the alarm.
    timer = threading.Timer(timeout_s, finish, args=(3,))
    timer.daemon = True
    timer.start()


def login_data():
    """A session-login payload, what the benchmarks send."""
    from openedx_events.learning.data import UserData, UserPersonalData

    return {"user": UserData(id=1, is_active=True, pii=UserPersonalData(username="ada", email="", name=""))}


def paced(count, rate):
    """0..COUNT, at most RATE a second when RATE is given."""
    start = time.perf_counter()
    for i in range(count):
        if rate:
            pause = start + i / rate - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
        yield i


def measure_latency(signal, count, start=None):
    """Connects a receiver to SIGNAL that notes each event's latency (receipt
    time minus the event's time); after COUNT events prints {"events",
    "seconds", "p50_ms", "p99_ms"} and exits 0. Seconds count from START, or
    from the first event when START is None."""
    latencies = []
    first = [start] if start is not None else []

    def on_event(sender, signal, **kwargs):  # noqa: ARG001
        if not first:
            first.append(time.perf_counter())
        latencies.append((datetime.now(timezone.utc) - kwargs["metadata"].time).total_seconds() * 1000)
        if len(latencies) >= count:
            latencies.sort()
            print(
                json.dumps(
                    {
                        "events": count,
                        "seconds": time.perf_counter() - first[0],
                        "p50_ms": latencies[len(latencies) // 2],
                        "p99_ms": latencies[min(len(latencies) - 1, len(latencies) * 99 // 100)],
                    }
                ),
                flush=True,
            )
            os._exit(0)

    signal.connect(on_event, weak=False)
