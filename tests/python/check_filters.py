"""Checks generated filter classes against the real openedx-filters package.

    python check_filters.py GENERATED_DIR PACKAGE

Imports the generated package (GENERATED_DIR/PACKAGE) beside the installed
openedx-filters 3.16.0 and checks, for every filter class of every module:
- the same classes by name, with the same filter type, bases' behaviour
  (sensitive form keys) and `run_filter` signature (parameter names,
  kinds and defaults, in order);
- the same nested exception classes: whether each keeps the base
  constructor, its `__init__` parameters (names, kinds, defaults), and the
  attributes and message of an instance built from the same arguments;
- the same result (values, order, shape) or the same exception from
  `run_filter` with the same inputs, through configured pipelines
  (`OPEN_EDX_FILTERS_CONFIG`): steps that change every argument, halt,
  raise the filter's exceptions, fail silently or loudly; and with
  `run_pipeline` replaced by mocks returning no or some keys (which is
  where reading results with `.get`, `[]` or a fallback differs).
Prints one summary line; exits 1 listing every difference.
"""
import importlib
import inspect
import logging
import sys
import warnings
from unittest import mock

import django
from django.conf import settings

# The runner logs every failing step with its traceback: expected here.
logging.disable(logging.CRITICAL)
warnings.filterwarnings("ignore", category=DeprecationWarning)
settings.configure(INSTALLED_APPS=[], USE_TZ=True, OPEN_EDX_FILTERS_CONFIG={})
django.setup()

from django.http import QueryDict  # noqa: E402
from django.test import override_settings  # noqa: E402
from openedx_filters.exceptions import OpenEdxFilterException  # noqa: E402
from openedx_filters.filters import PipelineStep  # noqa: E402
from openedx_filters.tooling import OpenEdxPublicFilter  # noqa: E402

GENERATED, PACKAGE = sys.argv[1], sys.argv[2]
sys.path.insert(0, GENERATED)
MODULES = ["authentication", "content_authoring", "learning", "management"]
problems = []
runs = 0

# The class a step raises the exceptions of (the one under test), and which.
CURRENT = {"cls": None, "exception": None}


class Sentinel:
    """An argument value that compares by its label."""

    def __init__(self, label):
        self.label = label

    def __eq__(self, other):
        return isinstance(other, Sentinel) and other.label == self.label

    def __hash__(self):
        return hash(self.label)

    def __repr__(self):
        return f"<{self.label}>"


class ChangeEvery(PipelineStep):
    """Replaces every argument (a form's data is copied and a key added)."""

    def run_filter(self, **kwargs):  # pylint: disable=arguments-differ
        out = {}
        for k, v in kwargs.items():
            if isinstance(v, QueryDict):
                v = v.copy()
                v["added_by_step"] = "yes"
                v["password"] = "changed-by-step"
                out[k] = v
            else:
                out[k] = Sentinel(f"changed-{k}")
        return out


class ChangeFirst(PipelineStep):
    """Replaces only the first argument and adds a key no later step takes."""

    def run_filter(self, **kwargs):  # pylint: disable=arguments-differ
        first = next(iter(kwargs))
        if isinstance(kwargs[first], QueryDict):
            return {"extra": 1}
        return {first: Sentinel(f"first-{first}"), "extra": 1}


class Halt(PipelineStep):
    def run_filter(self, **kwargs):  # pylint: disable=arguments-differ
        return None


class Broken(PipelineStep):
    def run_filter(self, **kwargs):  # pylint: disable=arguments-differ
        raise ValueError("broken step")


class RaiseException(PipelineStep):
    """Raises the current filter's exception, built with sample arguments."""

    def run_filter(self, **kwargs):  # pylint: disable=arguments-differ
        exc = getattr(CURRENT["cls"], CURRENT["exception"])
        raise exc(*sample_args(exc))


def sample_args(exc):
    """Positional values for an exception's required parameters."""
    params = list(inspect.signature(exc.__init__).parameters.values())[1:]
    return [
        f"sample-{p.name}"
        for p in params
        if p.default is inspect.Parameter.empty
        and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]


def step(name):
    return f"__main__.{name}"


def filters_of(module):
    return {
        n: c
        for n, c in vars(module).items()
        if isinstance(c, type) and issubclass(c, OpenEdxPublicFilter) and c is not OpenEdxPublicFilter
        and c.__module__ == module.__name__
    }


def exceptions_of(cls):
    return {
        n: c
        for n, c in vars(cls).items()
        if isinstance(c, type) and issubclass(c, OpenEdxFilterException)
    }


def params_of(fn):
    """A signature without annotations: names, kinds, defaults."""
    return [
        (p.name, p.kind.name, "required" if p.default is inspect.Parameter.empty else repr(p.default))
        for p in inspect.signature(fn).parameters.values()
    ]


def inputs(cls):
    """Fresh inputs for run_filter (a mutable form for sensitive filters)."""
    out = {}
    for name in list(inspect.signature(cls.run_filter).parameters):
        if name == "form_data":
            out[name] = QueryDict("username=ada&password=secret&new_password1=n1", mutable=True)
        else:
            out[name] = Sentinel(f"in-{name}")
    return out


def normal(value):
    """A value as plain data, for comparing the two sides."""
    if isinstance(value, tuple):
        return ("tuple", [normal(v) for v in value])
    if isinstance(value, QueryDict):
        return ("QueryDict", sorted(value.lists()))
    if isinstance(value, BaseException):
        attrs = {k: normal(v) for k, v in vars(value).items()}
        return ("raised", type(value).__name__, str(value), sorted(attrs.items(), key=repr))
    return value


