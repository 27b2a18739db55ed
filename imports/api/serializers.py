from __future__ import annotations

import json
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from imports.models import SeizureImport


class MappingField(serializers.JSONField):
    """``{"column header": "field key"}``, as JSON or (in a multipart form) a JSON string."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str):
            try:
                data = json.loads(data)
            except ValueError:
                raise serializers.ValidationError(
                    _("Give the mapping as a JSON object of column header to field.")
                ) from None
        if not isinstance(data, dict) or not all(
            isinstance(v, str | type(None)) for v in data.values()
        ):
            raise serializers.ValidationError(
                _("Give the mapping as a JSON object of column header to field.")
            )
        return data


class ImportUploadSerializer(serializers.Serializer[Any]):
    file = serializers.FileField(help_text=_("The table: .csv or .xlsx (multipart/form-data)."))
    mapping = MappingField(
        required=False,
        help_text=_(
            "Column header → field key (docs/IMPORT.md); columns left out are not imported. "
            "Without it, the columns are guessed from their headers."
        ),
    )
    dry_run = serializers.BooleanField(
        default=True, help_text=_("Check every row and save nothing (the default).")
    )


class RowErrorSerializer(serializers.Serializer[Any]):
    row = serializers.IntegerField(help_text=_("Row number in the file (the header is row 1)."))
    column = serializers.CharField()
    field = serializers.CharField()
    message = serializers.CharField()


class ColumnSerializer(serializers.Serializer[Any]):
    header = serializers.CharField()
    field = serializers.CharField(help_text=_("Field key, empty when not imported."))


class SeizureImportSerializer(serializers.ModelSerializer[SeizureImport]):
    columns = serializers.SerializerMethodField()

    class Meta:
        model = SeizureImport
        fields = [
            "id",
            "status",
            "file_format",
            "size",
            "row_count",
            "error_count",
            "imported_count",
            "first_reference",
            "last_reference",
            "columns",
            "created_at",
            "checked_at",
            "committed_at",
        ]
        read_only_fields = fields

    @extend_schema_field(ColumnSerializer(many=True))
    def get_columns(self, obj: SeizureImport) -> list[dict[str, str]]:
        mapping = list(obj.mapping) + [""] * (len(obj.headers) - len(obj.mapping))
        return [{"header": h, "field": f} for h, f in zip(obj.headers, mapping, strict=False)]


class ImportResultSerializer(SeizureImportSerializer):
    row_errors = RowErrorSerializer(
        many=True, read_only=True, help_text=_("Every error of every row: nothing is saved.")
    )

    class Meta(SeizureImportSerializer.Meta):
        fields = [*SeizureImportSerializer.Meta.fields, "row_errors"]
        read_only_fields = fields


# A 400 has ``rows`` when committing found row errors, otherwise per-field errors (``file``,
# ``mapping``, ...): ``rows`` is not required.
class RowsRefusedSerializer(serializers.Serializer[Any]):
    rows = RowErrorSerializer(many=True, required=False, help_text=_("Every error of every row."))
