from __future__ import annotations

from rest_framework.pagination import PageNumberPagination


class PortalPagination(PageNumberPagination):
    """``{"count", "next", "previous", "results"}``, 50 a page, up to 200 on request."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
