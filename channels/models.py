"""Sales channels, customers, addresses, geography, cargo and payment options, integration mappings."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper

from omnitron.models import TimeStampedModel

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class ChannelType(models.TextChoices):
    WEB = "web", "Web"
    MOBILE_APP = "mobile_app", "Mobile app"
    MARKETPLACE = "marketplace", "Marketplace"
    INSTORE = "instore", "In-store"
    B2B = "b2b", "B2B"


class ShippingCompany(models.TextChoices):
    YURTICI = "yurtici", "Yurtiçi Kargo"
    ARAS = "aras", "Aras Kargo"
    MNG = "mng", "MNG Kargo"
    PTT = "ptt", "PTT Kargo"
    SURAT = "surat", "Sürat Kargo"
    UPS = "ups", "UPS"
    DHL = "dhl", "DHL"
    FEDEX = "fedex", "FedEx"
    HEPSIJET = "hepsijet", "HepsiJET"
    SENDEO = "sendeo", "Sendeo"
    KOLAY_GELSIN = "kolay_gelsin", "Kolay Gelsin"
    BRINGO_EXPRESS = "bringo_express", "Bringo Express"
    TRENDYOL_EXPRESS = "trendyol_express", "Trendyol Express"
    HOROZ = "horoz", "Horoz Lojistik"
    OTHER = "other", "Other"


class IntegrationType(models.TextChoices):
    EXTERNAL_COMPANY = "external_company", "External company (ERP)"
    SALES_CHANNEL = "sales_channel", "Sales channel"
    WEB = "web", "Web"
    TRENDYOL = "trendyol", "Trendyol"
    HEPSIBURADA = "hepsiburada", "Hepsiburada"
    N11 = "n11", "n11"
    AMAZON = "amazon", "Amazon"
    GITTIGIDIYOR = "gittigidiyor", "GittiGidiyor"
    CICEKSEPETI = "ciceksepeti", "ÇiçekSepeti"
    PAZARAMA = "pazarama", "Pazarama"
    IDEFIX = "idefix", "idefix"
    MORHIPO = "morhipo", "Morhipo"
    LCW = "lcw", "LC Waikiki"
    BOYNER = "boyner", "Boyner"
    SHOPIFY = "shopify", "Shopify"
    OTHER = "other", "Other"


class Country(TimeStampedModel):
    name = models.CharField(max_length=100)
    code = models.CharField(max_length=2, unique=True, help_text="ISO 3166-1 alpha-2, lower case (tr).")
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name_plural = "countries"
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["name"], name="country_name_idx")]

    def __str__(self) -> str:
        return self.name


class City(TimeStampedModel):
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="cities")
    name = models.CharField(max_length=100)
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name_plural = "cities"
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["country", "name"], name="city_country_name_idx"),
            # name__iexact compares UPPER(name).
            models.Index(F("country"), Upper("name"), name="city_country_uname_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class Township(TimeStampedModel):
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="townships")
    name = models.CharField(max_length=100)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["city", "name"], name="township_city_name_idx"),
            models.Index(F("city"), Upper("name"), name="township_city_uname_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class District(TimeStampedModel):
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="districts")
    township = models.ForeignKey(Township, on_delete=models.PROTECT, related_name="districts", null=True, blank=True)
    name = models.CharField(max_length=100)
    postcode = models.CharField(max_length=16, null=True, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["township", "name"], name="district_township_name_idx")]

    def __str__(self) -> str:
        return self.name


class RetailStore(TimeStampedModel):
    """A physical store (pick-up point, in-store channel); addresses of type ``retail_store`` name one."""

    name = models.CharField(max_length=255)
    erp_code = models.CharField(max_length=128, null=True, blank=True, help_text="The store's code in the ERP.")
    is_active = models.BooleanField(default=True)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    city = models.ForeignKey(City, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    township = models.ForeignKey(Township, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    district = models.ForeignKey(District, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    address = models.TextField(max_length=1000, blank=True, default="")
    postcode = models.CharField(max_length=16, null=True, blank=True)
    phone_number = models.CharField(max_length=32, null=True, blank=True)
    fax_phone_number = models.CharField(max_length=32, null=True, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    store_hours = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["erp_code"], name="retailstore_erp_code_idx")]

    def __str__(self) -> str:
        return self.name


class Channel(TimeStampedModel):
    """A sales channel (web shop, marketplace, store). ``conf`` holds channel settings such as
    ``allow_oversell``; keys containing password/secret/token/key are never shown by the API."""

    name = models.CharField(max_length=255)
    channel_type = models.CharField(max_length=32, choices=ChannelType.choices, default=ChannelType.WEB)
    is_active = models.BooleanField(default=True)
    conf = models.JSONField(default=dict, blank=True)
    catalog = models.ForeignKey(
        "catalog.Catalog",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="channels",
        help_text="The price and stock lists the channel sells from.",
    )
    category_tree = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="Id of the channel's category tree (set by the channel app's setup)."
    )
    schema = models.JSONField(
        default=dict, blank=True, help_text="The channel app's configuration schema (set by its setup)."
    )
    members: "models.ManyToManyField[User, ChannelMembership]" = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="ChannelMembership", related_name="channels", blank=True
    )

    class Meta:
        ordering = ["id"]
        permissions = [("view_channel_conf", "Can view the channel's full conf, secrets included")]

    def __str__(self) -> str:
        return f"{self.name} (#{self.pk})"

    @property
    def allow_oversell(self) -> bool:
        return bool((self.conf or {}).get("allow_oversell", False))


class ChannelMembership(TimeStampedModel):
    """Grants a non-staff user access to one channel's data."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="channel_memberships")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "channel"], name="uniq_membership_user_channel")]
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.user} → {self.channel}"


