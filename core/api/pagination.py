from django.core.paginator import Paginator
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination


class CountingPaginator(Paginator):
    """Counts `object_list.count_source` when the list has one: the fast list's rows carry
    their columns (joins, subqueries) that the count does not need."""

    @cached_property
    def count(self):
        return getattr(self.object_list, "count_source", self.object_list).count()


class Pagination(PageNumberPagination):
    django_paginator_class = CountingPaginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
