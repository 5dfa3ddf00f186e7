#!/usr/bin/env python3
"""Rewrites every README code block that names a repository file ("// file: PATH" or
"# file: PATH" on its first line) with that file's current content. The tests then check the
two agree (scripts/check_readme_examples.py). Standard library only."""
import pathlib
import re
import sys

readme = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "README.md")
root = readme.parent


def refresh(m: re.Match) -> str:
    fence, first, path = m.group(1), m.group(2), m.group(3)
    return f"{fence}\n{first}\n{(root / path).read_text(encoding='utf-8')}```"


text = readme.read_text(encoding="utf-8")
text = re.sub(r"(```[a-z]*)\n(\s*(?://|#)\s*file:\s*(\S+)\s*)\n.*?```", refresh, text, flags=re.S)
readme.write_text(text, encoding="utf-8")
