"""The inbox: every person's own in-app messages, the header's unread count, marking read, and
urgent alerts that stay at the top until acknowledged."""

import pytest
from django.urls import reverse
from django.utils import translation

from alongside.accounts.models import User
from alongside.core.models import AuditEvent
from alongside.notifications import queries, services
from alongside.notifications.models import Channel, OutboxMessage
from alongside.notifications.notify import RECIPIENT, MessageKind, notify
from alongside.notifications.views import INBOX_PAGE_SIZE
from alongside.programs.models import Program
from alongside.supporters.models import Supporter

NEWS = MessageKind(
    "tests.news", subject="News for %(recipient)s", body="Something happened in %(program)s."
)
ALERT = MessageKind(
    "tests.alert", subject="Urgent: escalation #%(number)s", body="Please look now.", urgent=True
)


def tell(
    user: User,
    *,
    kind: MessageKind = NEWS,
    key: str = "news",
    link: str = "",
    program: Program | None = None,
    context: dict[str, object] | None = None,
) -> OutboxMessage:
    (message,) = notify(
        kind=kind,
        recipients=[user],
        context=context or {"number": 7},
        idempotency_key=(key, RECIPIENT),
        channels=[Channel.IN_APP],
        program=program,
        link=link,
    )
    return message


@pytest.fixture
def supporter(supporter_a: Supporter) -> User:
    return supporter_a.user


def inbox_ids(response) -> list[int]:
    return [item.message.pk for item in response.context["items"]]


# ---- queries and services ---------------------------------------------------------------------


def test_the_unread_count_counts_only_the_persons_own_unread_in_app_messages(
    supporter, coordinator_a
):
    first = tell(supporter, key="one")
    tell(supporter, key="two")
    tell(coordinator_a, key="three")
    services.mark_read(message=first, user=supporter)

    assert queries.inbox_count_for(supporter) == queries.InboxCount(unread=1, urgent=0)
    assert queries.inbox_count_for(coordinator_a) == queries.InboxCount(unread=1, urgent=0)


def test_the_unread_count_takes_one_query(supporter, django_assert_num_queries):
    tell(supporter, key="one")
    tell(supporter, kind=ALERT, key="two")

    with django_assert_num_queries(1):
        count = queries.inbox_count_for(supporter)

    assert count == queries.InboxCount(unread=2, urgent=1)


def test_a_message_remembers_its_link_and_an_urgent_kind_makes_it_urgent(supporter):
    news = tell(supporter, link="/matches/3/")
    alert = tell(supporter, kind=ALERT, key="alert")

    assert (news.link, news.urgent) == ("/matches/3/", False)
    assert alert.urgent is True
    assert alert.needs_acknowledging


@pytest.mark.parametrize("link", ["https://elsewhere.example/", "//elsewhere.example/", "matches"])
def test_a_link_off_this_site_is_refused(supporter, link):
    with pytest.raises(ValueError, match="not a path on this site"):
        tell(supporter, link=link)


def test_marking_read_is_audited_and_counts_once(supporter):
    message = tell(supporter)

    services.mark_read(message=message, user=supporter)
    services.mark_read(message=message, user=supporter)

    message.refresh_from_db()
    assert message.read_at is not None
    assert AuditEvent.objects.filter(action="notifications.message.read").count() == 1


def test_marking_all_read_marks_only_the_persons_own(supporter, coordinator_a):
    tell(supporter, key="one")
    tell(supporter, key="two")
    theirs = tell(coordinator_a, key="three")

    assert services.mark_all_read(user=supporter) == 2

    assert queries.inbox_count_for(supporter).unread == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None
    event = AuditEvent.objects.get(action="notifications.inbox.read")
    assert event.data == {"messages": 2}


def test_an_urgent_alert_stays_at_the_top_when_read_until_it_is_acknowledged(supporter):
    alert = tell(supporter, kind=ALERT, key="alert")
    newer = tell(supporter, key="newer")

    services.mark_all_read(user=supporter)

    assert list(queries.inbox_for(supporter)) == [alert, newer]
    assert queries.inbox_count_for(supporter) == queries.InboxCount(unread=0, urgent=1)

    services.acknowledge_message(message=alert, user=supporter)

    assert list(queries.inbox_for(supporter)) == [newer, alert]
    assert queries.inbox_count_for(supporter) == queries.InboxCount(unread=0, urgent=0)


def test_acknowledging_marks_the_alert_read_and_is_audited_once(supporter):
    alert = tell(supporter, kind=ALERT, key="alert")

    services.acknowledge_message(message=alert, user=supporter)
    services.acknowledge_message(message=alert, user=supporter)

    assert alert.read_at is not None
    assert alert.acknowledged_at is not None
    event = AuditEvent.objects.get(action="notifications.message.acknowledged")
    assert (event.actor, event.target_id) == (supporter, str(alert.pk))


def test_only_an_urgent_alert_can_be_acknowledged(supporter):
    with pytest.raises(services.NotificationError, match="Only an urgent alert"):
        services.acknowledge_message(message=tell(supporter), user=supporter)


