"""Run every ``benchmarks/bench_*.py`` and print one table (``make bench``).

Each module exposes ``run() -> [(name, value, unit, target_text), ...]``. A module that
fails to import or to run shows its error as a row; the others still run.

    python benchmarks/run.py            # all
    python benchmarks/run.py api job    # only bench_api.py and bench_job.py
"""
from __future__ import annotations

import glob
import importlib.util
import os
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
if ROOT not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, ROOT)


def discover(only=()):
    paths = sorted(glob.glob(os.path.join(HERE, "bench_*.py")))
    if only:
        paths = [p for p in paths if os.path.basename(p)[len("bench_"):-len(".py")] in only]
    return paths


def run_module(path):
    """``(rows, error)``: the module's rows, or the one-line error that stopped it."""
    name = os.path.basename(path)[:-len(".py")]
    try:
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        rows = [tuple(row) for row in module.run()]
        for row in rows:
            if len(row) != 4:
                raise ValueError("run() must return (name, value, unit, target) rows, got {!r}"
                                 .format(row))
        return rows, None
    except Exception as exc:  # one broken benchmark must not hide the others
        last = traceback.extract_tb(exc.__traceback__)[-1]
        return [], "{}: {} ({}:{})".format(type(exc).__name__, exc,
                                          os.path.basename(last.filename), last.lineno)


def format_value(value):
    if isinstance(value, float):
        return "{:.4g}".format(value) if abs(value) < 1000 else "{:,.0f}".format(value)
    return str(value)


def table(rows):
    header = ("module", "benchmark", "value", "unit", "target")
    cells = [header] + [tuple(str(c) for c in row) for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = []
    for index, row in enumerate(cells):
        lines.append("  ".join(cell.ljust(widths[i]) if i != 2 else cell.rjust(widths[i])
                               for i, cell in enumerate(row)).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv=None):
    only = tuple(argv if argv is not None else sys.argv[1:])
    paths = discover(only)
    if not paths:
        print("no benchmarks found in {}".format(HERE))
        return 1
    rows, failed = [], 0
    started = time.perf_counter()
    for path in paths:
        module = os.path.basename(path)[len("bench_"):-len(".py")]
        results, error = run_module(path)
        if error:
            failed += 1
            rows.append((module, "FAILED", "", "", error))
        for name, value, unit, target in results:
            rows.append((module, name, format_value(value), unit, target))
    print(table(rows))
    print("\n{} module(s), {} failed, {:.1f} s; Python {} on {}".format(
        len(paths), failed, time.perf_counter() - started, sys.version.split()[0], sys.platform))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
