"""Fill empty msgstr entries of locale/*/LC_MESSAGES/django.po from a JSON glossary.

Usage: python scripts/fill_po.py locale/glossary.json
The glossary maps a language code to {msgid: msgstr}. Existing translations are kept.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENTRY = re.compile(r'(msgid "(?P<id>(?:[^"\\]|\\.)*)"\n)msgstr ""\n(?!")', re.M)


def escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def fill(po_path: Path, glossary: dict[str, str]) -> int:
    text = po_path.read_text(encoding="utf-8")
    filled = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal filled
        msgid = match.group("id").encode().decode("unicode_escape").encode("latin-1").decode()
        translation = glossary.get(msgid)
        if not msgid or translation is None:
            return match.group(0)
        filled += 1
        return f'{match.group(1)}msgstr "{escape(translation)}"\n'

    po_path.write_text(ENTRY.sub(replace, text), encoding="utf-8")
    return filled


def main(glossary_path: str) -> None:
    glossary = json.loads(Path(glossary_path).read_text(encoding="utf-8"))
    for language, entries in glossary.items():
        po = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
        print(f"{language}: {fill(po, entries)} filled")


if __name__ == "__main__":
    main(sys.argv[1])
