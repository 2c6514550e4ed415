"""core/errors.py's docstring draws the whole exception tree: every class in it, under its real parent."""

from __future__ import annotations

import inspect
import re

from core import errors


def test_the_docstring_tree_is_the_class_tree() -> None:
    doc = errors.__doc__ or ""
    drawn: dict[str, str] = {}
    stack: list[tuple[int, str]] = []
    for line in doc.splitlines():
        m = re.match(r"^(\s*)(?:[│ ]*[├└]── )?([A-Z][A-Za-z]+)(?:\s|$)", line)
        if not m or m.group(2) not in vars(errors):
            continue
        depth = len(line) - len(line.lstrip(" │├└─"))
        while stack and stack[-1][0] >= depth:
            stack.pop()
        if stack:
            drawn[m.group(2)] = stack[-1][1]
        stack.append((depth, m.group(2)))
    classes = {name: cls for name, cls in vars(errors).items()
               if inspect.isclass(cls) and issubclass(cls, errors.KeytraceError) and cls.__module__ == errors.__name__}
    assert set(drawn) == set(classes) - {"KeytraceError"}, set(classes) ^ set(drawn)
    for name, parent in drawn.items():
        assert classes[name].__bases__[0].__name__ == parent, (name, parent)
