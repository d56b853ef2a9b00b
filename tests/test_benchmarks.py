"""benchmarks/run.py: one table; a broken benchmark shows its error and the others still run."""
from __future__ import annotations

import importlib.util
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load_runner():
    spec = importlib.util.spec_from_file_location("bench_runner",
                                                  os.path.join(ROOT, "benchmarks", "run.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_runner_survives_a_broken_module(tmp_path, monkeypatch, capsys):
    (tmp_path / "bench_a_broken.py").write_text("def run():\n    raise RuntimeError('boom')\n")
    (tmp_path / "bench_b_import.py").write_text("import no_such_module_here\n")
    (tmp_path / "bench_c_ok.py").write_text(
        "def run():\n    return [('fast thing', 1.25, 'us', '< 2 us')]\n")
    (tmp_path / "not_a_bench.py").write_text("raise SystemExit('must not be imported')\n")
    runner = load_runner()
    monkeypatch.setattr(runner, "HERE", str(tmp_path))
    assert runner.main([]) == 1
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split() == ["module", "benchmark", "value", "unit", "target"]
    assert any("a_broken" in line and "FAILED" in line and "RuntimeError: boom" in line
               for line in lines)
    assert any("b_import" in line and "FAILED" in line and "no_such_module_here" in line
               for line in lines)
    assert any("c_ok" in line and "fast thing" in line and "1.25" in line and "< 2 us" in line
               for line in lines)
    assert "3 module(s), 2 failed" in out
    assert runner.main(["c_ok"]) == 0


def test_every_benchmark_module_has_run():
    runner = load_runner()
    paths = runner.discover()
    assert any(p.endswith("bench_api.py") for p in paths)
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            assert "def run(" in handle.read(), path
