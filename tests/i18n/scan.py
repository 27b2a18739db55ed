"""A heuristic scanner for visible English left outside translation tags in templates.

It removes what is translated or not shown (translate/blocktranslate, comments, variables,
other tags, scripts and styles, markup), then reports any word of letters left over, and the
same for the attributes a person reads or hears (title, placeholder, alt, aria-*).
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_DIRS = [ROOT / "templates", *sorted(ROOT.glob("*/templates"))]

# Words a reader sees in every language as written: the brand, markings, units, codes.
ALLOWED = {
    "Enlace",
    "TLP",
    "CLEAR",
    "GREEN",
    "AMBER",
    "AMBER+STRICT",
    "RED",
    "API",
    "CSV",
    "PDF",
    "XLSX",
    "UNODC",
    "TOTP",
    "QR",
    "H0",
    "H1",
    "H2",
    "H3",
    "kg",
    "g",
    "L",
    "ml",
    "HMAC",
    "SHA-256",
    "UTC",
    "IMO",
    "MMSI",
    "ISO",
    "IATA",
    "LOCODE",
    "UN/LOCODE",
    "ID",
    "URL",
    "JSON",
    "Excel",
    "HTTP",
    "ms",
    "B/L",
}

_REMOVED = [
    re.compile(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", re.S),
    re.compile(r"\{#.*?#\}"),  # one line only: Django shows a {# over several lines as text
    re.compile(r"\{%\s*blocktrans(?:late)?\b.*?\{%\s*endblocktrans(?:late)?\s*%\}", re.S),
    re.compile(r"<script\b.*?</script>", re.S | re.I),
    re.compile(r"<style\b.*?</style>", re.S | re.I),
    re.compile(r"\{%.*?%\}", re.S),
    re.compile(r"\{\{.*?\}\}", re.S),
    re.compile(r"&[a-zA-Z]+;|&#\d+;"),
]
_READ_ATTRIBUTES = re.compile(
    r"""\s(?:title|placeholder|alt|aria-label|aria-description|aria-valuetext|label)\s*=\s*(?:"([^"]*)"|'([^']*)')""",
    re.I,
)
_TAG = re.compile(r"<[^>]*>", re.S)
_WORD = re.compile(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ0-9+/'.:-]*")


def _strip(text: str) -> str:
    for pattern in _REMOVED:
        text = pattern.sub(" ", text)
    return text


def _words(text: str) -> list[str]:
    return [w.strip(".:'") for w in _WORD.findall(text) if w.strip(".:'") not in ALLOWED]


def untranslated(path: Path) -> list[str]:
    """The visible words in one template that no translation tag covers."""
    source = path.read_text(encoding="utf-8")
    found: list[str] = []
    # Attributes first, on the source with only comments, blocks and code removed.
    code_free = source
    for pattern in _REMOVED[:5]:
        code_free = pattern.sub(" ", code_free)
    for tag in _TAG.findall(code_free):
        for double, single in _READ_ATTRIBUTES.findall(tag):
            value = _strip(double or single)
            found += [f"attribute: {w}" for w in _words(value)]
    text = _strip(source)
    if path.suffix == ".html":
        text = _TAG.sub(" ", text)
    found += _words(text)
    return found


def templates() -> list[Path]:
    return sorted(p for d in TEMPLATE_DIRS for p in d.rglob("*") if p.suffix in {".html", ".txt"})
