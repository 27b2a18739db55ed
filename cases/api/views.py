"""``/api/v1/cases/``, ``/api/v1/seizures/``, ``/api/v1/attachments/``.

Lists go through the access door (``DoorListMixin``); details through
``get_visible_or_404``; writes through ``cases.actions``. Invisible records are 404; records
the caller sees but does not own answer 403 on edit.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, StreamingHttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from audit.log import record as audit
from audit.log import record_denied, record_view
from cases import actions
from cases.api.serializers import (
    AttachmentSerializer,
    AttachmentUploadSerializer,
    CaseMessageSerializer,
    CaseSerializer,
    SeizureReportListSerializer,
    SeizureReportSerializer,
)
from cases.filters import CaseFilter, SeizureFilter
from cases.models import Attachment, Case, CaseMessage, SeizureReport
from cases.visibility import visible_case_ids
from portal.api.door import DoorListMixin
from portal.api.pagination import PortalPagination
from sharing.access import get_visible_or_404
from sharing.models import Level

NOT_FOUND = OpenApiResponse(description="No such record, or not visible to the caller.")
CONFLICT = OpenApiResponse(description="The record changed since the caller read it (version).")
NOT_OWNER = OpenApiResponse(description="The caller sees the record but does not own it.")


class _RecordViewSet(
    DoorListMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    view_audit_action = ""
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self) -> Any:
        # Only for schema generation and the router; reads use the door.
        return self.door_model._default_manager.none()

    def get_object(self) -> Any:
        return self._door_get(self.door_detail_queryset(), Level.SUMMARY)

    def _door_get(self, queryset: Any, level: int) -> Any:
        """The record at ``level`` or 404, the refusal audited (what was tried, by whom)."""
        try:
            return get_visible_or_404(self.request.user, queryset, level, pk=self._pk())
        except (Http404, exceptions.NotFound):
            self._denied()
            raise

    def _denied(self) -> None:
        noun = self.view_audit_action.split(".")[0]
        writing = self.request.method not in ("GET", "HEAD", "OPTIONS")
        action = self.view_audit_action
        if self.action in ("update", "partial_update"):
            action = f"{noun}.changed"
        elif writing and self.action == "attachments":
            action = "attachment.uploaded"
        elif writing and self.action == "messages":
            action = "message.created"
        record_denied(self.request, self.door_model, self.kwargs.get("pk", ""), action=action)

    def _pk(self) -> int:
        try:
            return int(self.kwargs["pk"])
        except (TypeError, ValueError):
            raise exceptions.NotFound() from None

    def door_detail_queryset(self) -> Any:
        return self.door_model._default_manager.select_related("owner_agency")

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()
        audit(
            self.view_audit_action,
            request=request,
            obj=instance,
            access_level=int(instance.access_level),
        )
        response = Response(self._serialize(instance))
        response["ETag"] = f'"{instance.version}"'
        return response

    def _serialize(self, instance: Any) -> Any:
        context = {**self.get_serializer_context(), **self.door_context([instance])}
        return self.get_serializer(instance, context=context).data

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()
        if int(instance.access_level) < Level.OWNER:
            self._denied()
            raise exceptions.PermissionDenied(_("Only the owner agency can change this record."))
        data: Any = request.data.copy() if hasattr(request.data, "copy") else dict(request.data)
        if_match = request.headers.get("If-Match", "").strip('W/"')
        if "version" not in data and if_match.isdigit():
            data["version"] = int(if_match)
        serializer = self.get_serializer(instance, data=data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        saved = serializer.save()
        fresh = get_visible_or_404(request.user, self.door_detail_queryset(), pk=saved.pk)
        response = Response(self._serialize(fresh))
        response["ETag"] = f'"{fresh.version}"'
        return response

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        saved = serializer.save()
        fresh = get_visible_or_404(request.user, self.door_detail_queryset(), pk=saved.pk)
        return Response(self._serialize(fresh), status=status.HTTP_201_CREATED)

    # attachments of a record, shared by both viewsets
    def _attachments(self, request: Request, field: str) -> Response:
        record = self.get_object()
        if request.method == "POST":
            upload = AttachmentUploadSerializer(data=request.data)
            upload.is_valid(raise_exception=True)
            if int(record.access_level) < Level.CONTRIBUTE:
                self._denied()
                if int(record.access_level) < Level.FULL:
                    raise exceptions.NotFound()
                raise exceptions.PermissionDenied(
                    _("Adding evidence needs the owner agency or a contribute-level share.")
                )
            attachment = actions.add_attachment(
                request.user,
                upload.validated_data["file"],
                kind=upload.validated_data["kind"],
                description=upload.validated_data.get("description", ""),
                request=request,
                **{f"{field}_id": record.pk},
            )
            return Response(
                AttachmentSerializer(attachment, context=self.get_serializer_context()).data,
                status=status.HTTP_201_CREATED,
            )
        if int(record.access_level) < Level.FULL:
            self._denied()
            raise exceptions.NotFound()  # summary level never sees attachments
        rows = Attachment.objects.filter(**{field: record}).select_related("agency")
        paginator = PortalPagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        audit(
            self.view_audit_action,
            request=request,
            obj=record,
            part="attachments",
            access_level=int(record.access_level),
        )
        data = AttachmentSerializer(page, many=True, context=self.get_serializer_context()).data
        return paginator.get_paginated_response(data)


_record_docs = {
    "list": extend_schema(description="Newest first, through the access door."),
    "retrieve": extend_schema(responses={200: None, 404: NOT_FOUND}),
    "update": extend_schema(
        responses={200: None, 400: None, 403: NOT_OWNER, 404: NOT_FOUND, 409: CONFLICT}
    ),
    "partial_update": extend_schema(
        responses={200: None, 400: None, 403: NOT_OWNER, 404: NOT_FOUND, 409: CONFLICT}
    ),
}


@extend_schema_view(**_record_docs)
class CaseViewSet(_RecordViewSet):
    """Cases of your agency and those shared with you."""

    door_model = Case
    serializer_class = CaseSerializer
    filterset_class = CaseFilter
    list_audit_action = "case.listed"
    view_audit_action = "case.viewed"

    def door_page(self, queryset: Any) -> Any:
        return queryset.select_related("owner_agency", "created_by")

    def door_detail_queryset(self) -> Any:
        return Case.objects.select_related("owner_agency", "created_by")

    @extend_schema(
        methods=["GET"],
        responses={200: CaseMessageSerializer(many=True), 404: NOT_FOUND},
        description="The case's message thread, oldest first (owner and contribute level).",
    )
    @extend_schema(
        methods=["POST"],
        request=CaseMessageSerializer,
        responses={201: CaseMessageSerializer, 400: None, 404: NOT_FOUND},
        description="Post to the thread; tells the owner agency and contribute-level partners.",
    )
    @action(detail=True, methods=["get", "post"], pagination_class=PortalPagination)
    def messages(self, request: Request, pk: str | None = None) -> Response:
        case = self._door_get(Case.objects.all(), Level.CONTRIBUTE)
        if request.method == "POST":
            incoming = CaseMessageSerializer(data=request.data)
            incoming.is_valid(raise_exception=True)
            message = actions.post_message(
                request.user, case.pk, incoming.validated_data["body"], request=request
            )
            return Response(CaseMessageSerializer(message).data, status=status.HTTP_201_CREATED)
        rows = CaseMessage.objects.filter(case=case).select_related("author", "agency")
        page = self.paginate_queryset(rows)
        audit("case.viewed", request=request, obj=case, part="messages")
        return self.get_paginated_response(CaseMessageSerializer(page, many=True).data)

    @extend_schema(
        methods=["GET"],
        responses={200: AttachmentSerializer(many=True), 404: NOT_FOUND},
        description="Evidence files on the case (level full and above).",
    )
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={201: AttachmentSerializer, 400: None, 403: NOT_OWNER, 404: NOT_FOUND},
        description="Upload evidence (owner or contribute level). Checked by content.",
    )
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[MultiPartParser, FormParser],
        pagination_class=PortalPagination,
    )
    def attachments(self, request: Request, pk: str | None = None) -> Response:
        return self._attachments(request, "case")


@extend_schema_view(**_record_docs)
class SeizureViewSet(_RecordViewSet):
    """Seizure reports of your agency and those shared with you, with items and entities."""

    door_model = SeizureReport
    filterset_class = SeizureFilter
    list_audit_action = "seizure.listed"
    view_audit_action = "seizure.viewed"

    def get_serializer_class(self) -> Any:
        if self.action == "list":
            return SeizureReportListSerializer
        return SeizureReportSerializer

    def door_page(self, queryset: Any) -> Any:
        return queryset.select_related("owner_agency", "case").prefetch_related("items")

    def door_context(self, rows: list[Any]) -> dict[str, Any]:
        return {"visible_cases": visible_case_ids(self.request.user, rows)}

    def door_detail_queryset(self) -> Any:
        return SeizureReport.objects.select_related("owner_agency", "case").prefetch_related(
            "items",
            "persons",
            "organisations",
            "vessels",
            "containers",
            "flights",
            "vehicles",
        )

    @extend_schema(
        methods=["GET"],
        responses={200: AttachmentSerializer(many=True), 404: NOT_FOUND},
        description="Evidence files on the seizure report (level full and above).",
    )
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={201: AttachmentSerializer, 400: None, 403: NOT_OWNER, 404: NOT_FOUND},
        description="Upload evidence (owner or contribute level). Checked by content.",
    )
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[MultiPartParser, FormParser],
        pagination_class=PortalPagination,
    )
    def attachments(self, request: Request, pk: str | None = None) -> Response:
        return self._attachments(request, "seizure")


class AttachmentViewSet(viewsets.GenericViewSet):
    """One evidence file: its description, and its content for readers at level full."""

    serializer_class = AttachmentSerializer

    def get_queryset(self) -> Any:
        return Attachment.objects.none()

    @extend_schema(responses={200: AttachmentSerializer, 404: NOT_FOUND})
    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        try:
            attachment = _visible_attachment(request, pk)
        except (Http404, exceptions.NotFound):
            record_denied(
                request, Attachment, pk or "", object_agency=_record_owner_of_attachment(pk)
            )
            raise
        record_view(request, attachment, object_agency=getattr(attachment, "owner_agency_id", None))
        return Response(self.get_serializer(attachment).data)

    @extend_schema(
        responses={
            # The stored file's own type (image/png, application/pdf, ...), found from content.
            (200, "*/*"): OpenApiResponse(
                response=OpenApiTypes.BINARY, description="The decrypted file, in its own type."
            ),
            404: NOT_FOUND,
        }
    )
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: str | None = None) -> StreamingHttpResponse:
        return attachment_response(request, _pk_or_404(pk))


def _pk_or_404(pk: Any) -> int:
    try:
        return int(pk)
    except (TypeError, ValueError):
        raise exceptions.NotFound() from None


def _visible_attachment(request: Request, pk: Any) -> Attachment:
    attachment = Attachment.objects.select_related("agency").filter(pk=_pk_or_404(pk)).first()
    if attachment is None:
        raise exceptions.NotFound()
    if attachment.case_id:
        record: Any = get_visible_or_404(request.user, Case, Level.FULL, pk=attachment.case_id)
    else:
        record = get_visible_or_404(
            request.user, SeizureReport, Level.FULL, pk=attachment.seizure_id
        )
    attachment.owner_agency_id = record.owner_agency_id  # type: ignore[attr-defined]
    return attachment


def _record_owner_of_attachment(pk: Any) -> int | None:
    """The agency owning the case or report an attachment belongs to (for a denied entry)."""
    try:
        row = (
            Attachment.objects.filter(pk=int(pk))
            .values_list("case__owner_agency_id", "seizure__owner_agency_id")
            .first()
        )
    except (TypeError, ValueError):
        return None
    return (row[0] or row[1]) if row else None


def attachment_response(request: Any, attachment_id: int) -> StreamingHttpResponse:
    """The decrypted file as a download (never rendered inline), audited."""
    try:
        attachment, content = actions.open_attachment(request.user, attachment_id, request=request)
    except Http404:
        record_denied(
            request,
            Attachment,
            attachment_id,
            action="attachment.downloaded",
            object_agency=_record_owner_of_attachment(attachment_id),
        )
        raise
    response = StreamingHttpResponse(content, content_type=attachment.content_type)
    response["Content-Length"] = str(attachment.size)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=attachment.filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
