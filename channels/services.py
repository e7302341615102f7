"""Writes for channels: memberships, integration users, customers and addresses."""

import hashlib
from typing import Any

import orjson
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction

from channels.exceptions import DuplicateAddressError
from channels.locks import integration_mapping_lock
from channels.models import Address, Channel, ChannelMembership, Customer, IntegrationMapping
from omnitron.errors import ServiceValidationError
from omnitron.tokens import token_create

# The fields that make two addresses "the same" (hash_data covers these, normalised).
ADDRESS_HASH_FIELDS = (
    "title",
    "email",
    "phone_number",
    "first_name",
    "last_name",
    "country_id",
    "city_id",
    "township_id",
    "district_id",
    "line",
    "postcode",
    "notes",
    "company_name",
    "tax_office",
    "tax_no",
    "e_bill_taxpayer",
    "identity_number",
)


def _normalise(value: Any) -> Any:
    if isinstance(value, str):
        return " ".join(value.split()).casefold()
    return value


def address_hash(*, customer_id: int, values: dict[str, Any]) -> str:
    """SHA-256 over the customer and the normalised address fields (case and spacing ignored)."""
    payload = {"customer_id": customer_id, **{name: _normalise(values.get(name)) for name in ADDRESS_HASH_FIELDS}}
    return hashlib.sha256(orjson.dumps(payload, option=orjson.OPT_SORT_KEYS)).hexdigest()


def _address_values(address: Address) -> dict[str, Any]:
    return {name: getattr(address, name) for name in ADDRESS_HASH_FIELDS}


def _raise_duplicate(address: Address) -> None:
    existing = (
        Address.objects.filter(customer_id=address.customer_id, hash_data=address.hash_data)
        .exclude(pk=address.pk)
        .values_list("pk", flat=True)
        .first()
    )
    raise DuplicateAddressError(hash_data=address.hash_data, pk=existing)


def _check_geography(address: Address) -> None:
    errors = {}
    if address.city.country_id != address.country_id:
        errors["city"] = ["The city is not in the given country."]
    if address.township is not None and address.township.city_id != address.city_id:
        errors["township"] = ["The township is not in the given city."]
    if address.district is not None and address.district.city_id != address.city_id:
        errors["district"] = ["The district is not in the given city."]
    if errors:
        raise ServiceValidationError(errors)


def _address_save(address: Address) -> Address:
    """Check the geography, hash the fields and save; a twin of a sibling raises DuplicateAddressError."""
    _check_geography(address)
    address.hash_data = address_hash(customer_id=address.customer_id, values=_address_values(address))
    try:
        with transaction.atomic():
            address.save()
    except IntegrityError:
        _raise_duplicate(address)
    return address


@transaction.atomic
def address_create(*, customer: Customer, **fields: Any) -> Address:
    """Create an address for ``customer``; an identical one raises DuplicateAddressError.

    The database's (customer, hash_data) constraint decides, so concurrent twins cannot both land.
    """
    return _address_save(Address(customer=customer, channel_id=customer.channel_id, **fields))


@transaction.atomic
def address_update(*, address: Address, **fields: Any) -> Address:
    """Change an address's fields and its hash; becoming identical to a sibling is refused."""
    for name, value in fields.items():
        setattr(address, name, value)
    return _address_save(address)


def _raise_duplicate_customer(channel_id: int, channel_code: str | None) -> None:
    existing = (
        Customer.objects.filter(channel_id=channel_id, channel_code=channel_code).values_list("pk", flat=True).first()
    )
    raise ServiceValidationError(
        {"channel_code": [f"A customer with this channel_code already exists in the channel (pk {existing})."]}
    )


def _customer_save(customer: Customer) -> Customer:
    """Save; a channel_code already used in the channel is refused (database constraint)."""
    try:
        with transaction.atomic():
            customer.save()
    except IntegrityError:
        _raise_duplicate_customer(customer.channel_id, customer.channel_code)
    return customer


@transaction.atomic
def customer_create(*, channel: Channel, **fields: Any) -> Customer:
    """Create a customer; a channel_code already used in the channel is refused (database constraint)."""
    return _customer_save(Customer(channel=channel, **fields))


