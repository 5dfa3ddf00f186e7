#!/usr/bin/env python3
"""Checks that every README code block that names a repository file is that file, verbatim.

A block is tied to a file by its first line: a comment "// file: PATH" (C++) or "# file: PATH"
(shell, Python, JSON lines). The rest of the block must equal the file's content.
Standard library only; run with Debian's /usr/bin/python3.
"""
import pathlib
import re
import sys


def main() -> int:
    readme = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "README.md")
    root = readme.parent
    text = readme.read_text(encoding="utf-8")
    blocks = re.findall(r"```[a-z]*\n(.*?)```", text, flags=re.S)
    checked, failures = 0, []
    for block in blocks:
        first, _, rest = block.partition("\n")
        m = re.match(r"\s*(?://|#)\s*file:\s*(\S+)\s*$", first)
        if not m:
            continue
        path = root / m.group(1)
        checked += 1
        if not path.exists():
            failures.append(f"{m.group(1)}: named in the README but missing")
        elif path.read_text(encoding="utf-8") != rest:
            failures.append(f"{m.group(1)}: README block differs from the file")
    for f in failures:
        print("FAIL", f)
    print(f"{checked} README examples checked, {len(failures)} differ")
    return 1 if failures or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
