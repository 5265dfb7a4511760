from rest_framework.pagination import PageNumberPagination

__all__ = ["PagePagination"]


class PagePagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
