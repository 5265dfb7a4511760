from django.utils.translation import gettext
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

__all__ = ["PagePagination"]


class PagePagination(PageNumberPagination):
    """Pages of 50 (``page_size`` up to 200). A page or page size that is not a whole number in range is a 400,
    not silently replaced; a page beyond the last is a 404."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        raw = request.query_params.getlist(self.page_size_query_param)
        if not raw:
            return self.page_size
        try:
            size = int(raw[-1])
        except ValueError:
            size = 0
        if len(raw) > 1 or not 1 <= size <= self.max_page_size:
            raise ValidationError(
                {"page_size": [gettext("A whole number from 1 to {limit}.").format(limit=self.max_page_size)]}
            )
        return size

    def get_page_number(self, request, paginator):
        raw = request.query_params.getlist(self.page_query_param)
        if not raw:
            return 1
        if len(raw) > 1 or not raw[-1].isdigit() or int(raw[-1]) < 1:
            raise ValidationError({"page": [gettext("A whole number from 1.")]})
        return int(raw[-1])
