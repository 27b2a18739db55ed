"""Fill the agencies catalogues (es, fr, pt) from ``glossary.py``; then compile them.

Usage, from the project root, after ``cd agencies && django-admin makemessages -l es -l fr -l
pt`` (DJANGO_SETTINGS_MODULE=portal.settings, the project on PYTHONPATH):

    python agencies/locale/fill.py
    for l in es fr pt; do msgfmt --check -o agencies/locale/$l/LC_MESSAGES/django.mo \
        agencies/locale/$l/LC_MESSAGES/django.po; done
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from glossary import P, T  # noqa: E402

LANGS = ["es", "fr", "pt"]


def unquote(text: str) -> str:
    return text.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def quote(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def fill(lang: str) -> list[str]:
    index = LANGS.index(lang)
    path = HERE / lang / "LC_MESSAGES" / "django.po"
    blocks = path.read_text(encoding="utf-8").split("\n\n")
    missing: list[str] = []
    header = blocks[0].replace("#, fuzzy\n", "")
    header = header.replace('"Language: \\n"', f'"Language: {lang}\\n"')
    header = header.replace("PACKAGE VERSION", "Enlace agencies")
    out = [header]
    nplurals = int(re.search(r"nplurals=(\d+)", header).group(1))  # type: ignore[union-attr]
    for block in blocks[1:]:
        fields: dict[str, str] = {}
        current = None
        kept: list[str] = []
        for line in block.splitlines():
            match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                current = match.group(1)
                fields[current] = match.group(2)
            elif line.startswith('"') and current:
                fields[current] += line[1:-1]
            elif not line.startswith("#, fuzzy"):
                kept.append(line)
        if "msgid" not in fields:
            out.append(block)
            continue
        msgid = unquote(fields["msgid"])
        lines = [*kept, f'msgid "{quote(msgid)}"']
        if "msgid_plural" in fields:
            plural = unquote(fields["msgid_plural"])
            forms = P.get((msgid, plural))
            if forms is None:
                missing.append(msgid)
                forms = (("", ""),) * 3
            one, many = forms[index]
            lines.append(f'msgid_plural "{quote(plural)}"')
            # Spanish has a third form (for millions) in Django's plural rule: the plural again.
            for n, text in enumerate([one] + [many] * (nplurals - 1)):
                lines.append(f'msgstr[{n}] "{quote(text)}"')
        else:
            found = T.get(msgid)
            if found is None:
                missing.append(msgid)
            lines.append(f'msgstr "{quote(found[index]) if found else ""}"')
        out.append("\n".join(lines))
    path.write_text("\n\n".join(out), encoding="utf-8")
    return missing


if __name__ == "__main__":
    problems = {lang: fill(lang) for lang in LANGS}
    for lang, missing in problems.items():
        for msgid in missing:
            print(f"{lang}: no translation for {msgid!r}")
    sys.exit(1 if any(problems.values()) else 0)
