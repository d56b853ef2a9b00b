"""Fixtures of the 3ds Max plug-in tests: the bundle's Python on sys.path and a fake Max.

``max_session(scene)`` installs a ``FakeMax`` over ``scene`` as ``pymxs`` and ``qtmax`` for
one test (tests/hosts/max/fake_pymxs.py says what it answers and how it fails).
"""
from __future__ import annotations

import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
BUNDLE = os.path.join(ROOT, "max")
CONTENTS = os.path.join(BUNDLE, "Contents")


def pytest_configure(config):
    # pytest-qt's QApplication may be made before the per-test isolation sets offscreen.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def bundle_on_path(monkeypatch):
    monkeypatch.syspath_prepend(os.path.join(CONTENTS, "python"))


@pytest.fixture
def max_session(monkeypatch):
    from fake_pymxs import FakeMax

    def make(scene):
        return FakeMax(scene).install(monkeypatch)
    return make
