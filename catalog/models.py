"""Products, images, price lists and prices, stock lists, catalogs, stock and stock reservations."""

from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from omnitron.models import TimeStampedModel

MONEY = {"max_digits": 14, "decimal_places": 2}
RATE = {"max_digits": 7, "decimal_places": 4}


class Currency(models.TextChoices):
    TRY = "try", "Turkish lira"
    EUR = "eur", "Euro"
    USD = "usd", "US dollar"
    EGP = "egp", "Egyptian pound"
    GBP = "gbp", "Pound sterling"
    MAD = "mad", "Moroccan dirham"
    PLN = "pln", "Polish złoty"
    SAR = "sar", "Saudi riyal"
    RON = "ron", "Romanian leu"
    UAH = "uah", "Ukrainian hryvnia"
    CZK = "czk", "Czech koruna"
    HUF = "huf", "Hungarian forint"
    RUB = "rub", "Russian rouble"
    BGN = "bgn", "Bulgarian lev"
    IQD = "iqd", "Iraqi dinar"
    KWD = "kwd", "Kuwaiti dinar"
    BHD = "bhd", "Bahraini dinar"
    OMR = "omr", "Omani rial"
    QAR = "qar", "Qatari riyal"
    AED = "aed", "UAE dirham"
    NGN = "ngn", "Nigerian naira"


class ProductType(models.IntegerChoices):
    """Akinon's product types; channel apps ask the product feeds for simple products (0)."""

    SIMPLE = 0, "Simple"
    PRODUCT_META = 1, "Product meta"  # groups the variants of a base product
    BUNDLE = 2, "Bundle"
    GROUPED = 3, "Grouped"


class Product(TimeStampedModel):
    name = models.CharField(max_length=255)
    product_type = models.SmallIntegerField(choices=ProductType.choices, default=ProductType.SIMPLE)
    sku = models.CharField(max_length=128, unique=True)
    base_code = models.CharField(max_length=128, null=True, blank=True, db_index=True)
    barcode = models.CharField(max_length=128, null=True, blank=True, db_index=True)
    is_active = models.BooleanField(default=True)
    attributes = models.JSONField(default=dict, blank=True)
    attributes_kwargs = models.JSONField(default=dict, blank=True)
    localized_attributes = models.JSONField(default=dict, blank=True)
    localized_attributes_kwargs = models.JSONField(default=dict, blank=True)
    extra_attributes = models.JSONField(default=dict, blank=True)
    mappings = GenericRelation("channels.IntegrationMapping", related_query_name="product")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.sku} {self.name}"


class ProductImage(TimeStampedModel):
    product = models.ForeignKey(Product, on_delete=models.CASCADE)  # reverse: productimage_set
    url = models.URLField(max_length=500)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        indexes = [models.Index(fields=["product", "order", "id"], name="productimage_product_idx")]

    def __str__(self) -> str:
        return self.url


class PriceList(TimeStampedModel):
    name = models.CharField(max_length=255)
    code = models.CharField(max_length=128, null=True, blank=True, unique=True)
    currency = models.CharField(max_length=3, choices=Currency.choices, default=Currency.TRY)
    is_auto_sync = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class ProductPrice(TimeStampedModel):
    price_list = models.ForeignKey(PriceList, on_delete=models.CASCADE, related_name="prices")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="prices")
    price = models.DecimalField(**MONEY, validators=[MinValueValidator(0)])
    retail_price = models.DecimalField(**MONEY, null=True, blank=True, validators=[MinValueValidator(0)])
    tax_rate = models.DecimalField(**RATE, default=0, validators=[MinValueValidator(0)])
    extra_field = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["price_list", "product"], name="uniq_price_list_product"),
            models.CheckConstraint(condition=Q(price__gte=0), name="price_non_negative"),
        ]
        indexes = [
            models.Index(fields=["product", "price_list"], name="price_product_list_idx"),
            # The price feeds walk one list's rows by id.
            models.Index(fields=["price_list", "id"], name="price_list_id_idx"),
        ]

    def __str__(self) -> str:
        return f"Price {self.price} of product {self.product_id} in price list {self.price_list_id}"


class StockList(TimeStampedModel):
    name = models.CharField(max_length=255)
    code = models.CharField(max_length=128, null=True, blank=True, unique=True)
    is_auto_sync = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Catalog(TimeStampedModel):
    """The price and stock lists a sales channel sells from (``Channel.catalog``).

    ``price_list`` / ``stock_list`` are the defaults of orders and of the channel's price and
    stock lookups; the extra lists are further lists the channel may also use.
    """

    name = models.CharField(max_length=255)
    price_list = models.ForeignKey(PriceList, on_delete=models.PROTECT, null=True, blank=True, related_name="catalogs")
    stock_list = models.ForeignKey(StockList, on_delete=models.PROTECT, null=True, blank=True, related_name="catalogs")
    extra_price_lists = models.ManyToManyField(PriceList, blank=True, related_name="extra_catalogs")
    extra_stock_lists = models.ManyToManyField(StockList, blank=True, related_name="extra_catalogs")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class UnitType(models.TextChoices):
    QTY = "qty", "Quantity"
    KG = "kg", "Kilogram"
    LT = "lt", "Litre"
    MT = "mt", "Metre"


class ProductStock(TimeStampedModel):
    """Stock the ERP reports for a product in a stock list.

    Available = ``stock`` − active reservations (see ``catalog.selectors``).
    """

    stock_list = models.ForeignKey(StockList, on_delete=models.CASCADE, related_name="stocks")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="stocks")
    stock = models.IntegerField(default=0, validators=[MinValueValidator(0)])
    unit_type = models.CharField(max_length=8, choices=UnitType.choices, default=UnitType.QTY)
    sold_quantity_unreported = models.IntegerField(default=0)
    extra_field = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["stock_list", "product"], name="uniq_stock_list_product"),
            models.CheckConstraint(condition=Q(stock__gte=0), name="stock_non_negative"),
        ]
        indexes = [
            models.Index(fields=["product", "stock_list"], name="stock_product_list_idx"),
            # The stock feeds walk one list's rows by id.
            models.Index(fields=["stock_list", "id"], name="stock_list_id_idx"),
        ]

    def __str__(self) -> str:
        return f"Stock {self.stock} of product {self.product_id} in stock list {self.stock_list_id}"


class ReleaseReason(models.TextChoices):
    ACKNOWLEDGED = "acknowledged", "Acknowledged by the ERP"
    CANCELED = "canceled", "Item cancelled"


class StockReservation(TimeStampedModel):
    """One ordered unit held against a ProductStock until the ERP takes it over or it is cancelled.

    Active while ``released_at`` is empty; released exactly once (a conditional UPDATE).
    """

    stock = models.ForeignKey(ProductStock, on_delete=models.PROTECT, related_name="reservations")
    quantity = models.PositiveIntegerField(default=1)
    released_at = models.DateTimeField(null=True, blank=True)
    release_reason = models.CharField(max_length=16, choices=ReleaseReason.choices, null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["stock"], condition=Q(released_at__isnull=True), name="reservation_active_idx"),
        ]
        constraints = [models.CheckConstraint(condition=Q(quantity__gte=1), name="reservation_quantity_positive")]

    def __str__(self) -> str:
        state = "released" if self.released_at else "active"
        return f"Reservation {self.pk}: {self.quantity} of stock row {self.stock_id} ({state})"

    @property
    def is_active(self) -> bool:
        return self.released_at is None
