"""Tables to upload: CSV and Excel files built in memory."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from insight.tabular import XLSX_CONTENT_TYPE, xlsx_bytes

HEADER = ["Fecha", "País", "Modo de transporte", "Sustancia", "Cantidad", "Unidad",
          "Contenedor", "Lugar"]  # fmt: skip
GOOD = ["02/03/2026", "JM", "contenedor", "cocaína", "12,5", "kg", "CSQU3054383", "Kingston"]


def csv_file(rows: Sequence[Sequence[Any]], header: Sequence[str] = HEADER,
             name: str = "seizures.csv", delimiter: str = ",") -> SimpleUploadedFile:  # fmt: skip
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8-sig"), "text/csv")


def xlsx_file(rows: Sequence[Sequence[Any]], header: Sequence[str] = HEADER,
              name: str = "seizures.xlsx") -> SimpleUploadedFile:  # fmt: skip
    return SimpleUploadedFile(name, xlsx_bytes("Seizures", header, rows), XLSX_CONTENT_TYPE)
