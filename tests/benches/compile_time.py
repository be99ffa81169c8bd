#!/usr/bin/env python3
"""Compile time of generated code, side by side with prost-build's, in one run.

Writes the synthetic catalog (N events, N data classes of ten fields) in our
YAML and the equivalent .proto with ``../shared/bench/synth.py``, generates
Rust from both (our release CLI; prost-build through ``../shared/bench/
prostbench``, which needs Debian's ``protobuf-compiler``), puts each output
alone in a library crate of one scratch workspace, builds the dependencies
once, and then times only those two crates: non-incremental debug and release
(``CARGO_INCREMENTAL=0``, as CI builds) and an incremental debug rebuild
after touching the file. It also times generation on a 10,000-event catalog
against prost-build and a clean build of the ``openedx-events`` crate alone.

    python3 tests/benches/compile_time.py [--events 1000] [--reps 3]

Figures are medians of ``--reps`` runs; each run is a whole ``cargo build``
of one crate whose dependencies are already built. Not a test: nothing here
asserts a time.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def run(cmd, cwd=None, env=None, quiet=True):
    out = subprocess.run(
        cmd,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE if quiet else None,
        stderr=subprocess.PIPE if quiet else None,
        text=True,
    )
    if out.returncode != 0:
        sys.exit(f"failed ({out.returncode}): {' '.join(map(str, cmd))}\n{out.stderr or ''}")
    return out


def timed(cmd, cwd=None, env=None):
    start = time.perf_counter()
    run(cmd, cwd=cwd, env=env)
    return time.perf_counter() - start


def env_with(**extra):
    env = dict(os.environ)
    env.update({k: str(v) for k, v in extra.items()})
    return env


def synth(n, out, synth_py):
    if out.exists():
        shutil.rmtree(out)
    run([sys.executable, str(synth_py), str(n), str(out)])


def prost_generate(proto, out_dir, prostbench):
    out_dir.mkdir(parents=True, exist_ok=True)
    return timed([str(prostbench), str(proto), str(out_dir)])


def ours_generate(cli, catalog_dir, out_file):
    if out_file.exists():
        out_file.unlink()
    return timed([str(cli), "generate", str(catalog_dir), "--out", str(out_file)])


def write_workspace(root, ours_rs, prost_rs):
    """Two library crates, each including one generated file, sharing a target dir."""
    (root / "ours" / "src").mkdir(parents=True, exist_ok=True)
    (root / "prost" / "src").mkdir(parents=True, exist_ok=True)
    (root / "Cargo.toml").write_text(
        '[workspace]\nmembers = ["ours", "prost"]\nresolver = "2"\n'
    )
    (root / "ours" / "Cargo.toml").write_text(
        "[package]\nname = \"ours\"\nversion = \"0.0.0\"\nedition = \"2024\"\n"
        "publish = false\n\n[dependencies]\n"
        f"openedx-hooks = {{ path = \"{REPO / 'runtime'}\" }}\n"
    )
    (root / "prost" / "Cargo.toml").write_text(
        "[package]\nname = \"theirs\"\nversion = \"0.0.0\"\nedition = \"2024\"\n"
        "publish = false\n\n[dependencies]\nprost = \"0.14\"\n"
    )
    shutil.copy(ours_rs, root / "ours" / "src" / "events.rs")
    shutil.copy(prost_rs, root / "prost" / "src" / "synth.rs")
    set_sources(root, empty=True)


def set_sources(root, empty):
    """Each crate's lib.rs: empty (to build the dependencies alone) or including its file."""
    ours = "//! Generated code of the synthetic catalog.\n#![deny(missing_docs)]\n"
    theirs = "#![allow(missing_docs)]\n"
    if not empty:
        ours += "/// The generated module.\npub mod events;\n"
        theirs += 'pub mod synth {\n    include!("synth.rs");\n}\n'
    (root / "ours" / "src" / "lib.rs").write_text(ours)
    (root / "prost" / "src" / "lib.rs").write_text(theirs)


def build_crate(root, package, release, incremental, touch):
    target = root / "target"
    cmd = ["cargo", "build", "-q", "-p", package]
    if release:
        cmd.append("--release")
    src = root / ("ours" if package == "ours" else "prost") / "src" / "lib.rs"
    if touch:
        src.touch()
    else:
        # A fresh compile of this crate only: its dependencies stay built.
        clean = ["cargo", "clean", "-q", "-p", package]
        if release:
            clean.append("--release")
        run(clean, cwd=root, env=env_with(CARGO_TARGET_DIR=target))
    env = env_with(CARGO_INCREMENTAL=1 if incremental else 0, CARGO_TARGET_DIR=target)
    return timed(cmd, cwd=root, env=env)


