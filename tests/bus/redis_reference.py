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
import sys
import time

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

from reference import cases, collect_events, describe, load_signals, login_data, measure_latency, paced  # noqa: E402

load_signals()


def produce():
    producer = create_producer()
    for _, signal, data, meta in cases(sys.stdin):
        producer.send(signal=signal, topic=TOPIC, event_key_field="unused", event_data=data, event_metadata=meta)
        print(json.dumps(describe(meta)), flush=True)


def consume(group, count):
    collect_events(count, 60)
    RedisEventConsumer(TOPIC, group, "python-reference", check_backlog=True).consume_indefinitely()


def bench_produce(count, rate):
    from openedx_events.learning.signals import SESSION_LOGIN_COMPLETED

    producer = create_producer()
    data = login_data()
    start = time.perf_counter()
    for _ in paced(count, rate):
        meta = EventsMetadata(event_type=SESSION_LOGIN_COMPLETED.event_type, minorversion=0)
        producer.send(
            signal=SESSION_LOGIN_COMPLETED, topic=TOPIC, event_key_field="user.id", event_data=data, event_metadata=meta
        )
    print(json.dumps({"events": count, "seconds": time.perf_counter() - start}), flush=True)


def bench_consume(group, count):
    from openedx_events.learning.signals import SESSION_LOGIN_COMPLETED

    measure_latency(SESSION_LOGIN_COMPLETED, count, start=time.perf_counter())
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
