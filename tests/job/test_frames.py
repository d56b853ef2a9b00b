"""Frame strings in the farm's syntax, both ways."""
import pytest

from rayvision_dcc.errors import JobError
from rayvision_dcc.job import count_frames, format_frames, frame_range, parse_frames


@pytest.mark.parametrize("text, frames", [
    ("1-10[1]", list(range(1, 11))),
    ("0", [0]),
    ("1,3-4[1]", [1, 3, 4]),
    ("2-4[1],10", [2, 3, 4, 10]),
    ("1-10[3]", [1, 4, 7, 10]),
    ("1-10[4]", [1, 5, 9]),
    ("5-5[1]", [5]),
    ("1-3", [1, 2, 3]),
    (" 1 - 3 [1] , 7 ", [1, 2, 3, 7]),
    ("-5--3[1]", [-5, -4, -3]),
    ("-2-2[2]", [-2, 0, 2]),
    ("3,1,2,3", [3, 1, 2]),
    ("1-5[1],3-7[1]", [1, 2, 3, 4, 5, 6, 7]),
])
def test_parse(text, frames):
    assert parse_frames(text) == frames
    assert count_frames(text) == len(frames)


@pytest.mark.parametrize("text", [
    "", "   ", None, "a", "1-", "-", "1-10[0]", "10-1[1]", "1,,2", "1-10[1", "1-10[-1]",
    "1.5", "1-10[1]x", "[1]", "1-1000001[1]",
])
def test_bad_strings_raise_with_hint(text):
    with pytest.raises(JobError) as info:
        parse_frames(text)
    assert info.value.hint
    assert info.value.message


@pytest.mark.parametrize("frames, text", [
    ([1], "1"),
    ([1, 2], "1-2[1]"),
    ([1, 3], "1,3"),
    ([1, 3, 5], "1-5[2]"),
    ([1, 2, 3, 4, 10], "1-4[1],10"),
    ([10, 2, 3, 4], "2-4[1],10"),
    ([1, 3, 4], "1,3-4[1]"),
    ([-3, -2, -1, 0], "-3-0[1]"),
    ([0, 0, 1], "0-1[1]"),
])
def test_format(frames, text):
    assert format_frames(frames) == text


def test_format_empty_raises():
    with pytest.raises(JobError):
        format_frames([])


@pytest.mark.parametrize("text", [
    "1-10[1]", "0", "1,3-4[1]", "2-4[1],10", "1-100[7],3,200-210[1]", "-10--1[3],5",
    "1,2,4,8,16,32", "1001-1010[1]",
])
def test_round_trip_keeps_the_frames(text):
    frames = parse_frames(text)
    again = parse_frames(format_frames(frames))
    assert sorted(again) == sorted(frames)


def test_frame_range():
    assert frame_range(1, 250) == "1-250[1]"
    assert frame_range(0, 10, 2) == "0-10[2]"
