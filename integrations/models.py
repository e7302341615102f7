"""Batch requests, integration actions, error reports and the transactional change outbox."""

import uuid

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q

from omnitron.models import TimeStampedModel


class BatchStatus(models.TextChoices):
    INITIALIZED = "initialized", "Initialized"  # created, no content type yet
    COMMIT = "commit", "Commit"  # objects declared and marked processing
    SENT_TO_REMOTE = "sent_to_remote", "Sent to remote"  # handed to the marketplace
    ONGOING = "ongoing", "Ongoing"  # still running on the marketplace
    DONE = "done", "Done"  # finished; per-object results applied (final)
    FAIL = "fail", "Fail"  # aborted; processing objects released


# A batch in one of these states still holds its processing integration actions.
OPEN_BATCH_STATUSES = (BatchStatus.INITIALIZED, BatchStatus.COMMIT, BatchStatus.SENT_TO_REMOTE, BatchStatus.ONGOING)


class BatchRequest(TimeStampedModel):
    """One channel-app run: the objects it declared (commit) and their outcome (done / fail)."""

    channel = models.ForeignKey("channels.Channel", on_delete=models.CASCADE, related_name="batch_requests")
    local_batch_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    remote_batch_id = models.CharField(max_length=255, null=True, blank=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    status = models.CharField(max_length=20, choices=BatchStatus.choices, default=BatchStatus.INITIALIZED)
    # ``objects`` in the API (the column's name); the attribute leaves ``objects`` to the manager.
    batch_objects = models.JSONField(null=True, blank=True, db_column="objects")
    log_file = models.CharField(max_length=255, null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["channel", "status", "content_type", "id"], name="batch_channel_status_idx"),
            # The stale-batch sweep walks open batches by age.
            models.Index(
                fields=["modified_date"],
                name="batch_open_modified_idx",
                condition=Q(status__in=["initialized", "commit", "sent_to_remote", "ongoing"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.local_batch_id} ({self.status})"


class IntegrationStatus(models.TextChoices):
    PROCESSING = "processing", "Processing"  # committed in an open batch
    SUCCESS = "success", "Success"
    ERROR = "error", "Error"


class FailedReasonType(models.TextChoices):
    MAPPING = "mapping", "Mapping"
    REMOTE = "remote", "Remote"
    CHANNEL_APP = "channel_app", "Channel app"


class IntegrationAction(TimeStampedModel):
    """The link Omnitron object ↔ marketplace id for one channel, plus the object's sync state.

    ``synced_seq`` is the outbox position (``Change.id``) of the version last committed to the
    channel; ``pending_seq`` the latest outbox position of the object. ``pending_seq >
    synced_seq`` means "changed since last sent". ``previous_*`` hold the state before the
    current batch's commit, restored when that batch fails.
    """

    channel = models.ForeignKey("channels.Channel", on_delete=models.CASCADE, related_name="integration_actions")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.BigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    remote_id = models.CharField(max_length=255, null=True, blank=True)
    version_date = models.DateTimeField(null=True, blank=True)
    state = models.JSONField(default=dict, blank=True)
    local_batch_id = models.UUIDField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=IntegrationStatus.choices, null=True, blank=True)
    failed_reason_type = models.CharField(max_length=32, null=True, blank=True)
    synced_seq = models.BigIntegerField(default=0)
    pending_seq = models.BigIntegerField(default=0)
    # Snapshot taken at the first commit of a batch; ``previous_exists`` False = created by that batch.
    previous_exists = models.BooleanField(default=True)
    previous_status = models.CharField(max_length=20, null=True, blank=True)
    previous_version_date = models.DateTimeField(null=True, blank=True)
    previous_local_batch_id = models.UUIDField(null=True, blank=True)
    previous_synced_seq = models.BigIntegerField(default=0)
    previous_failed_reason_type = models.CharField(max_length=32, null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "content_type", "object_id"], name="ia_channel_ct_object_uniq"),
        ]
        indexes = [
            # The "updates" feeds: a channel's changed objects of one kind in object id order, walked
            # without visiting the synced ones; ``status`` lets the count skip the table.
            models.Index(
                fields=["channel", "content_type", "object_id", "status"],
                name="ia_pending_object_idx",
                condition=Q(pending_seq__gt=F("synced_seq")),
            ),
            models.Index(fields=["content_type", "object_id"], name="ia_ct_object_idx"),
            models.Index(fields=["channel", "content_type", "remote_id"], name="ia_channel_ct_remote_idx"),
            models.Index(fields=["local_batch_id", "id"], name="ia_batch_idx"),
            models.Index(fields=["channel", "id"], name="ia_channel_id_idx"),
            models.Index(fields=["channel", "version_date", "id"], name="ia_channel_version_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id} → {self.remote_id}"


class ErrorReportKind(models.TextChoices):
    GENERIC = "generic", "Generic"  # POST error_reports/
    COUNTRY = "country", "Country"
    CITY = "city", "City"
    TOWNSHIP = "township", "Township"
    DISTRICT = "district", "District"
    DISTINCT = "distinct", "Distinct"


class ErrorReport(TimeStampedModel):
    """A channel app's log line about a command (CLIENTS.md §2.7); per-kind reports keep their body."""

    channel = models.ForeignKey("channels.Channel", on_delete=models.CASCADE, related_name="error_reports")
    kind = models.CharField(max_length=20, choices=ErrorReportKind.choices, default=ErrorReportKind.GENERIC)
    action_content_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action_object_id = models.BigIntegerField(null=True, blank=True)
    target_content_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    target_object_id = models.CharField(max_length=255, null=True, blank=True)
    obj_modified_date = models.CharField(max_length=64, null=True, blank=True)
    error_code = models.CharField(max_length=255, blank=True, default="")
    error_desc = models.TextField(blank=True, default="")
    raw_request = models.TextField(null=True, blank=True)
    raw_response = models.TextField(null=True, blank=True)
    is_ok = models.BooleanField(default=False)
    body = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["channel", "-id"], name="errorreport_channel_idx"),
            models.Index(fields=["kind", "-id"], name="errorreport_kind_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.error_code}"


class ChangeKind(models.TextChoices):
    CREATED = "created", "Created"
    CHANGED = "changed", "Changed"
    CANCELLED = "cancelled", "Cancelled"


class Change(models.Model):
    """The transactional outbox: one row per object change, written in the changing transaction.

    ``id`` is the change sequence. ``txid`` is PostgreSQL's ``pg_current_xact_id()`` of the writing
    transaction (0 on SQLite), so a reader can stop below the oldest transaction still running.
    ``channel`` is null for catalog rows shared by several channels.
    """

    id = models.BigAutoField(primary_key=True)
    channel = models.ForeignKey(
        "channels.Channel", on_delete=models.CASCADE, null=True, blank=True, related_name="+", db_index=False
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+", db_index=False)
    object_id = models.BigIntegerField()
    kind = models.CharField(max_length=20, choices=ChangeKind.choices)
    version_date = models.DateTimeField()
    txid = models.BigIntegerField(default=0)
    created_date = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "id"], name="change_ct_object_idx"),
            models.Index(fields=["channel", "txid", "id"], name="change_channel_txid_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.id} {self.kind} {self.content_type_id}:{self.object_id}"
