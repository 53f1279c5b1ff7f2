"""The data migration: requests and applications taken before consent was kept as records get
a record of the consent their form asked for, marked "before records", and nothing made up."""

import datetime as dt
import importlib

from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from alongside.core.consent import GivenHow, Purpose
from alongside.intake.factories import SupportRequestFactory
from alongside.intake.models import Referral, ReferralConsent, Source
from alongside.privacy.factories import give_consent
from alongside.privacy.models import Consent
from alongside.supporters.factories import ApplicationFactory

migration = importlib.import_module("alongside.privacy.migrations.0002_consents_before_records")

LONG_AGO = timezone.now() - dt.timedelta(days=400)


def run_migration() -> None:
    migration.keep_consents_given_before_records(apps, None)


def test_each_request_gets_its_consent_to_support_as_its_form_took_it(program_a, coordinator_a, ms):
    online = SupportRequestFactory(program=program_a, consent_given_at=LONG_AGO)
    by_phone = SupportRequestFactory(
        program=program_a, source=Source.PHONE, entered_by=coordinator_a, experience=ms
    )

    run_migration()

    first = Consent.objects.get(support_request=online)
    assert (first.purpose, first.given_how, first.given_at) == (
        Purpose.SUPPORT,
        GivenHow.ONLINE_FORM,
        LONG_AGO,
    )
    assert (first.peer_id, first.program_id, first.recorded_by) == (
        online.peer_id,
        program_a.pk,
        None,
    )
    assert first.text is None  # before records: the words were not kept, none are made up
    phoned = Consent.objects.get(support_request=by_phone)
    assert (phoned.given_how, phoned.recorded_by) == (GivenHow.PHONE, coordinator_a)


def test_a_referral_keeps_what_its_client_agreed_the_referrer_hears_and_nothing_more(program_a, ms):
    told = SupportRequestFactory(program=program_a, source=Source.REFERRAL, experience=ms)
    not_told = SupportRequestFactory(program=program_a, source=Source.REFERRAL, experience=ms)
    for support_request, agreed in ((told, True), (not_told, False)):
        ReferralConsent.objects.create(
            referral=Referral.objects.create(request=support_request, goals="Walk daily"),
            text_version="referral-consent-2026-12",
            purpose="To match the client with a peer support worker.",
            summary_to_referrer=agreed,
            given_at=LONG_AGO,
        )

    run_migration()

    assert sorted(
        Consent.objects.filter(support_request=told).values_list("purpose", flat=True)
    ) == [
        Purpose.REFERRER,
        Purpose.SUPPORT,
    ]
    sharing = Consent.objects.get(support_request=told, purpose=Purpose.REFERRER)
    assert (sharing.given_how, sharing.given_at, sharing.text) == (
        GivenHow.REFERRER,
        LONG_AGO,
        None,
    )
    assert list(
        Consent.objects.filter(support_request=not_told).values_list("purpose", flat=True)
    ) == [Purpose.SUPPORT]


def test_each_application_gets_its_consent_and_nobody_gets_one_to_surveys(program_a, request_a):
    application = ApplicationFactory(program=program_a)

    run_migration()

    consent = Consent.objects.get(application=application)
    assert (consent.purpose, consent.given_at) == (Purpose.APPLICATION, application.submitted_at)
    assert not Consent.objects.filter(purpose__in=[Purpose.SURVEYS, Purpose.RESEARCH]).exists()


def test_running_it_again_adds_nothing_and_reversing_it_removes_only_what_it_added(
    program_a, request_a
):
    run_migration()
    run_migration()
    kept = give_consent(request_a)

    assert Consent.objects.filter(text__isnull=True).count() == 1
    migration.forget_consents_given_before_records(apps, None)
    assert list(Consent.objects.all()) == [kept]


def test_the_request_page_says_the_words_were_not_kept(client, coordinator_a, request_a):
    run_migration()
    client.force_login(coordinator_a)

    page = client.get(reverse("intake:request_detail", args=[request_a.pk]))

    assert "before records (the words shown then were not kept)" in page.content.decode()
