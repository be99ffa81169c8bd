"""Build reStructuredText files with docutils and fail on any warning.

    python3 tests/check_rst.py FILE_OR_DIR...

`.ci/run` runs it over the checked-in `docs/` and the pages the escaping
property test (`tests/docs.rs`) writes to `target/docs-property/`.
"""
import pathlib
import sys

import docutils.core
import docutils.utils


def check(path):
    source = path.read_text(encoding="utf-8")
    try:
        docutils.core.publish_doctree(
            source,
            source_path=str(path),
            settings_overrides={"report_level": 2, "halt_level": 2, "warning_stream": sys.stderr},
        )
    except docutils.utils.SystemMessage as e:
        print(f"{path}: {e}", file=sys.stderr)
        return False
    return True


def main(args):
    files = []
    for a in args:
        p = pathlib.Path(a)
        files.extend(sorted(p.rglob("*.rst")) if p.is_dir() else [p])
    if not files:
        print("no .rst files given", file=sys.stderr)
        return 2
    failed = [f for f in files if not check(f)]
    print(f"docutils: {len(files) - len(failed)} of {len(files)} files build without warnings")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
