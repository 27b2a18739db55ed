"""The contract between the apps and notifications: every kind an app emits is a known kind
(with its sentence in three languages), and every known kind is emitted by its app."""

from __future__ import annotations

import ast
from pathlib import Path

from notifications.kinds import KINDS
from tests.conftest import ROOT

APPS = ["agencies", "cases", "sharing", "hits", "audit", "portal"]
EMITTERS = {"emit", "emit_many", "_emit_to_recipients_and_owner"}


def _emitted() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call) or not node.args:
                    continue
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                first = node.args[0]
                if name in EMITTERS and isinstance(first, ast.Constant):
                    where = f"{path.relative_to(ROOT)}:{node.lineno}"
                    found.setdefault(str(first.value), []).append(where)
    return found


def test_every_emitted_kind_is_known() -> None:
    unknown = {kind: where for kind, where in _emitted().items() if kind not in KINDS}
    assert not unknown, f"emitted but not in notifications/kinds.py: {unknown}"


def test_every_kind_is_emitted_by_its_app() -> None:
    emitted = _emitted()
    # the hits app has no actions yet (issue 7); once it has, it must emit hit.created
    pending = set() if Path(ROOT / "hits" / "actions.py").exists() else {"hit.created"}
    missing = sorted(set(KINDS) - set(emitted) - pending)
    assert not missing, f"kinds nobody emits: {missing}"


def test_every_kind_reads_in_spanish_and_french() -> None:
    from django.utils import translation

    strings = []
    for kind in KINDS.values():
        strings += [kind.label, kind.text]
        strings += [kind.fallback] if kind.fallback is not None else []
        for variant in kind.variants:
            strings += [variant.label, variant.text]
    with translation.override("en"):
        english = [str(s) for s in strings]
    for language in ("es", "fr"):
        with translation.override(language):
            untranslated = [e for s, e in zip(strings, english, strict=True) if str(s) == e]
        assert not untranslated, (language, untranslated)
