"""Regenerate the Avro interop vectors from the Python reference implementation.

    python3 -m venv /tmp/ref && /tmp/ref/bin/pip install openedx-events==10.5.0 edx-event-bus-kafka==6.1.0
    /tmp/ref/bin/python tests/vectors/generate.py

(see tests/vectors/README.md). For every event of openedx-events 10.5.0 it
writes tests/vectors/avro/<event_type>.json with the schema the reference
builds (`schema_from_signal`) and, for each case, a payload in the JSON form
the Rust runtime reads plus the bytes `serialize_event_data_to_bytes`
produces. Events the reference cannot encode are listed in refused.json.
headers.json pairs event metadata with the headers edx-event-bus-kafka sends.
Deterministic: same package versions, same files.
"""
import json
import pathlib
import typing
import uuid
from datetime import datetime, timezone

import django
from django.conf import settings

settings.configure(INSTALLED_APPS=[], USE_TZ=True, EVENTS_SERVICE_NAME="vectors")
django.setup()

import importlib  # noqa: E402

import attr  # noqa: E402
from ccx_keys.locator import CCXLocator  # noqa: E402
from opaque_keys.edx.keys import CourseKey, UsageKey  # noqa: E402
from opaque_keys.edx.locator import (  # noqa: E402
    LibraryCollectionLocator,
    LibraryContainerLocator,
    LibraryLocatorV2,
    LibraryUsageLocatorV2,
)

import openedx_events  # noqa: E402
from openedx_events.data import EventsMetadata  # noqa: E402
from openedx_events.event_bus.avro.schema import schema_from_signal  # noqa: E402
from openedx_events.event_bus.avro.serializer import serialize_event_data_to_bytes  # noqa: E402
from openedx_events.tooling import OpenEdxPublicSignal  # noqa: E402

for module in ["analytics", "content_authoring", "enterprise", "learning"]:
    importlib.import_module(f"openedx_events.{module}.signals")

OUT = pathlib.Path(__file__).resolve().parent
KEYS = {
    CourseKey: "course-v1:edX+DemoX+Demo_Course",
    UsageKey: "block-v1:edX+DemoX+Demo_Course+type@problem+block@q1",
    CCXLocator: "ccx-v1:edX+DemoX+Demo_Course+ccx@3",
    LibraryLocatorV2: "lib:edX:lib1",
    LibraryUsageLocatorV2: "lb:edX:lib1:problem:p1",
    LibraryCollectionLocator: "lib-collection:edX:lib1:col1",
    LibraryContainerLocator: "lct:edX:lib1:unit:u1",
}


def sample(tp, mode, name):
    """A value of type `tp`: `typical` (non-empty, Unicode, big numbers) or `falsy` (False, 0, "", [], {})."""
    falsy = mode == "falsy"
    if tp is str:
        return "" if falsy else f"{name} ✓ naïve “quoted”"
    if tp is bool:
        return not falsy
    if tp is int:
        return 0 if falsy else -(2 ** 53) - 7
    if tp is float:
        return 0.0 if falsy else 0.875
    if tp is datetime:
        if falsy:
            return datetime(2026, 1, 1, tzinfo=timezone.utc)
        return datetime(2026, 11, 24, 10, 30, 5, 250, tzinfo=timezone.utc)
    if tp is uuid.UUID:
        return uuid.UUID("00000000-0000-0000-0000-000000000000" if falsy else "6f1c2f6e-2d4a-4f39-9a55-0d8b7a1e2c3d")
    # The most derived key class that matches (LibraryUsageLocatorV2 before
    # UsageKey, CCXLocator before CourseKey): a value the field's own class
    # parses, so the reference's deserializer reads the bytes back.
    matches = [k for k in KEYS if isinstance(tp, type) and issubclass(tp, k)]
    if matches:
        key_type = max(matches, key=lambda k: len(k.__mro__))
        return key_type.from_string(KEYS[key_type])
    origin = typing.get_origin(tp)
    if origin is list:
        (item,) = typing.get_args(tp)
        return [] if falsy else [sample(item, mode, name), sample(item, mode, name + "2")]
    if origin is dict:
        _, value = typing.get_args(tp)
        return {} if falsy else {"b": sample(value, mode, name), "a": sample(value, mode, name + "2")}
    if hasattr(tp, "__attrs_attrs__"):
        kwargs = {}
        for a in tp.__attrs_attrs__:
            if a.default is None and falsy:
                kwargs[a.name] = None
            else:
                kwargs[a.name] = sample(a.type, mode, a.name)
        return tp(**kwargs)
    raise TypeError(f"no sample for {tp!r}")


def to_json(value):
    """The JSON form the Rust runtime reads (serde of the generated types)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, list):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if hasattr(value, "__attrs_attrs__"):
        return {a.name: to_json(getattr(value, a.name)) for a in value.__attrs_attrs__}
    return str(value)  # opaque keys


def main():
    (OUT / "avro").mkdir(exist_ok=True)
    refused = {}
    for signal in sorted(OpenEdxPublicSignal.all_events(), key=lambda s: s.event_type):
        try:
            schema = schema_from_signal(signal)
        except Exception as e:  # the reference's own refusals
            refused[signal.event_type] = f"{type(e).__name__}: {e}"
            continue
        cases = []
        for mode in ["typical", "falsy"]:
            data = {key: sample(tp, mode, key) for key, tp in signal.init_data.items()}
            avro = serialize_event_data_to_bytes(data, signal)
            cases.append({"name": mode, "payload": to_json(data), "avro": avro.hex()})
        doc = {"event_type": signal.event_type, "schema": schema, "cases": cases}
        path = OUT / "avro" / f"{signal.event_type}.json"
        path.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n")
    (OUT / "refused.json").write_text(json.dumps(refused, indent=1, sort_keys=True) + "\n")

    from edx_event_bus_kafka.internal.utils import _get_headers_from_metadata

    metadata = EventsMetadata(
        event_type="org.openedx.learning.student.registration.completed.v1",
        id=uuid.UUID("6f1c2f6e-2d4a-4f39-9a55-0d8b7a1e2c3d"),
        minorversion=2,
        source="openedx/lms/web",
        sourcehost="edx.devstack.lms",
        time=datetime(2026, 11, 24, 10, 30, 5, 250, tzinfo=timezone.utc),
        sourcelib=(10, 5, 0),
    )
    headers = {k: v.decode("utf-8") for k, v in _get_headers_from_metadata(metadata).items()}
    ours = {
        "id": str(metadata.id),
        "event_type": metadata.event_type,
        "minor_version": metadata.minorversion,
        "source": metadata.source,
        "source_host": metadata.sourcehost,
        "source_lib": ".".join(map(str, metadata.sourcelib)),
        "time": metadata.time.isoformat(),
    }
    (OUT / "headers.json").write_text(json.dumps({"metadata": ours, "headers": headers}, indent=1) + "\n")
    print(f"openedx-events {openedx_events.__version__}: {len(list((OUT / 'avro').glob('*.json')))} events, {len(refused)} refused")


if __name__ == "__main__":
    main()
