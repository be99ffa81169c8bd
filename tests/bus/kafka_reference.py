"""The Python reference as the other party of the Kafka interop tests.

Runs openedx-events 10.5.0 and edx-event-bus-kafka 6.1.0 (Django configured
in-process) against a Kafka-protocol broker and a schema registry:

    python kafka_reference.py produce BOOTSTRAP REGISTRY PREFIX TOPIC < cases.jsonl
        Each input line is {"event_type", "avro_hex", "key_field"}: the
        payload is decoded by the reference's deserializer and sent with its
        KafkaEventProducer. Prints one JSON line per event with its metadata.
    python kafka_reference.py bench-produce BOOTSTRAP REGISTRY PREFIX TOPIC COUNT [RATE]
        Sends one session-login event, then COUNT more (at most RATE a
        second); prints {"events", "seconds", "start_seconds"}: the COUNT's
        time, and the time from creating the producer until the first was
        stored.
    python kafka_reference.py bench-consume BOOTSTRAP REGISTRY PREFIX TOPIC GROUP COUNT
        Prints "ready" once assigned, consumes COUNT events with one
        receiver; prints {"events", "seconds", "p50_ms", "p99_ms"} (latency:
        receipt time minus the event's time; seconds from the first event).
    python kafka_reference.py consume BOOTSTRAP REGISTRY PREFIX TOPIC GROUP COUNT
        Runs the reference's KafkaEventConsumer with a receiver on every
        signal; prints "ready" once it has its partitions, then one JSON
        line per event (metadata, payload re-serialized by the reference,
        whether it came from the bus) and exits after COUNT (3 after 90 s).

The consumer's session timeout is lowered to 6 s: tansu hands partitions
to a new member only after about half of it (the default is 45 s). Nothing
the reference reads or writes changes.
"""
import json
import sys
import time

import django
from django.conf import settings

MODE, BOOTSTRAP, REGISTRY, PREFIX, TOPIC = sys.argv[1:6]
settings.configure(
    INSTALLED_APPS=[],
    USE_TZ=True,
    EVENTS_SERVICE_NAME="python-reference",
    EVENT_BUS_KAFKA_BOOTSTRAP_SERVERS=BOOTSTRAP,
    EVENT_BUS_KAFKA_SCHEMA_REGISTRY_URL=REGISTRY,
    EVENT_BUS_TOPIC_PREFIX=PREFIX,
)
django.setup()

from edx_event_bus_kafka.internal import consumer as consumer_module  # noqa: E402
from edx_event_bus_kafka.internal.producer import create_producer  # noqa: E402
from openedx_events.data import EventsMetadata  # noqa: E402

from reference import cases, collect_events, describe, load_signals, login_data, measure_latency, paced  # noqa: E402

load_signals()


def produce():
    producer = create_producer()
    for case, signal, data, meta in cases(sys.stdin):
        producer.send(
            signal=signal, topic=TOPIC, event_key_field=case["key_field"], event_data=data, event_metadata=meta
        )
        print(json.dumps(describe(meta)), flush=True)
    producer.prepare_for_shutdown()


def patch_consumer():
    """Says when the consumer has partitions; a 6 s session (see above)."""
    class AnnouncingConsumer(consumer_module.Consumer):
        """The reference's consumer class, saying when it has partitions."""

        def subscribe(self, topics, **kw):
            def announce(consumer, partitions):  # noqa: ARG001
                if partitions:
                    print("ready", flush=True)

            return super().subscribe(topics, on_assign=announce, **kw)

    consumer_module.Consumer = AnnouncingConsumer
    common = consumer_module.load_common_settings

    def settings_with_session():
        conf = common()
        conf["session.timeout.ms"] = 6000
        return conf

    consumer_module.load_common_settings = settings_with_session


def consume(group, count):
    collect_events(count, 90)
    patch_consumer()
    consumer_module.KafkaEventConsumer(TOPIC, group).consume_indefinitely()


def bench_produce(count, rate):
    from openedx_events.learning.signals import SESSION_LOGIN_COMPLETED

    def send():
        meta = EventsMetadata(event_type=SESSION_LOGIN_COMPLETED.event_type, minorversion=0)
        producer.send(
            signal=SESSION_LOGIN_COMPLETED,
            topic=TOPIC,
            event_key_field="user.pii.username",
            event_data=data,
            event_metadata=meta,
        )

    data = login_data()
    # Its start (connecting, registering the schemas) until the first event
    # is stored, timed apart from the throughput, as the Rust side's is.
    start = time.perf_counter()
    producer = create_producer()
    send()
    producer.prepare_for_shutdown()
    started = time.perf_counter() - start
    start = time.perf_counter()
    for _ in paced(count, rate):
        send()
    producer.prepare_for_shutdown()
    seconds = time.perf_counter() - start
    print(json.dumps({"events": count, "seconds": seconds, "start_seconds": started}), flush=True)


def bench_consume(group, count):
    from openedx_events.learning.signals import SESSION_LOGIN_COMPLETED

    measure_latency(SESSION_LOGIN_COMPLETED, count)
    patch_consumer()
    consumer_module.KafkaEventConsumer(TOPIC, group).consume_indefinitely()


if MODE == "produce":
    produce()
elif MODE == "bench-produce":
    bench_produce(int(sys.argv[6]), float(sys.argv[7]) if len(sys.argv) > 7 else 0)
elif MODE == "bench-consume":
    bench_consume(sys.argv[6], int(sys.argv[7]))
elif MODE == "consume":
    consume(sys.argv[6], int(sys.argv[7]))
else:
    sys.exit(f"unknown mode {MODE}")
