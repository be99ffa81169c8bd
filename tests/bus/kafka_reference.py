"""The Python reference as the other party of the Kafka interop tests.

Runs openedx-events 10.5.0 and edx-event-bus-kafka 6.1.0 (Django configured
in-process) against a Kafka-protocol broker and a schema registry:

    python kafka_reference.py produce BOOTSTRAP REGISTRY PREFIX TOPIC < cases.jsonl
        Each input line is {"event_type", "avro_hex", "key_field"}: the
        payload is decoded by the reference's deserializer and sent with its
        KafkaEventProducer. Prints one JSON line per event with its metadata.
    python kafka_reference.py bench-produce BOOTSTRAP REGISTRY PREFIX TOPIC COUNT [RATE]
        Sends COUNT session-login events (at most RATE a second); prints
        {"events", "seconds"}.
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
import os
import sys
import threading
import time
from datetime import datetime, timezone

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

    timer = threading.Timer(90, finish, args=(3,))
    timer.daemon = True
    timer.start()

    patch_consumer()
    consumer_module.KafkaEventConsumer(TOPIC, group).consume_indefinitely()


def bench_produce(count, rate):
    from openedx_events.learning.data import UserData, UserPersonalData
    from openedx_events.learning.signals import SESSION_LOGIN_COMPLETED

    producer = create_producer()
    data = {"user": UserData(id=1, is_active=True, pii=UserPersonalData(username="ada", email="", name=""))}
    start = time.perf_counter()
    for i in range(count):
        if rate:
            pause = start + i / rate - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
        meta = EventsMetadata(event_type=SESSION_LOGIN_COMPLETED.event_type, minorversion=0)
        producer.send(
            signal=SESSION_LOGIN_COMPLETED,
            topic=TOPIC,
            event_key_field="user.pii.username",
            event_data=data,
            event_metadata=meta,
        )
    producer.prepare_for_shutdown()
    print(json.dumps({"events": count, "seconds": time.perf_counter() - start}), flush=True)


def bench_consume(group, count):
    from openedx_events.learning.signals import SESSION_LOGIN_COMPLETED

    latencies = []
    first = []

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

    SESSION_LOGIN_COMPLETED.connect(on_event, weak=False)
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
