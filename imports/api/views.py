"""``/api/v1/imports/``: upload a table of seizure reports, dry run or commit in one call.

An import belongs to its agency; anyone else's is a 404."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from imports import actions
from imports.api.serializers import (
    ImportResultSerializer,
    ImportUploadSerializer,
    RowsRefusedSerializer,
    SeizureImportSerializer,
)
from imports.models import SeizureImport
from portal.api.pagination import PortalPagination
from portal.errors import InvalidInput
from sharing.access import principals_of

NOT_FOUND = OpenApiResponse(description="No such import of your agency.")


@extend_schema_view(
    list=extend_schema(description="Your agency's imports, newest first."),
    retrieve=extend_schema(responses={200: SeizureImportSerializer, 404: NOT_FOUND}),
)
class ImportViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[SeizureImport]
):
    """Imports of seizure reports from CSV or Excel tables (docs/IMPORT.md)."""

    serializer_class = SeizureImportSerializer
    pagination_class = PortalPagination
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self) -> Any:
        agency_id = principals_of(self.request.user).agency_id
        return SeizureImport.objects.filter(owner_agency_id=agency_id).defer("content")

    def get_object(self) -> SeizureImport:
        return actions.get_import_or_404(self.request.user, self.kwargs.get("pk"))

    @extend_schema(
        request={"multipart/form-data": ImportUploadSerializer},
        responses={
            200: ImportResultSerializer,
            201: ImportResultSerializer,
            400: OpenApiResponse(
                RowsRefusedSerializer,
                description="The file or the mapping is refused (per field), or — when "
                "committing — rows have errors (``rows``: row, column, field, message) and "
                "nothing was saved.",
            ),
        },
        description="Upload a table and check every row (``dry_run``, the default: 200 with "
        "``row_errors``, every error of every row, nothing saved) or import it all or nothing "
        "(201; 400 with ``rows`` when a row has an error).",
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incoming = ImportUploadSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        created = actions.upload(request.user, data["file"], request=request)
        mapping = data.get("mapping")
        if mapping is None:
            mapping = created.mapping
        try:
            if data["dry_run"]:
                result = actions.check(request.user, created.pk, mapping, request=request)
                created.refresh_from_db()
                body = ImportResultSerializer(created).data
                body["row_errors"] = [error.as_dict() for error in result.errors]
                return Response(body, status=status.HTTP_200_OK)
            try:
                done = actions.commit(request.user, created.pk, mapping, request=request)
            except actions.RowsRefused as refused:
                rows = [error.as_dict() for error in refused.result.errors]
                return Response({"rows": rows}, status=status.HTTP_400_BAD_REQUEST)
        except InvalidInput:
            # a refused mapping leaves no file behind (its own transaction: see actions.commit)
            SeizureImport.objects.filter(pk=created.pk).delete()
            raise
        body = ImportResultSerializer(done).data
        body["row_errors"] = []
        return Response(body, status=status.HTTP_201_CREATED)
