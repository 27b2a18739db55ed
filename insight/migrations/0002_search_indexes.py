"""Expression GIN indexes for full-text search in four languages, and the search terms of the
messages that exist already.

The indexed expressions are written out here as they were when this migration was made; the
queries of ``insight/text.py`` must build the very same expressions (a test checks that the
planner uses these indexes). Changing either means a new migration.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

CONFIGS = ("english", "spanish", "french", "portuguese")
ACCENTED = "áàâãäåéèêëíìîïóòôõöúùûüçñýÿ"
PLAIN = "aaaaaaeeeeiiiiooooouuuucnyy"
DOCUMENTS = {
    "cases_case": ("reference", "title", "summary"),
    "cases_seizurereport": ("reference", "place", "locode", "concealment", "summary"),
    "cases_organisation": ("name", "registration_number"),
    "cases_vessel": ("name", "vessel_type"),
    "cases_vehicle": ("description",),
    "cases_flight": ("designator",),
}


def _folded(sql: str) -> str:
    return f"translate(lower({sql}), '{ACCENTED}', '{PLAIN}')"


def _create(table: str) -> str:
    text = " || ' ' || ".join(f'"{column}"' for column in DOCUMENTS[table])
    vector = " || ".join(f"to_tsvector('{c}'::regconfig, {_folded(text)})" for c in CONFIGS)
    return f"CREATE INDEX IF NOT EXISTS {table}_fts ON {table} USING gin (({vector}))"


def index_existing_messages(apps: Any, schema_editor: Any) -> None:
    from portal.crypto import blind_index

    CaseMessage = apps.get_model("cases", "CaseMessage")
    MessageTerms = apps.get_model("insight", "MessageTerms")
    vector = " || ".join(f"to_tsvector('{c}'::regconfig, {_folded('%s::text')})" for c in CONFIGS)
    sql = f"SELECT ARRAY(SELECT DISTINCT lexeme FROM unnest({vector}))"  # noqa: S608 # nosec B608 - constant SQL
    with schema_editor.connection.cursor() as cursor:
        for message in CaseMessage.objects.order_by("pk").iterator(chunk_size=500):
            cursor.execute(sql, [message.body or ""] * len(CONFIGS))
            (stems,) = cursor.fetchone()
            MessageTerms.objects.update_or_create(
                message_id=message.pk,
                defaults={
                    "case_id": message.case_id,
                    "terms": sorted({blind_index("search-term", s)[:16] for s in stems}),
                },
            )


class Migration(migrations.Migration):
    dependencies = [
        ("insight", "0001_message_terms"),
        ("cases", "0002_records_validation_and_encryption"),
    ]

    operations = [
        *[
            migrations.RunSQL(_create(table), f"DROP INDEX IF EXISTS {table}_fts")
            for table in DOCUMENTS
        ],
        migrations.RunPython(index_existing_messages, migrations.RunPython.noop),
    ]
