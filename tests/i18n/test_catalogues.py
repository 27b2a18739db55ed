"""Every catalogue is complete in Spanish, French and Portuguese, and every template keeps its
visible words inside translation tags."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from scripts.fill_po import IGNORED, LANGUAGES, catalogues, incomplete, parse
from tests.i18n.scan import ROOT, templates, untranslated

CATALOGUE_DIRS = sorted({path.parents[2] for path in catalogues()})


def test_there_is_a_catalogue_per_language_for_the_project_and_each_app_with_one() -> None:
    assert ROOT / "locale" in CATALOGUE_DIRS
    for directory in CATALOGUE_DIRS:
        for language in LANGUAGES:
            po = directory / language / "LC_MESSAGES" / "django.po"
            assert po.exists(), po
            assert po.with_suffix(".mo").exists(), f"{po} is not compiled"


@pytest.mark.parametrize("po", catalogues(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_msgid_is_translated_and_none_is_fuzzy(po: Path) -> None:
    assert incomplete(po) == []


@pytest.mark.parametrize("po", catalogues(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_compiled_catalogue_is_as_new_as_its_source(po: Path) -> None:
    """The .mo must hold every msgid of the .po (someone changed a .po without compiling)."""
    import gettext

    with po.with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    language = po.parents[1].name
    for entry in parse(po):
        if not entry.msgid or entry.obsolete:
            continue
        if entry.plural:
            got = compiled.ngettext(entry.msgid, entry.fields["msgid_plural"], 5)
            expected = entry.translations()[compiled.plural(5)]  # type: ignore[attr-defined]
        elif "msgctxt" in entry.fields:
            got = compiled.pgettext(entry.fields["msgctxt"], entry.msgid)
            expected = entry.translations()[0]
        else:
            got = compiled.gettext(entry.msgid)
            expected = entry.translations()[0]
        assert got == expected, f"{language}: {entry.msgid!r} is stale in the .mo"


def test_the_catalogues_hold_every_string_of_the_sources(tmp_path: Path, settings: Any) -> None:
    """Strings wrapped in the code but never extracted would show in English: extract afresh
    from a copy of the sources and compare. On failure run ``python scripts/fill_po.py
    --update`` and translate what it lists (README, "Languages")."""
    copy = tmp_path / "src"
    shutil.copytree(
        ROOT,
        copy,
        symlinks=True,
        ignore=shutil.ignore_patterns(
            ".*",
            "var",
            "staticfiles",
            "static",
            "node_modules",
            "tests",
            "bench",
            "build",
            "docs",
            "*.mo",
            "__pycache__",
            "*.egg-info",
        ),
    )
    settings.LOCALE_PATHS = [copy / "locale"]
    here = Path.cwd()
    os.chdir(copy)
    try:
        call_command(
            "makemessages",
            locale=["es"],
            ignore_patterns=IGNORED,
            no_obsolete=True,
            no_wrap=True,
            add_location="file",
            verbosity=0,
        )
    finally:
        os.chdir(here)
    new = {}
    for fresh in copy.glob("**/locale/es/LC_MESSAGES/django.po"):
        committed = ROOT / fresh.relative_to(copy)
        known = {e.key for e in parse(committed) if e.msgid}
        missing = sorted(e.key for e in parse(fresh) if e.msgid and e.key not in known)
        if missing:
            new[str(committed.relative_to(ROOT))] = missing
    assert new == {}


PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]+\}|%%")


@pytest.mark.parametrize("po", catalogues(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_translation_keeps_the_placeholders_of_its_msgid(po: Path) -> None:
    """A dropped or misspelt %(name)s or {name} would crash or lose a value at run time."""
    wrong = []
    for entry in parse(po):
        if not entry.msgid or entry.obsolete:
            continue
        expected = set(PLACEHOLDER.findall(entry.msgid))
        if entry.plural:
            expected |= set(PLACEHOLDER.findall(entry.fields["msgid_plural"]))
            # a singular form may leave the count out ("One notification…")
            forms = entry.translations()[1:]
        else:
            forms = entry.translations()
        wrong += [
            (entry.msgid, form) for form in forms if set(PLACEHOLDER.findall(form)) != expected
        ]
    assert wrong == []


def test_the_checker_finds_an_untranslated_and_a_fuzzy_entry(tmp_path: Path) -> None:
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: es\\n"\n\n'
        'msgid "Seizure"\nmsgstr "Incautación"\n\n'
        'msgid "Vessel"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Container"\nmsgstr "Contenedor"\n\n'
        'msgid "%(n)s item"\nmsgid_plural "%(n)s items"\nmsgstr[0] "%(n)s elemento"\n'
        'msgstr[1] ""\n',
        encoding="utf-8",
    )
    assert incomplete(po) == ["Vessel", "Container", "%(n)s item"]


@pytest.mark.parametrize("template", templates(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_shows_words_outside_translation_tags(template: Path) -> None:
    assert untranslated(template) == []


FIXED_DATE = re.compile(r"""\|date:\s*["'](?!c["']|[A-Z_]+_FORMAT["'])([^"']*)["']""")


@pytest.mark.parametrize("template", templates(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_fixes_a_date_format(template: Path) -> None:
    """Dates follow the reader's language: a named format (SHORT_DATE_FORMAT…), or 'c' for
    machine-readable attributes, never a literal like "Y-m-d"."""
    assert FIXED_DATE.findall(template.read_text(encoding="utf-8")) == []


def test_the_date_format_check_catches_a_literal_format() -> None:
    text = (
        '{{ a|date:"Y-m-d" }} {{ b|date:"SHORT_DATE_FORMAT" }} <time datetime="{{ c|date:\'c\' }}">'
    )
    assert FIXED_DATE.findall(text) == ["Y-m-d"]


def test_the_scanner_sees_text_attributes_and_e_mail_lines(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        '{% load i18n %}<h1>{% translate "Cases" %}</h1><p>Seized today</p>'
        '<input placeholder="Search" aria-label="{% translate \'Search\' %}">'
        "{# a comment #}<span>TLP:{{ tlp }}</span> Enlace · 12 kg",
        encoding="utf-8",
    )
    assert untranslated(page) == ["attribute: Search", "Seized", "today"]
    mail = tmp_path / "mail.txt"
    mail.write_text("{% load i18n %}Hello {{ name }},\n{% translate 'Bye' %}\n", "utf-8")
    assert untranslated(mail) == ["Hello"]


def test_the_scanner_sees_a_comment_spread_over_lines_as_the_text_django_shows(
    tmp_path: Path,
) -> None:
    # Django's {# #} is one line only: over two lines it is printed on the page as it is
    page = tmp_path / "page.html"
    page.write_text(
        "{# one line #}{# first line\n second line #}{% comment %}kept\nout{% endcomment %}",
        encoding="utf-8",
    )
    assert untranslated(page) == ["first", "line", "second", "line"]