class Customer(TimeStampedModel):
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="customers")
    email = models.EmailField(max_length=254)
    first_name = models.CharField(max_length=150, blank=True, default="")
    last_name = models.CharField(max_length=150, blank=True, default="")
    phone_number = models.CharField(max_length=32, null=True, blank=True)
    channel_code = models.CharField(
        max_length=128, null=True, blank=True, help_text="The customer's id in the channel."
    )
    erp_code = models.CharField(max_length=128, null=True, blank=True)
    is_active = models.BooleanField(default=True)
    email_allowed = models.BooleanField(default=False)
    sms_allowed = models.BooleanField(default=False)
    call_allowed = models.BooleanField(default=False)
    gender = models.CharField(max_length=16, null=True, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    date_joined = models.DateTimeField(null=True, blank=True)
    attributes = models.JSONField(default=dict, blank=True)
    extra_field = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "channel_code"],
                condition=Q(channel_code__isnull=False),
                name="uniq_customer_channel_code",
            )
        ]
        indexes = [
            models.Index(fields=["channel", "email"], name="customer_channel_email_idx"),
            models.Index(fields=["email"], name="customer_email_idx"),
            models.Index(fields=["channel", "phone_number"], name="customer_channel_phone_idx"),
            models.Index(fields=["channel", "id"], name="customer_channel_id_idx"),
        ]

    def __str__(self) -> str:
        name = f"{self.first_name} {self.last_name}".strip()
        return f"{name} <{self.email}>" if name else self.email


class Address(TimeStampedModel):
    """A customer's address. ``hash_data`` is a digest of its content: the same address twice
    for one customer is refused by the database."""

    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="addresses")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="addresses")
    title = models.CharField(max_length=128, blank=True, default="")
    email = models.EmailField(max_length=254, null=True, blank=True)
    phone_number = models.CharField(max_length=32, null=True, blank=True)
    first_name = models.CharField(max_length=150, blank=True, default="")
    last_name = models.CharField(max_length=150, blank=True, default="")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="+")
    township = models.ForeignKey(Township, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    district = models.ForeignKey(District, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    line = models.TextField(max_length=1000)
    postcode = models.CharField(max_length=16, null=True, blank=True)
    notes = models.TextField(max_length=1000, null=True, blank=True)
    company_name = models.CharField(max_length=255, null=True, blank=True)
    tax_office = models.CharField(max_length=255, null=True, blank=True)
    tax_no = models.CharField(max_length=64, null=True, blank=True)
    e_bill_taxpayer = models.BooleanField(default=False)
    identity_number = models.CharField(max_length=64, null=True, blank=True)
    is_active = models.BooleanField(default=True)
    extra_field = models.JSONField(default=dict, blank=True)
    hash_data = models.CharField(max_length=64, editable=False)

    class Meta:
        verbose_name_plural = "addresses"
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["customer", "hash_data"], name="uniq_address_customer_hash")]
        indexes = [
            models.Index(fields=["channel", "hash_data"], name="address_channel_hash_idx"),
            models.Index(fields=["channel", "id"], name="address_channel_id_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.title or self.line[:30]} (address {self.pk} of customer {self.customer_id})"


class CargoCompany(TimeStampedModel):
    name = models.CharField(max_length=128)
    erp_code = models.CharField(max_length=128, null=True, blank=True)
    shipping_company = models.CharField(max_length=32, choices=ShippingCompany.choices, default=ShippingCompany.OTHER)
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name_plural = "cargo companies"
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class PaymentType(models.TextChoices):
    CREDIT_CARD = "credit_card", "Credit card"
    FUNDS_TRANSFER = "funds_transfer", "Funds transfer"
    PAY_ON_DELIVERY = "pay_on_delivery", "Pay on delivery"
    LOYALTY_MONEY = "loyalty_money", "Loyalty money"
    STORED_CARD = "stored_card", "Stored card"
    B2B = "b2b", "B2B"
    OTHER = "other", "Other"


class PaymentOption(TimeStampedModel):
    name = models.CharField(max_length=128)
    slug = models.SlugField(max_length=128, unique=True)
    payment_type = models.CharField(max_length=32, choices=PaymentType.choices, default=PaymentType.CREDIT_CARD)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class IntegrationMapping(TimeStampedModel):
    """Maps one of our objects (product, order item, ...) to its code in another system."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    integration_type = models.CharField(max_length=32, choices=IntegrationType.choices)
    code = models.CharField(max_length=255)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["integration_type", "content_type", "code"], name="uniq_mapping_type_ct_code"
            ),
            # One code per object and integration: re-mapping replaces it.
            models.UniqueConstraint(
                fields=["content_type", "object_id", "integration_type"], name="uniq_mapping_object_type"
            ),
        ]
        indexes = [
            models.Index(fields=["content_type", "code"], name="mapping_ct_code_idx"),
        ]

    def __str__(self) -> str:
        # get_for_id is served from ContentType's cache: no query per mapping.
        model = ContentType.objects.get_for_id(self.content_type_id).name
        return f"{self.get_integration_type_display()} code {self.code} for {model} {self.object_id}"
