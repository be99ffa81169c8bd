"""What the Python reference harnesses share (imported after Django is set up)."""
import importlib


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