def median(values):
    return statistics.median(values)


def row(label, ours, theirs, unit="s"):
    ratio = ours / theirs if theirs else float("nan")
    print(f"| {label} | {ours:.2f} {unit} | {theirs:.2f} {unit} | {ratio:.2f}x |")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--events", type=int, default=1000)
    p.add_argument("--generate-events", type=int, default=10000)
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--workdir", type=Path, default=Path("/tmp/openedx-hooks-compile-bench"))
    p.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "bench")
    p.add_argument(
        "--modes",
        default="debug,release,incremental",
        help="which builds to time, comma-separated: debug, release, incremental",
    )
    p.add_argument(
        "--only",
        choices=["all", "builds", "generate", "openedx-events"],
        default="all",
    )
    args = p.parse_args()
    work = args.workdir
    work.mkdir(parents=True, exist_ok=True)
    if shutil.which("protoc") is None:
        sys.exit("protoc not found: apt-get install protobuf-compiler")

    print("building the release CLI and the prost-build runner…", file=sys.stderr)
    run(["cargo", "build", "-q", "--release", "-p", "openedx-hooks-cli"], cwd=REPO)
    cli = REPO / "target" / "release" / "openedx-hooks"
    run(
        ["cargo", "build", "-q", "--release", "--manifest-path", str(args.shared / "prostbench" / "Cargo.toml")],
        env=env_with(CARGO_TARGET_DIR=work / "prostbench-target"),
    )
    prostbench = work / "prostbench-target" / "release" / "prostbench"

    print(f"| {args.events} events | openedx-hooks | prost | ratio |")
    print("|---|---|---|---|")

    if args.only in ("all", "builds"):
        cat = work / f"synth{args.events}"
        synth(args.events, cat, args.shared / "synth.py")
        ours_rs = cat / "ours.rs"
        ours_generate(cli, cat / "events", ours_rs)
        prost_out = cat / "prost"
        prost_generate(cat / "synth.proto", prost_out, prostbench)
        prost_rs = prost_out / "synth.rs"
        row(
            "generated file size",
            ours_rs.stat().st_size / 1e6,
            prost_rs.stat().st_size / 1e6,
            unit="MB",
        )
        ws = work / "ws"
        write_workspace(ws, ours_rs, prost_rs)
        print("building dependencies…", file=sys.stderr)
        for release in (False, True):
            cmd = ["cargo", "build", "-q", "-p", "ours", "-p", "theirs"]
            if release:
                cmd.append("--release")
            run(cmd, cwd=ws, env=env_with(CARGO_INCREMENTAL=0, CARGO_TARGET_DIR=ws / "target"))
        set_sources(ws, empty=False)
        modes = set(args.modes.split(","))
        for mode, label, release, incremental, touch in (
            ("debug", "debug, non-incremental", False, False, False),
            ("release", "release, non-incremental", True, False, False),
            ("incremental", "debug, incremental rebuild after touch", False, True, True),
        ):
            if mode not in modes:
                continue
            times = {"ours": [], "theirs": []}
            if incremental:
                # Prime the incremental cache once.
                for pkg in times:
                    build_crate(ws, pkg, release, True, False)
            for _ in range(args.reps):
                # Alternate so that machine noise falls on both.
                for pkg in times:
                    times[pkg].append(build_crate(ws, pkg, release, incremental, touch))
            row(label, median(times["ours"]), median(times["theirs"]))

    if args.only in ("all", "generate"):
        n = args.generate_events
        cat = work / f"synth{n}"
        synth(n, cat, args.shared / "synth.py")
        ours_t, prost_t = [], []
        for _ in range(args.reps):
            ours_t.append(ours_generate(cli, cat / "events", cat / "ours.rs"))
            prost_t.append(prost_generate(cat / "synth.proto", cat / "prost", prostbench))
        row(f"`generate`, {n} events (whole command)", median(ours_t), median(prost_t))

    if args.only in ("all", "openedx-events"):
        times = []
        target = work / "events-target"
        env = env_with(CARGO_INCREMENTAL=0, CARGO_TARGET_DIR=target)
        run(["cargo", "build", "-q", "-p", "openedx-events"], cwd=REPO, env=env)
        for _ in range(args.reps):
            run(["cargo", "clean", "-q", "-p", "openedx-events"], cwd=REPO, env=env)
            times.append(timed(["cargo", "build", "-q", "-p", "openedx-events"], cwd=REPO, env=env))
        print(f"| `openedx-events` crate alone, debug, non-incremental | {median(times):.2f} s | | |")


if __name__ == "__main__":
    main()
