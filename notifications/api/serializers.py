from __future__ import annotations

from typing import Any

from rest_framework import serializers

from notifications.presenting import Shown


class NotificationSerializer(serializers.Serializer[Shown]):
    """A notification as its reader may see it: ``record`` and ``text`` come through the access
    door; when the record is no longer visible, ``available`` is false and ``record`` null."""

    id = serializers.IntegerField(read_only=True)
    event_id = serializers.UUIDField(read_only=True)
    kind = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]
    text = serializers.CharField(read_only=True)
    available = serializers.BooleanField(read_only=True)
    record = serializers.CharField(read_only=True, allow_null=True)
    url = serializers.CharField(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)
    read_at = serializers.DateTimeField(read_only=True, allow_null=True)

    def to_representation(self, instance: Any) -> Any:
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is not None and data.get("url"):
            data["url"] = request.build_absolute_uri(data["url"])
        return data


class UnreadCountSerializer(serializers.Serializer[dict[str, int]]):
    unread_count = serializers.IntegerField()


class MarkedSerializer(serializers.Serializer[dict[str, int]]):
    marked = serializers.IntegerField()
