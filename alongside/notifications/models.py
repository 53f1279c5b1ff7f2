from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.template import Context, Template, TemplateSyntaxError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.core.blind_index import BlindIndexField, Kind
from alongside.core.fields import EncryptedCharField, EncryptedTextField

# Webhooks' own models (their endpoints, and which endpoint a message goes to), in their package.
from alongside.notifications.webhooks.models import WebhookDelivery, WebhookEndpoint  # noqa: F401


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("Text message")
    IN_APP = "in_app", _("In-app message")
    WEBHOOK = "webhook", _("Webhook")


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed, will retry")
    DEAD = "dead", _("Gave up")


class DeliveryReport(models.TextChoices):
    """What the provider (the ESP, Twilio) reported after taking the message (providers/)."""

    DELIVERED = "delivered", _("Delivered")
    BOUNCED = "bounced", _("Bounced")
    REJECTED = "rejected", _("Refused by the provider")
    COMPLAINED = "complained", _("Reported as spam")
    FAILED = "failed", _("Not delivered")


# Messages in these states are due for (another) attempt once next_attempt_at has passed.
DELIVERABLE_STATUSES = (MessageStatus.PENDING, MessageStatus.FAILED)


class OutboxMessage(models.Model):
    """One e-mail, SMS or in-app message, recorded before it is sent and kept after."""

    program = models.ForeignKey(
        "programs.Program",
        verbose_name=_("program"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="outbox_messages",
    )
    # The code of the event it tells of ("intake.request.received"): its wording's key.
    kind = models.CharField(_("kind of message"), max_length=100, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="outbox_messages",
    )
    to_address = EncryptedCharField(_("to"), blank=True, help_text=_("E-mail address or phone."))
    # The messages sent to one address are found by it (a person's copy, their erasure) without
    # decrypting the program's whole outbox (ADR 0006). Folded whole, an address or a phone.
    to_address_index = BlindIndexField(source="to_address", kind=Kind.EMAIL)
    subject = EncryptedCharField(_("subject"), blank=True)
    body = EncryptedTextField(_("message"))
    idempotency_key = models.CharField(
        _("idempotency key"),
        max_length=200,
        unique=True,
        help_text=_("Each message is sent at most once per recipient and channel."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=MessageStatus.choices,
        default=MessageStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    max_attempts = models.PositiveSmallIntegerField(_("maximum attempts"), default=8)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    # While sending, the worker renews this; once it has passed, the worker is taken for dead.
    lease_expires_at = models.DateTimeField(_("claim held until"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # In-app messages: the page it is about (a path on this site), and whether it is an urgent
    # alert, which stays at the top of the inbox until its recipient acknowledges it.
    link = models.CharField(_("link"), max_length=300, blank=True)
    urgent = models.BooleanField(_("urgent"), default=False)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    # The provider's id for the message (an ESP's message id, a Twilio SID), and what the
    # provider reported about it since: its events are tied back to the row by the id.
    provider_message_id = models.CharField(
        _("provider's message id"), max_length=200, blank=True, db_index=True
    )
    delivery_report = models.CharField(
        _("provider's report"), max_length=12, choices=DeliveryReport.choices, blank=True
    )
    # Never the body or the address: only what went wrong ("SMTPServerDisconnected").
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(channel=Channel.IN_APP) | Q(recipient__isnull=False),
                name="outbox_in_app_needs_recipient",
                violation_error_message=_("An in-app message needs a recipient."),
            )
        ]
        # Named for the loops that scan them: the sweep's due messages and expired leases.
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status__in=DELIVERABLE_STATUSES),
                name="outbox_due_for_sweep",
            ),
            models.Index(
                fields=["lease_expires_at"],
                condition=Q(status=MessageStatus.SENDING),
                name="outbox_leases_for_sweep",
            ),
            # The inbox and the header's unread count.
            models.Index(
                fields=["recipient", "read_at"],
                condition=Q(channel=Channel.IN_APP),
                name="outbox_inbox",
            ),
            # /health/ready's count of the messages given up on lately (few: a small index).
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status=MessageStatus.DEAD),
                name="outbox_given_up_for_health",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} #{self.pk} ({self.get_status_display()})"

    @property
    def needs_acknowledging(self) -> bool:
        """An urgent alert its recipient has not acknowledged yet: it stays at the top."""
        return self.urgent and self.acknowledged_at is None

    @property
    def given_up(self) -> bool:
        """No attempt is coming: only an administrator sending it again brings it back."""
        return self.status == MessageStatus.DEAD


