"""Reading MaxScript files for the checks that can be made without 3ds Max.

``scan(text)`` splits a MaxScript source into code (comments and string contents blanked)
and string literals, and reports unbalanced brackets or an unclosed string or comment.
MaxScript: ``--`` line comments, ``/* */`` block comments, ``"..."`` strings with
backslash escapes (``\\n``, ``\\"``, ``\\\\``, ``\\t``) and ``@"..."`` verbatim strings.
"""
from __future__ import annotations

_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r", "%": "%"}
_PAIRS = {")": "(", "]": "["}


class MaxScriptText(object):
    def __init__(self, code, strings, problems):
        self.code = code          # the source with comments and string contents blanked
        self.strings = strings    # [(offset in code, value)] of every string literal
        self.problems = problems  # what is unbalanced or unclosed


def scan(text):
    code = []
    strings = []
    problems = []
    stack = []
    i = 0
    size = len(text)
    while i < size:
        char = text[i]
        if text.startswith("--", i):
            end = text.find("\n", i)
            end = size if end < 0 else end
            code.append(" " * (end - i))
            i = end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                problems.append("unclosed /* comment at offset {}".format(i))
                end = size
            else:
                end += 2
            code.append(" " * (end - i))
            i = end
        elif text.startswith('@"', i):
            end = text.find('"', i + 2)
            if end < 0:
                problems.append("unclosed verbatim string at offset {}".format(i))
                end = size - 1
            strings.append((len("".join(code)), text[i + 2:end]))
            code.append('""'.ljust(end + 1 - i))
            i = end + 1
        elif char == '"':
            value = []
            j = i + 1
            while j < size and text[j] != '"':
                if text[j] == "\\" and j + 1 < size:
                    value.append(_ESCAPES.get(text[j + 1], "\\" + text[j + 1]))
                    j += 2
                else:
                    value.append(text[j])
                    j += 1
            if j >= size:
                problems.append("unclosed string at offset {}".format(i))
            strings.append((len("".join(code)), "".join(value)))
            code.append('""'.ljust(j + 1 - i))
            i = j + 1
        else:
            if char in "([":
                stack.append((char, i))
            elif char in ")]":
                if not stack or stack[-1][0] != _PAIRS[char]:
                    problems.append("unbalanced {!r} at offset {}".format(char, i))
                else:
                    stack.pop()
            code.append(char)
            i += 1
    problems.extend("unclosed {!r} at offset {}".format(char, at) for char, at in stack)
    return MaxScriptText("".join(code), strings, problems)
