"""The one status table: every code the protocol names has a word; unknown codes say so."""
from __future__ import annotations

from rayvision_dcc.api import statuses

#: Task codes of render-api-protocol.txt ("Task status description" and the taskStatus memo).
PROTOCOL_TASK_CODES = (0, 1, 5, 8, 10, 15, 20, 23, 25, 30, 35, 40, 45, 50)


def test_every_protocol_task_status_has_a_word():
    for code in PROTOCOL_TASK_CODES:
        label = statuses.task_label(code)
        assert label and not any(ch.isdigit() for ch in label), code


def test_terminal_and_labels():
    assert statuses.TERMINAL == frozenset((10, 15, 20, 23, 25, 30, 35, 45))
    assert statuses.TEST_DONE not in statuses.TERMINAL
    assert statuses.task_label(25) == "Done"
    assert statuses.task_label("25") == "Done"
    assert statuses.frame_label(4) == "Done"
    assert statuses.task_label(77) == "status 77"
    assert statuses.task_label(None) == "unknown"
    assert statuses.frame_label("x") == "status x"


def test_each_code_once():
    for table in (statuses.TASK_STATUSES, statuses.FRAME_STATUSES):
        codes = [s.code for s in table]
        assert len(codes) == len(set(codes))