class MessageTemplate(models.Model):
    """A program's own wording for one kind of message, in one language.

    `key` names the kind of message, the code in the sending app's `messages.py` (for example
    "intake.request.received"). The subject and body are Django templates; they may use
    {{ subject }} and {{ body }} (the default wording), {{ program }}, {{ recipient }} and the
    values the message is written from. A template without a program applies to every program.
    """

    program = models.ForeignKey(
        "programs.Program",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="message_templates",
        help_text=_("Leave empty to use this wording in every program."),
    )
    key = models.CharField(
        _("kind of message"),
        max_length=100,
        validators=[RegexValidator(r"^[a-z_]+(\.[a-z_]+)+$", _("Use a dotted name."))],
    )
    language = models.CharField(
        _("language"),
        max_length=5,
        choices=[
            ("en", _("English")),
            ("fr", _("French")),
            ("es", _("Spanish")),
            ("pt", _("Portuguese")),
            ("zh", _("Chinese")),
            ("pa", _("Punjabi")),
            ("ar", _("Arabic")),
            ("ht", _("Haitian Creole")),
            ("tl", _("Tagalog")),
        ],
    )
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "key", "language"], name="message_template_once"
            ),
            models.UniqueConstraint(
                fields=["key", "language"],
                condition=Q(program__isnull=True),
                name="message_template_once_everywhere",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.language})"

    def clean(self) -> None:
        for field_name in ("subject", "body"):
            try:
                Template(getattr(self, field_name))
            except TemplateSyntaxError as error:
                raise ValidationError(
                    {field_name: _("This wording cannot be used: %(error)s") % {"error": error}}
                ) from error

    def render(self, context: dict[str, object]) -> tuple[str, str]:
        """The subject and body with the context filled in (plain text: nothing escaped)."""
        filled = Context(context, autoescape=False)
        return Template(self.subject).render(filled).strip(), Template(self.body).render(filled)


class UndeliverableAddress(models.Model):
    """An e-mail address or phone that bounced, was refused or complained: nothing more is sent
    to it until a coordinator clears the mark (after the person gives a new one)."""

    program = models.ForeignKey(
        "programs.Program",
        verbose_name=_("program"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="undeliverable_addresses",
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    message = models.ForeignKey(
        OutboxMessage,
        verbose_name=_("message"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    address = EncryptedCharField(_("address"))
    # Found whole, as an outbox message's address is: the mark is looked up before each send.
    address_index = BlindIndexField(source="address", kind=Kind.EMAIL)
    problem = models.CharField(_("problem"), max_length=12, choices=DeliveryReport.choices)
    # The provider's own code or reason ("HardBounce", "Twilio error 30005"): never the address.
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    # The person's page, where their address is changed (found by the apps above: hooks.py).
    person_link = models.CharField(_("person's page"), max_length=300, blank=True)
    marked_at = models.DateTimeField(_("marked"), default=timezone.now)
    cleared_at = models.DateTimeField(_("cleared"), null=True, blank=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cleared by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("undeliverable address")
        verbose_name_plural = _("undeliverable addresses")
        ordering = ["-marked_at", "-id"]
        constraints = [
            # One standing mark an address: the same bounce told twice marks it once.
            models.UniqueConstraint(
                fields=["address_index"],
                condition=Q(cleared_at__isnull=True),
                name="undeliverable_address_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} #{self.pk} ({self.get_problem_display()})"
