"""Keep the interface's catalogues (locale/ and each app's locale/) complete in es, fr, pt.

    python scripts/fill_po.py           # fill empty and fuzzy entries from locale/glossary.json
    python scripts/fill_po.py --update  # first re-read the sources (makemessages), then fill
    python scripts/fill_po.py --check   # only report what is missing (exit 1 if anything)

The glossary is authoritative: where it has a msgid, every catalogue gets its translation (one
word, one translation, whichever catalogue Django reads first); elsewhere a catalogue keeps
its own. Fuzzy marks are cleared only where the glossary gives the exact msgid. Filling
compiles the .mo files and lists what no glossary covers (exit status 1): add those to the
glossary and run again. The glossary maps each msgid to its es, fr and pt translations; a
plural entry maps to [[es one, es many], [fr ...], [pt ...]]; a msgid with a context is keyed
"context\u0004msgid".
"""

from __future__ import annotations

import json
import os
import re
import subprocess  # nosec B404 - msgfmt, a fixed local tool
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "locale" / "glossary.json"
LANGUAGES = ("es", "fr", "pt")
IGNORED = ["tests/*", "bench/*", "build/*", "scripts/*", "var/*", "staticfiles/*", "*.egg-info/*"]
FIELD = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$')


def unquote(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text)


def quote(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")


@dataclass
class Entry:
    comments: list[str] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)
    obsolete: bool = False

    @property
    def msgid(self) -> str:
        return self.fields.get("msgid", "")

    @property
    def key(self) -> str:
        """The glossary's key: the msgid, after its context and EOT when it has one."""
        context = self.fields.get("msgctxt")
        return f"{context}\x04{self.msgid}" if context is not None else self.msgid

    @property
    def plural(self) -> bool:
        return "msgid_plural" in self.fields

    @property
    def fuzzy(self) -> bool:
        return any(c.startswith("#,") and "fuzzy" in c for c in self.comments)

    def translations(self) -> list[str]:
        return [v for k, v in self.fields.items() if k.startswith("msgstr")]

    @property
    def complete(self) -> bool:
        return not self.fuzzy and all(self.translations())

    def unfuzz(self) -> None:
        kept = []
        for comment in self.comments:
            if comment.startswith("#,"):
                flags = [f.strip() for f in comment[2:].split(",") if f.strip() != "fuzzy"]
                if not flags:
                    continue
                comment = "#, " + ", ".join(flags)
            if comment.startswith("#|"):
                continue  # the previous msgid of a fuzzy match
            kept.append(comment)
        self.comments = kept

    def render(self) -> str:
        lines = list(self.comments)
        for key, value in self.fields.items():
            parts = value.splitlines(keepends=True)
            if len(parts) > 1:  # the header, one line per field, as gettext writes it
                lines.append(f'{key} ""')
                lines += [f'"{quote(part)}"' for part in parts]
            else:
                lines.append(f'{key} "{quote(value)}"')
        return "\n".join(lines)


def parse(path: Path) -> list[Entry]:
    entries: list[Entry] = []
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        entry = Entry()
        current = None
        for line in block.splitlines():
            if line.startswith("#~"):
                entry.obsolete = True
                entry.comments.append(line)
                continue
            match = FIELD.match(line)
            if match:
                current = match.group(1)
                entry.fields[current] = unquote(match.group(2))
            elif line.startswith('"') and current:
                entry.fields[current] += unquote(line[1:-1])
            else:
                entry.comments.append(line)
        entries.append(entry)
    return entries


def write(path: Path, entries: list[Entry]) -> None:
    path.write_text("\n\n".join(e.render() for e in entries) + "\n", encoding="utf-8")


def catalogues() -> list[Path]:
    found = ROOT.glob("**/locale/*/LC_MESSAGES/django.po")
    return sorted(p for p in found if ".venv" not in p.parts)


def incomplete(path: Path) -> list[str]:
    """The msgids of ``path`` that are untranslated or fuzzy (the header aside)."""
    return [e.key for e in parse(path) if e.msgid and not e.obsolete and not e.complete]


def fill(path: Path, glossary: dict[str, list[object]], language: str) -> list[str]:
    index = LANGUAGES.index(language)
    entries = parse(path)
    missing = []
    for entry in entries:
        if not entry.msgid:  # the header: a real one, never fuzzy
            entry.unfuzz()
            entry.fields["msgstr"] = entry.fields["msgstr"].replace("PACKAGE VERSION", "Enlace")
            entry.fields["msgstr"] = re.sub(
                r"Language: [^\n]*\n", f"Language: {language}\n", entry.fields["msgstr"]
            )
            continue
        if entry.obsolete:
            continue
        found = glossary.get(entry.key)
        if found is None:
            if not entry.complete:
                missing.append(entry.key)
            continue
        translated = found[index]
        keys = [k for k in entry.fields if k.startswith("msgstr")]
        if entry.plural:
            one, many = cast(list[str], translated)
            for n, key in enumerate(keys):
                entry.fields[key] = one if n == 0 else many
        else:
            entry.fields["msgstr"] = str(translated)
        entry.unfuzz()
    write(path, entries)
    return missing


def update() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    os.chdir(ROOT)
    call_command(
        "makemessages",
        locale=list(LANGUAGES),
        ignore_patterns=IGNORED,
        add_location="file",
        no_obsolete=True,
        no_wrap=True,
        verbosity=0,
    )


def compile_catalogue(path: Path) -> None:
    command = ["msgfmt", "--check-format", "--check-domain", "-o", str(path.with_suffix(".mo"))]
    subprocess.run([*command, str(path)], check=True)  # nosec B603 B607 - msgfmt on our own files


def main(argv: list[str]) -> int:
    if "--update" in argv:
        update()
    glossary = json.loads(GLOSSARY.read_text(encoding="utf-8"))
    problems = 0
    for path in catalogues():
        language = path.parent.parent.name
        if "--check" in argv:
            missing = incomplete(path)
        else:
            missing = fill(path, glossary, language)
            compile_catalogue(path)
        for msgid in missing:
            print(f"{path.relative_to(ROOT)}: no translation for {msgid!r}")
        problems += len(missing)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
