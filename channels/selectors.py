"""Reads for channels: which channels a user may see, and the channel-scoped lookups."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from channels.models import (
    Address,
    CargoCompany,
    Channel,
    ChannelMembership,
    City,
    Country,
    Customer,
    District,
    RetailStore,
    Township,
)
from omnitron.errors import NotFoundError
from omnitron.prepared import PreparedValues

_CACHE_ATTR = "_omnitron_channel_ids"
_MEMBERSHIPS = PreparedValues(
    lambda user_id: ChannelMembership.objects.filter(user_id=user_id).values("channel_id"), kinds=("value",)
)


def user_sees_all_channels(user) -> bool:
    return bool(user.is_staff or user.is_superuser)


def user_channel_ids(user) -> list[int] | None:
    """Ids of the channels ``user`` is a member of; None means every channel (staff).

    Cached on the user object, so one request asks the database once.
    """
    if user_sees_all_channels(user):
        return None
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = [row["channel_id"] for row in _MEMBERSHIPS.rows(user.pk)]
        setattr(user, _CACHE_ATTR, cached)
    return cached


def scope_to_user_channels(queryset: QuerySet, user, field: str = "channel_id") -> QuerySet:
    """Restrict ``queryset`` to rows whose ``field`` is one of the user's channels."""
    ids = user_channel_ids(user)
    if ids is None:
        return queryset
    return queryset.filter(**{f"{field}__in": ids})


def channel_check_access(*, user, channel_id: int) -> None:
    """Raise NotFoundError unless the channel exists and ``user`` may see it."""
    ids = user_channel_ids(user)
    exists = Channel.objects.filter(pk=channel_id).exists() if ids is None else channel_id in ids
    if not exists:
        raise NotFoundError()


def channel_get_for_user(*, user, channel_id: int) -> Channel:
    """The channel, or NotFoundError when it does not exist or ``user`` is not a member."""
    channel = scope_to_user_channels(Channel.objects.filter(pk=channel_id), user, field="id").first()
    if channel is None:
        raise NotFoundError()
    return channel


def customer_list(*, channel_id: int) -> QuerySet[Customer]:
    return Customer.objects.filter(channel_id=channel_id).order_by("id")


def customer_search(term: str) -> QuerySet[Customer]:
    """Customers whose e-mail, first name or last name starts with ``term``, or, for several words,
    whose first name starts with all but the last word and last name with the last (case-insensitive,
    each an index range scan on PostgreSQL); newest first."""
    term = " ".join(term.split())
    condition = Q(email__istartswith=term) | Q(first_name__istartswith=term) | Q(last_name__istartswith=term)
    first, _, last = term.rpartition(" ")
    if first:
        condition |= Q(first_name__istartswith=first, last_name__istartswith=last)
    return Customer.objects.filter(condition).order_by("-id")


def address_list(*, channel_id: int) -> QuerySet[Address]:
    return (
        Address.objects.filter(channel_id=channel_id)
        .select_related("country", "city", "township", "district")
        .order_by("id")
    )


def country_list() -> QuerySet[Country]:
    return Country.objects.filter(is_active=True).order_by("name", "id")


def city_list() -> QuerySet[City]:
    return City.objects.filter(is_active=True).order_by("name", "id")


def township_list() -> QuerySet[Township]:
    return Township.objects.filter(is_active=True).order_by("name", "id")


def district_list() -> QuerySet[District]:
    return District.objects.filter(is_active=True).order_by("name", "id")


def cargo_company_list() -> QuerySet[CargoCompany]:
    return CargoCompany.objects.filter(is_active=True).order_by("name", "id")


def channel_list_for_user(*, user) -> QuerySet[Channel]:
    """The channels ``user`` may see (every channel for staff)."""
    return scope_to_user_channels(Channel.objects.order_by("id"), user, field="id")


def retail_store_list() -> QuerySet[RetailStore]:
    return RetailStore.objects.filter(is_active=True).order_by("name", "id")


# The apps whose models the API names (content types of integration actions, error reports):
# their model names are unique across them, so ``?model=`` finds exactly one row.
API_CONTENT_TYPE_APPS = ("channels", "catalog", "orders", "integrations")


def content_type_list() -> QuerySet[ContentType]:
    return ContentType.objects.filter(app_label__in=API_CONTENT_TYPE_APPS).order_by("id")
