"""Content negotiation: DRF's, with its commonest question answered without parsing anything."""

from rest_framework.negotiation import DefaultContentNegotiation

__all__ = ["ContentNegotiation"]


class ContentNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        """A request that accepts anything (no Accept header, or ``*/*``) and names no format gets the view's first
        renderer with its own media type, as DRF's matching would answer after parsing; any other request is
        negotiated by DRF."""
        if (
            renderers
            and not format_suffix
            and request.META.get("HTTP_ACCEPT", "*/*") == "*/*"
            and self.settings.URL_FORMAT_OVERRIDE not in request.query_params
        ):
            return renderers[0], renderers[0].media_type
        return super().select_renderer(request, renderers, format_suffix)