def test_nobody_marks_or_acknowledges_another_persons_message(supporter, coordinator_a):
    alert = tell(supporter, kind=ALERT, key="alert")

    with pytest.raises(services.NotificationError):
        services.mark_read(message=alert, user=coordinator_a)
    with pytest.raises(services.NotificationError):
        services.acknowledge_message(message=alert, user=coordinator_a)


def test_the_inbox_shows_the_text_as_written_for_the_recipient_in_their_language(
    client, supporter, program_a
):
    supporter.language = "fr-ca"
    supporter.save()
    kind = MessageKind(
        "tests.lang",
        subject=lambda values: f"Written in {translation.get_language()}",
        body="Hello",
    )
    message = tell(supporter, kind=kind, program=program_a)
    client.force_login(supporter)

    page = client.get(reverse("notifications:inbox"), headers={"Accept-Language": "en"})

    assert message.subject == "Written in fr-ca"
    assert "Written in fr-ca" in page.content.decode()


# ---- pages ------------------------------------------------------------------------------------


def test_an_anonymous_visitor_is_sent_to_sign_in(client, db):
    response = client.get(reverse("notifications:inbox"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_inbox_lists_the_persons_own_messages_with_their_link(client, supporter, match_a):
    mine = tell(supporter, link=reverse("matches:detail", args=[match_a.pk]))
    tell(User.objects.create_user(email="someone@example.org"), key="theirs")
    client.force_login(supporter)

    response = client.get(reverse("notifications:inbox"))

    assert inbox_ids(response) == [mine.pk]
    page = response.content.decode()
    assert f"News for {supporter.display_name}" in page
    assert f'href="{mine.link}"' in page
    assert "Unread" in page
    assert "Mark as read" in page


def test_a_link_to_a_page_the_person_may_not_open_is_not_shown(client, supporter):
    tell(supporter, link=reverse("intake:queue"))  # for staff only
    client.force_login(supporter)

    response = client.get(reverse("notifications:inbox"))

    assert response.context["items"][0].link == ""
    assert reverse("intake:queue") not in response.content.decode().split('id="main"')[1]


def test_the_header_shows_the_unread_count_on_every_page(client, supporter):
    tell(supporter, key="one")
    tell(supporter, kind=ALERT, key="two")
    client.force_login(supporter)

    page = client.get(reverse("matches:list")).content.decode()

    assert 'id="inbox-link"' in page
    assert "2 unread" in page
    assert "1 urgent" in page


def test_the_inbox_is_paged(client, supporter):
    for number in range(INBOX_PAGE_SIZE + 3):
        tell(supporter, key=f"news-{number}")
    client.force_login(supporter)

    first = client.get(reverse("notifications:inbox"))
    second = client.get(reverse("notifications:inbox"), {"page": 2})

    assert len(inbox_ids(first)) == INBOX_PAGE_SIZE
    assert len(inbox_ids(second)) == 3


def test_marking_read_without_javascript_goes_back_to_the_same_page(client, supporter):
    message = tell(supporter)
    client.force_login(supporter)

    response = client.post(reverse("notifications:mark_read", args=[message.pk]), {"page": "2"})

    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:inbox") + "?page=2"
    message.refresh_from_db()
    assert message.read_at is not None


def test_marking_read_in_place_answers_the_list_and_the_headers_count(client, supporter):
    message = tell(supporter, key="one")
    tell(supporter, key="two")
    client.force_login(supporter)

    response = client.post(
        reverse("notifications:mark_read", args=[message.pk]), headers={"HX-Request": "true"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<div id="inbox"')
    assert "<html" not in page
    assert 'hx-swap-oob="true"' in page
    assert "1 unread" in page
    assert "Marked as read." in page


def test_marking_all_read_empties_the_count(client, supporter):
    tell(supporter, key="one")
    tell(supporter, key="two")
    client.force_login(supporter)

    response = client.post(reverse("notifications:mark_all_read"), follow=True)

    assert "2 messages marked as read." in response.content.decode()
    assert queries.inbox_count_for(supporter).unread == 0


def test_acknowledging_in_place_and_without_javascript(client, supporter):
    first = tell(supporter, kind=ALERT, key="one", context={"number": 1})
    second = tell(supporter, kind=ALERT, key="two", context={"number": 2})
    client.force_login(supporter)

    in_place = client.post(
        reverse("notifications:acknowledge", args=[first.pk]), headers={"HX-Request": "true"}
    )
    plain = client.post(reverse("notifications:acknowledge", args=[second.pk]))

    assert "Acknowledged." in in_place.content.decode()
    assert plain.status_code == 302
    assert queries.inbox_count_for(supporter).urgent == 0


def test_acknowledging_a_plain_message_says_why_not(client, supporter):
    message = tell(supporter)
    client.force_login(supporter)

    response = client.post(reverse("notifications:acknowledge", args=[message.pk]), follow=True)

    assert "Only an urgent alert needs acknowledging." in response.content.decode()


@pytest.mark.parametrize("name", ["notifications:mark_read", "notifications:acknowledge"])
def test_another_persons_message_answers_404(client, supporter, coordinator_a, name):
    alert = tell(coordinator_a, kind=ALERT)
    client.force_login(supporter)

    response = client.post(reverse(name, args=[alert.pk]))

    assert response.status_code == 404
    alert.refresh_from_db()
    assert alert.read_at is None
