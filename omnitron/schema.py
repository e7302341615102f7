"""OpenAPI generation tweaks."""

from drf_spectacular.openapi import AutoSchema


class OmnitronAutoSchema(AutoSchema):
    """Integration endpoints answer under /api/i1/ and /api/v1/; keep their operationIds apart."""

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation and self.path.startswith("/api/i1/"):
            operation["operationId"] = f"i1_{operation['operationId']}"
        return operation
