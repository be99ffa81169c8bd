"""Checks generated Python definitions against the real openedx-events package.

    python check_generated.py GENERATED_DIR PACKAGE VECTORS_DIR

Imports the generated package (GENERATED_DIR/PACKAGE) beside the installed
openedx-events 10.5.0 and checks, for every signal of every module:
- the same signals by name, with the same event type, minor version and
  `init_data` (field names in order, classes by name);
- every attrs class reachable from them: the same field names in order,
  the same annotations (compared by name) and the same defaults (factories
  called);
- `schema_from_signal` gives the same Avro schema for both, where upstream
  can build one (and fails for both where it cannot);
- for each committed vector, the payload decoded into the generated classes
  and serialized by upstream's serializer gives the vector's bytes.
Prints one summary line; exits 1 listing every difference.
"""
import importlib
import json
import pathlib
import sys
import typing

import attr
import django
from django.conf import settings

settings.configure(INSTALLED_APPS=[], USE_TZ=True, EVENTS_SERVICE_NAME="check")
django.setup()

from openedx_events.event_bus.avro.deserializer import deserialize_bytes_to_event_data  # noqa: E402
from openedx_events.event_bus.avro.schema import schema_from_signal  # noqa: E402
from openedx_events.event_bus.avro.serializer import serialize_event_data_to_bytes  # noqa: E402
from openedx_events.tooling import OpenEdxPublicSignal  # noqa: E402

GENERATED, PACKAGE, VECTORS = sys.argv[1], sys.argv[2], pathlib.Path(sys.argv[3])
sys.path.insert(0, GENERATED)
MODULES = ["analytics", "content_authoring", "enterprise", "learning"]
problems = []


def signals(module):
    return {n: s for n, s in vars(module).items() if isinstance(s, OpenEdxPublicSignal)}


def name_of(tp):
    """An annotation by name, wherever its class is defined."""
    if isinstance(tp, type):
        return tp.__name__
    origin = typing.get_origin(tp)
    if origin is not None:
        args = ", ".join(name_of(a) for a in typing.get_args(tp))
        base = {list: "List", dict: "Dict"}.get(origin, getattr(origin, "__name__", str(origin)))
        if origin is typing.Union:
            base = "Optional" if type(None) in typing.get_args(tp) else "Union"
            args = ", ".join(name_of(a) for a in typing.get_args(tp) if a is not type(None))
        return f"{base}[{args}]"
    return str(tp)


def default_of(field):
    if isinstance(field.default, attr.Factory):
        return ("value", field.default.factory())
    if field.default is attr.NOTHING:
        return ("required",)
    return ("value", field.default)


compared_classes = set()


def compare_class(path, ours, theirs):
    if ours.__name__ != theirs.__name__:
        problems.append(f"{path}: class {ours.__name__}, upstream {theirs.__name__}")
        return
    if not attr.has(theirs):
        return
    if (ours, theirs) in compared_classes:
        return
    compared_classes.add((ours, theirs))
    if not attr.has(ours):
        problems.append(f"{path}: {ours.__name__} is not an attrs class")
        return
    of, tf = attr.fields(ours), attr.fields(theirs)
    if [f.name for f in of] != [f.name for f in tf]:
        problems.append(f"{path}: fields {[f.name for f in of]}, upstream {[f.name for f in tf]}")
        return
    if not ours.__attrs_attrs__ or getattr(ours, "__setattr__", None) is object.__setattr__:
        problems.append(f"{path}: {ours.__name__} is not frozen")
    for o, t in zip(of, tf):
        where = f"{path}.{o.name}"
        if name_of(o.type) != name_of(t.type):
            problems.append(f"{where}: type {name_of(o.type)}, upstream {name_of(t.type)}")
        if default_of(o) != default_of(t):
            problems.append(f"{where}: default {default_of(o)}, upstream {default_of(t)}")
        # Keyword-only where upstream is not would break positional callers;
        # the other way round (upstream's `XBlockData.version`, keyword-only
        # because a subclass adds a required field) accepts every call
        # upstream accepts.
        if o.kw_only and not t.kw_only:
            problems.append(f"{where}: keyword-only, upstream positional")
        if isinstance(t.type, type) and attr.has(t.type) and isinstance(o.type, type):
            compare_class(where, o.type, t.type)
        for oa, ta in zip(typing.get_args(o.type), typing.get_args(t.type)):
            if isinstance(ta, type) and attr.has(ta) and isinstance(oa, type):
                compare_class(where, oa, ta)


def schema(signal):
    try:
        return json.dumps(schema_from_signal(signal), sort_keys=True)
    except Exception as e:  # noqa: BLE001
        return f"refused: {type(e).__name__}"


ours_by_type = {}
events = 0
for m in MODULES:
    up = signals(importlib.import_module(f"openedx_events.{m}.signals"))
    gen = signals(importlib.import_module(f"{PACKAGE}.{m}.signals"))
    if sorted(up) != sorted(gen):
        problems.append(f"{m}: signals {sorted(gen)}, upstream {sorted(up)}")
    for name in sorted(set(up) & set(gen)):
        u, g = up[name], gen[name]
        events += 1
        ours_by_type[g.event_type] = g
        for what in ["event_type", "minor_version"]:
            if getattr(u, what) != getattr(g, what):
                problems.append(f"{name}: {what} {getattr(g, what)!r}, upstream {getattr(u, what)!r}")
        if list(u.init_data) != list(g.init_data):
            problems.append(f"{name}: init_data {list(g.init_data)}, upstream {list(u.init_data)}")
        for key in set(u.init_data) & set(g.init_data):
            compare_class(f"{name}.{key}", g.init_data[key], u.init_data[key])
        if schema(u) != schema(g):
            problems.append(f"{name}: schema_from_signal differs:\n  ours     {schema(g)}\n  upstream {schema(u)}")

vectors = 0
for path in sorted(VECTORS.glob("*.json")):
    v = json.loads(path.read_text())
    signal = ours_by_type.get(v["event_type"])
    if signal is None:
        problems.append(f"{v['event_type']}: no generated signal")
        continue
    for case in v["cases"]:
        expected = bytes.fromhex(case["avro"])
        try:
            data = deserialize_bytes_to_event_data(expected, signal)
            got = serialize_event_data_to_bytes(data, signal)
        except Exception as e:  # noqa: BLE001
            problems.append(f"{v['event_type']} {case['name']}: {type(e).__name__}: {e}")
            continue
        vectors += 1
        if got != expected:
            problems.append(f"{v['event_type']} {case['name']}: bytes {got.hex()}, expected {expected.hex()}")

print(f"{events} signals, {len(compared_classes)} classes, {vectors} vectors compared; {len(problems)} differences")
for p in problems:
    print(p)
sys.exit(1 if problems else 0)