@transaction.atomic
def customer_update(*, customer: Customer, **fields: Any) -> Customer:
    for name, value in fields.items():
        setattr(customer, name, value)
    return _customer_save(customer)


def channel_membership_add(*, channel: Channel, user) -> ChannelMembership:
    """Make ``user`` a member of ``channel`` (idempotent)."""
    membership, _ = ChannelMembership.objects.get_or_create(channel=channel, user=user)
    return membership


INTEGRATION_GROUP = "Integrations"
# What an ERP connector or channel app writes: orders and items, customers and addresses, mappings,
# and the channel's setup (category tree, schema) with its full conf (marketplace credentials).
INTEGRATION_PERMISSIONS = [
    ("orders", "add_order"),
    ("orders", "change_order"),
    ("orders", "change_orderitem"),
    ("orders", "add_cancellationrequest"),
    ("orders", "change_cancellationrequest"),
    ("orders", "add_ordershippinginfo"),
    ("channels", "add_customer"),
    ("channels", "change_customer"),
    ("channels", "add_address"),
    ("channels", "change_address"),
    ("channels", "add_integrationmapping"),
    ("channels", "change_channel"),
    ("channels", "view_channel_conf"),
    ("integrations", "add_batchrequest"),
    ("integrations", "change_batchrequest"),
    ("integrations", "add_integrationaction"),
    ("integrations", "change_integrationaction"),
    ("integrations", "delete_integrationaction"),
    ("integrations", "add_errorreport"),
]


def integration_group_ensure() -> Group:
    """The ``Integrations`` group with exactly the integration permissions (created if missing)."""
    group, _ = Group.objects.get_or_create(name=INTEGRATION_GROUP)
    group.permissions.set(
        [
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in INTEGRATION_PERMISSIONS
        ]
    )
    return group


@transaction.atomic
def integration_user_bootstrap(*, username: str, channels: list[Channel], token_name: str, email: str = ""):
    """Create (or reuse) a non-staff integration user, a member of ``channels`` in the Integrations
    group, and give it a new API token; return (user, key). The user has no password: it calls the
    API with the token only."""
    user, created = get_user_model().objects.get_or_create(username=username, defaults={"email": email})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    user.groups.add(integration_group_ensure())
    for channel in channels:
        channel_membership_add(channel=channel, user=user)
    _, key = token_create(user=user, name=token_name)
    return user, key


@transaction.atomic
def integration_mapping_set(*, obj, integration_type: str, code: str) -> tuple[IntegrationMapping, str | None]:
    """Record ``obj``'s code in another system; return (mapping, previous code or None if new).

    An object has one code per integration type: the same code again changes nothing, a new code
    replaces the old one. A code already used by another object of the same kind is refused (the
    database's unique constraint decides).
    """
    content_type = ContentType.objects.get_for_model(obj)
    mapping = integration_mapping_lock(content_type=content_type, object_id=obj.pk, integration_type=integration_type)
    if mapping is not None and mapping.code == code:
        return mapping, code
    try:
        with transaction.atomic():
            if mapping is None:
                mapping = IntegrationMapping.objects.create(
                    content_type=content_type, object_id=obj.pk, integration_type=integration_type, code=code
                )
                return mapping, None
            previous = mapping.code
            mapping.code = code
            mapping.save(update_fields=["code", "modified_date"])
            return mapping, previous
    except IntegrityError:
        owner = (
            IntegrationMapping.objects.filter(content_type=content_type, integration_type=integration_type, code=code)
            .values_list("object_id", flat=True)
            .first()
        )
        raise ServiceValidationError(
            {"code": [f"This code is already mapped to {content_type.model} {owner}."]}
        ) from None


def channel_update(*, channel: Channel, **fields: Any) -> Channel:
    """Set the channel app's setup values (``category_tree``, ``schema``) given in ``fields``."""
    for name, value in fields.items():
        setattr(channel, name, value)
    if fields:
        channel.save(update_fields=[*fields, "modified_date"])
    return channel
