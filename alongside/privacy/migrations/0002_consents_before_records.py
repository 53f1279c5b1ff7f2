"""Consents given before they were kept as records.

Every request and application taken until now had its form's consent box ticked (neither could
be kept without it): each gets a record of that consent, given through its own form (online,
by phone with a coordinator, or by a referrer) when it was taken, by whom the request says
entered it, with its words marked "before records": the words shown then were not kept, so none
are made up. A referral whose client agreed to what their referrer hears back (who supports
them, a closing summary) gets that consent too, as its referrer recorded it. Consent to surveys
and to research was never asked, so none is recorded.

Going back removes the standing consents this made (no words kept, never withdrawn): the
earlier code took a ticked box as the consent. One withdrawn since is kept, with who withdrew it
and how: the withdrawal is the person's own record, and migrating forward again leaves that
request's consent withdrawn rather than making it anew.
"""

from itertools import batched

from django.db import migrations
from django.db.models import Q

GIVEN_HOW = {"public_form": "online_form", "phone": "phone", "referral": "referrer"}
BATCH = 2000


def _requests(apps):
    SupportRequest = apps.get_model("intake", "SupportRequest")
    rows = (
        SupportRequest.objects.exclude(consents__purpose="support")
        .order_by("pk")
        .values_list(
            "pk",
            "program_id",
            "peer_id",
            "source",
            "consent_given_at",
            "entered_by_id",
            "referred_by_id",
        )
    )
    for pk, program_id, peer_id, source, given_at, entered_by_id, referred_by_id in rows.iterator():
        yield {
            "program_id": program_id,
            "purpose": "support",
            "support_request_id": pk,
            "peer_id": peer_id,
            "given_at": given_at,
            "given_how": GIVEN_HOW[source],
            "recorded_by_id": entered_by_id or referred_by_id,
        }


def _referrers_told(apps):
    ReferralConsent = apps.get_model("intake", "ReferralConsent")
    rows = (
        ReferralConsent.objects.filter(Q(referrer_may_know_who=True) | Q(summary_to_referrer=True))
        .order_by("pk")
        .values_list(
            "referral__request_id",
            "referral__request__program_id",
            "referral__request__peer_id",
            "given_at",
            "recorded_by_id",
        )
    )
    for request_id, program_id, peer_id, given_at, recorded_by_id in rows:
        yield {
            "program_id": program_id,
            "purpose": "referrer",
            "support_request_id": request_id,
            "peer_id": peer_id,
            "given_at": given_at,
            "given_how": "referrer",
            "recorded_by_id": recorded_by_id,
        }


def _applications(apps):
    Application = apps.get_model("supporters", "Application")
    rows = (
        Application.objects.exclude(consents__purpose="application")
        .order_by("pk")
        .values_list("pk", "program_id", "submitted_at")
    )
    for pk, program_id, submitted_at in rows.iterator():
        yield {
            "program_id": program_id,
            "purpose": "application",
            "application_id": pk,
            "given_at": submitted_at,
            "given_how": "online_form",
        }


def keep_consents_given_before_records(apps, schema_editor):
    Consent = apps.get_model("privacy", "Consent")
    already_told = set(
        Consent.objects.filter(purpose="referrer").values_list("support_request_id", flat=True)
    )
    referrers_told = (
        row for row in _referrers_told(apps) if row["support_request_id"] not in already_told
    )
    for source in (_requests(apps), referrers_told, _applications(apps)):
        for batch in batched(source, BATCH):
            Consent.objects.bulk_create([Consent(**fields) for fields in batch])


def forget_consents_given_before_records(apps, schema_editor):
    # Only this migration keeps a consent without its words (the services always keep them).
    apps.get_model("privacy", "Consent").objects.filter(
        text__isnull=True, withdrawn_at__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0001_initial"),
        ("intake", "0008_request_waiting_since_index"),
        ("supporters", "0013_blind_indexes"),
    ]

    operations = [
        migrations.RunPython(
            keep_consents_given_before_records, forget_consents_given_before_records
        )
    ]