def outcome(cls, patch=None):
    """What run_filter gives (or raises), and the inputs after the call."""
    given = inputs(cls)
    try:
        if patch is None:
            result = cls.run_filter(**given)
        else:
            with mock.patch.object(OpenEdxPublicFilter, "run_pipeline", return_value=patch):
                result = cls.run_filter(**given)
        got = ("returned", normal(result))
    except Exception as e:  # noqa: BLE001 - both sides' exceptions are compared
        got = normal(e)
    return got, {k: normal(v) for k, v in given.items()}


def compare_run(where, ours, theirs, config, patch=None):
    global runs
    results = []
    for cls in (ours, theirs):
        CURRENT["cls"] = cls
        with override_settings(OPEN_EDX_FILTERS_CONFIG={cls.filter_type: config} if config else {}):
            results.append(outcome(cls, patch))
    runs += 1
    if results[0] != results[1]:
        problems.append(f"{where}: ours {results[0]!r}, upstream {results[1]!r}")


def compare_exception(where, ours, theirs):
    if ("__init__" in vars(ours)) != ("__init__" in vars(theirs)):
        problems.append(f"{where}: own __init__ {'__init__' in vars(ours)}, upstream {'__init__' in vars(theirs)}")
    if params_of(ours.__init__) != params_of(theirs.__init__):
        problems.append(f"{where}: __init__ {params_of(ours.__init__)}, upstream {params_of(theirs.__init__)}")
        return
    args = sample_args(theirs)
    built = [normal(c(*args)) for c in (ours, theirs)]
    if built[0] != built[1]:
        problems.append(f"{where}: instance {built[0]}, upstream {built[1]}")
    if "__init__" not in vars(theirs):
        # The base constructor takes extra keywords as attributes.
        extra = [normal(c("m", status_code=403, extra="x")) for c in (ours, theirs)]
        if extra[0] != extra[1]:
            problems.append(f"{where}: with extra keywords {extra[0]}, upstream {extra[1]}")


def compare_filter(where, ours, theirs):
    if ours.filter_type != theirs.filter_type:
        problems.append(f"{where}: filter_type {ours.filter_type}, upstream {theirs.filter_type}")
        return
    if not isinstance(inspect.getattr_static(ours, "run_filter"), classmethod):
        problems.append(f"{where}: run_filter is not a classmethod")
    if params_of(ours.run_filter) != params_of(theirs.run_filter):
        problems.append(f"{where}: run_filter {params_of(ours.run_filter)}, upstream {params_of(theirs.run_filter)}")
        return
    sensitive = [getattr(c, "sensitive_form_data", None) for c in (ours, theirs)]
    if sensitive[0] != sensitive[1]:
        problems.append(f"{where}: sensitive_form_data {sensitive[0]}, upstream {sensitive[1]}")
    ours_x, theirs_x = exceptions_of(ours), exceptions_of(theirs)
    if list(ours_x) != list(theirs_x):
        problems.append(f"{where}: exceptions {list(ours_x)}, upstream {list(theirs_x)}")
    for name in ours_x.keys() & theirs_x.keys():
        compare_exception(f"{where}.{name}", ours_x[name], theirs_x[name])

    def pipeline(*steps, fail_silently=False):
        return {"pipeline": [step(s) for s in steps], "fail_silently": fail_silently}

    compare_run(f"{where} (no pipeline)", ours, theirs, None)
    compare_run(f"{where} (change every argument)", ours, theirs, pipeline("ChangeEvery"))
    compare_run(f"{where} (change one, add a key)", ours, theirs, pipeline("ChangeFirst", "Halt"))
    compare_run(f"{where} (halt, then change)", ours, theirs, pipeline("Halt", "ChangeEvery"))
    compare_run(f"{where} (broken step, silent)", ours, theirs, pipeline("Broken", "ChangeEvery", fail_silently=True))
    compare_run(f"{where} (broken step, loud)", ours, theirs, pipeline("ChangeEvery", "Broken"))
    compare_run(f"{where} (missing step, loud)", ours, theirs, pipeline("ChangeEvery", "no_such.Step"))
    for name in theirs_x:
        CURRENT["exception"] = name
        compare_run(f"{where} (raises {name})", ours, theirs, pipeline("ChangeEvery", "RaiseException"))
    compare_run(f"{where} (run_pipeline mocked: {{}})", ours, theirs, None, patch={})
    first = next(iter(inspect.signature(theirs.run_filter).parameters))
    compare_run(f"{where} (run_pipeline mocked: one key)", ours, theirs, None, patch={first: Sentinel("mocked")})


compared = 0
for module in MODULES:
    ours_module = importlib.import_module(f"{PACKAGE}.{module}.filters")
    theirs_module = importlib.import_module(f"openedx_filters.{module}.filters")
    ours, theirs = filters_of(ours_module), filters_of(theirs_module)
    for name in sorted(ours.keys() - theirs.keys()):
        problems.append(f"{module}.{name}: not in openedx-filters")
    for name in sorted(theirs.keys() - ours.keys()):
        problems.append(f"{module}.{name}: missing")
    for name in sorted(ours.keys() & theirs.keys()):
        compare_filter(f"{module}.{name}", ours[name], theirs[name])
        compared += 1

print(f"{compared} filters compared, {runs} run_filter calls compared on both sides, {len(problems)} differences")
for p in problems:
    print(f"  {p}")
sys.exit(1 if problems or compared == 0 else 0)
