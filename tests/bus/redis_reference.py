"""The Python reference as the other party of the Redis Streams interop tests.

Runs openedx-events 10.5.0 and edx-event-bus-redis 0.6.1 (Django configured
in-process) against a real Redis:

    python redis_reference.py produce URL PREFIX TOPIC < cases.jsonl
        Each input line is {"event_type": ..., "avro_hex": ...}: the payload
        is decoded by the reference's deserializer and sent with its
        RedisEventProducer. Prints one JSON line per event with the metadata
        it sent.
    python redis_reference.py bench-produce URL PREFIX TOPIC COUNT [RATE]
        Sends COUNT session-login events with the reference producer (at
        most RATE a second, if given); prints {"events": COUNT, "seconds": …}.
    python redis_reference.py bench-consume URL PREFIX TOPIC GROUP COUNT
        Consumes COUNT events with the reference consumer and one receiver;
        prints {"events", "seconds", "p50_ms", "p99_ms"} (latency: receipt
        time minus the event's time).
    python redis_reference.py consume URL PREFIX TOPIC GROUP COUNT
        Runs the reference's RedisEventConsumer (check_backlog=True) with a
        receiver on every signal until COUNT events arrived; prints one JSON
        line per event (metadata, payload re-serialized by the reference,
        and whether it was marked as coming from the bus). Exits 3 when
        COUNT events did not arrive within 60 seconds.
"""
import json
import os
import sys
import threading
import time
from datetime import datetime, timezone

import django
from django.conf import settings

MODE, URL, PREFIX, TOPIC = sys.argv[1:5]
settings.configure(
    INSTALLED_APPS=[],
    USE_TZ=True,
    EVENTS_SERVICE_NAME="python-reference",
    EVENT_BUS_REDIS_CONNECTION_URL=URL,
    EVENT_BUS_TOPIC_PREFIX=PREFIX,
    EVENT_BUS_REDIS_CONSUMER_POLL_TIMEOUT=1,
)
django.setup()

from edx_event_bus_redis.internal.consumer import RedisEventConsumer  # noqa: E402
from edx_event_bus_redis.internal.producer import create_producer  # noqa: E402
from openedx_events.data import EventsMetadata  # noqa: E402
from openedx_events.event_bus.avro.deserializer import deserialize_bytes_to_event_data  # noqa: E402
from openedx_events.event_bus.avro.serializer import serialize_event_data_to_bytes  # noqa: E402
from openedx_events.tooling import OpenEdxPublicSignal  # noqa: E402

from reference import describe, load_signals  # noqa: E402

load_signals()



def produce():
    producer = create_producer()
    for line in sys.stdin:
        case = json.loads(line)
        signal = OpenEdxPublicSignal.get_signal_by_type(case["event_type"])
        data = deserialize_bytes_to_event_data(bytes.fromhex(case["avro_hex"]), signal)
        meta = EventsMetadata(event_type=signal.event_type, minorversion=0)
        producer.send(signal=signal, topic=TOPIC, event_key_field="unused", event_data=data, event_metadata=meta)
        print(json.dumps(describe(meta)), flush=True)


def consume(group, count):
    received = []

    def on_event(sender, signal, **kwargs):  # noqa: ARG001
        data = {key: kwargs[key] for key in signal.init_data}
        event = describe(kwargs["metadata"])
        event["avro_hex"] = serialize_event_data_to_bytes(data, signal).hex()
        event["from_event_bus"] = kwargs.get("from_event_bus")
        received.append(event)
        if len(received) >= count:
            for e in received:
                print(json.dumps(e))
            sys.stdout.flush()
            os._exit(0)

    for s in OpenEdxPublicSignal.all_events():
        s.connect(on_event, weak=False)

    def timeout():
        for e in received:
            print(json.dumps(e))
        sys.stdout.flush()
        os._exit(3)

    # A timer thread, not SIGALRM: the reference's own Timeout uses the alarm.
    timer = threading.Timer(60, timeout)
    timer.daemon = True
    timer.start()
    RedisEventConsumer(TOPIC, group, "python-reference", check_backlog=True).consume_indefinitely()


def login_data():
    from openedx_events.learning.data import UserData, UserPersonalData

    return {"user": UserData(id=1, is_active=True, pii=UserPersonalData(username="ada", email="", name=""))}


def bench_produce(count, rate):
    from openedx_events.learning.signals import SESSION_LOGIN_COMPLETED

    producer = create_producer()
    data = login_data()
    start = time.perf_counter()
    for i in range(count):
        if rate:
            pause = start + i / rate - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
        meta = EventsMetadata(event_type=SESSION_LOGIN_COMPLETED.event_type, minorversion=0)
        producer.send(
            signal=SESSION_LOGIN_COMPLETED, topic=TOPIC, event_key_field="user.id", event_data=data, event_metadata=meta
        )
    print(json.dumps({"events": count, "seconds": time.perf_counter() - start}), flush=True)


def bench_consume(group, count):
    from openedx_events.learning.signals import SESSION_LOGIN_COMPLETED

    latencies = []
    start = time.perf_counter()

    def on_event(sender, signal, **kwargs):  # noqa: ARG001
        now = datetime.now(timezone.utc)
        latencies.append((now - kwargs["metadata"].time).total_seconds() * 1000)
        if len(latencies) >= count:
            latencies.sort()
            print(
                json.dumps(
                    {
                        "events": count,
                        "seconds": time.perf_counter() - start,
                        "p50_ms": latencies[len(latencies) // 2],
                        "p99_ms": latencies[min(len(latencies) - 1, len(latencies) * 99 // 100)],
                    }
                ),
                flush=True,
            )
            os._exit(0)

    SESSION_LOGIN_COMPLETED.connect(on_event, weak=False)
    RedisEventConsumer(TOPIC, group, "python-bench", check_backlog=True).consume_indefinitely()


if MODE == "produce":
    produce()
elif MODE == "bench-produce":
    bench_produce(int(sys.argv[5]), float(sys.argv[6]) if len(sys.argv) > 6 else 0)
elif MODE == "bench-consume":
    bench_consume(sys.argv[5], int(sys.argv[6]))
elif MODE == "consume":
    consume(sys.argv[5], int(sys.argv[6]))
else:
    sys.exit(f"unknown mode {MODE}")
