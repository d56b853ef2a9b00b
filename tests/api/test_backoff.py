"""The one retry rule the API client and the transfers share."""
import pytest

from rayvision_dcc.api.retry import Backoff


def test_delays_double_up_to_the_cap_and_attempts_are_counted():
    waits = []
    backoff = Backoff(retries=4, base=0.5, cap=3.0, jitter=False, sleep=waits.append)
    assert [backoff.delay(n) for n in (1, 2, 3, 4)] == [0.5, 1.0, 2.0, 3.0]
    assert backoff.allows(4) and not backoff.allows(5)
    jittered = Backoff(base=1.0, cap=10.0)
    assert all(0.5 <= jittered.delay(1) <= 1.0 for _ in range(50))
    backoff.pause(2, "upload", ValueError("boom"))
    assert waits == [1.0]


def test_call_retries_what_may_be_retried_then_gives_up_with_its_own_error():
    waits = []
    backoff = Backoff(retries=2, base=0.1, jitter=False, sleep=waits.append)
    answers = iter([OSError("reset"), OSError("reset"), "done"])

    def flaky():
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer
    assert backoff.call(flaky, lambda exc: isinstance(exc, OSError)) == "done"
    assert waits == [0.1, 0.2]

    def always():
        raise OSError("down")
    with pytest.raises(RuntimeError) as err:
        backoff.call(always, lambda exc: True,
                     give_up=lambda exc, attempts: RuntimeError("{} tries".format(attempts)))
    assert str(err.value) == "3 tries" and isinstance(err.value.__cause__, OSError)
    calls = []

    def refused():
        calls.append(1)
        raise ValueError("no")
    with pytest.raises(ValueError):
        backoff.call(refused, lambda exc: not isinstance(exc, ValueError))
    assert calls == [1]


def test_a_list_of_delays_is_the_schedule():
    waits = []
    backoff = Backoff(delays=(5, 15, 30), sleep=waits.append)
    assert backoff.retries == 3 and backoff.allows(3) and not backoff.allows(4)
    assert [backoff.delay(n) for n in (1, 2, 3)] == [5.0, 15.0, 30.0]  # no jitter
    backoff.pause(2, "transfer", "exit 1")
    assert waits == [15.0]
    assert not Backoff(delays=()).allows(1)
