"""The walk of every page a person reaches, shared by the tests that read every page.

A person starts from the home page and follows the links and GET forms of each page they reach,
page after page. The walk is bounded: each page kind (URL name) is opened at most a few times,
with different arguments, so a program's size does not matter. What a test checks on each page
it says in `Walk.visit`; the link walk checks that no link leads to a dead end.
"""

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from django.test import Client
from django.urls import Resolver404, resolve

from alongside.accounts.factories import give_authenticator_app
from alongside.accounts.mfa import must_use_mfa
from alongside.accounts.models import User

# Each page kind (URL name) is opened at most this many times, with different arguments.
PER_URL_NAME = 3
# Links that are not pages of ours to walk into: the Django admin has its own guard (and its own
# test in test_access), static files are files. They are still checked, not followed.
NOT_FOLLOWED = ("/admin/", "/static/", "/api/")
# Answers that mean "this link was not for you" or "there is nothing here".
DEAD_ENDS = {403, 404}


class LinkParser(HTMLParser):
    """The targets a person can follow on a page: links, and the actions of GET forms."""

    def __init__(self) -> None:
        super().__init__()
        self.targets: list[tuple[str, str]] = []  # (what it is, where it goes)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href") is not None:
            self.targets.append(("link", attributes["href"] or ""))
        elif tag == "form" and (attributes.get("method") or "get").lower() == "get":
            self.targets.append(("GET form", attributes.get("action") or ""))


def internal_path(target: str, here: str) -> str | None:
    """A target as a path of ours (with its query), a relative one made absolute; None when it
    leaves the site or is not a page (mailto:, tel:...)."""
    if target.startswith(("mailto:", "tel:", "sms:", "javascript:")):
        return None
    absolute, _ = urldefrag(urljoin("http://testserver" + here, target))
    parts = urlsplit(absolute)
    if parts.netloc != "testserver":
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def targets_on(page: str, here: str) -> Iterator[tuple[str, str]]:
    """The page's internal targets as paths (with their query), relative ones made absolute."""
    parser = LinkParser()
    parser.feed(page)
    for kind, target in parser.targets:
        path = internal_path(target, here)
        if path is not None:
            yield kind, path


def url_name(path: str) -> str:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return f"unresolved {path}"
    return match.view_name


@dataclass
class Walk:
    """One person's walk: what they opened, and every dead end with the page that linked to it."""

    client: Client
    opened: dict[str, int] = field(default_factory=dict)  # path -> status
    per_name: Counter[str] = field(default_factory=Counter)
    dead_ends: list[str] = field(default_factory=list)

    def open(self, path: str) -> tuple[int, str, str]:
        """GETs a path following redirects; returns the final status, path and page."""
        response = self.client.get(path, follow=True)
        final = response.request["PATH_INFO"]
        query = response.request.get("QUERY_STRING", "")
        where = final + (f"?{query}" if query else "")
        is_html = response.get("Content-Type", "").startswith("text/html")
        page = response.content.decode() if is_html and response.status_code == 200 else ""
        return response.status_code, where, page

    def run(self, start: str) -> None:
        waiting = [(start, "(home)", "start")]
        while waiting:
            path, linked_from, kind = waiting.pop(0)
            if path in self.opened:
                self.check(path, self.opened[path], linked_from, kind)
                continue
            name = url_name(path)
            if self.per_name[name] >= PER_URL_NAME:
                continue
            self.per_name[name] += 1
            status, where, page = self.open(path)
            self.opened[path] = status
            self.check(path, status, linked_from, kind)
            if page and not where.startswith(NOT_FOLLOWED):
                self.visit(where, page)
                waiting.extend(
                    (target, where, target_kind) for target_kind, target in targets_on(page, where)
                )

    def visit(self, where: str, page: str) -> None:
        """What a test checks on each page of ours the walk reaches (nothing, here)."""

    def check(self, path: str, status: int, linked_from: str, kind: str) -> None:
        if status in DEAD_ENDS:
            dead_end = f"{kind} {path} ({url_name(path)}) on {linked_from} answers {status}"
            if dead_end not in self.dead_ends:
                self.dead_ends.append(dead_end)


def signed_in_client(email: str) -> Client:
    user = User.objects.get(email=email)
    if must_use_mfa(user):
        give_authenticator_app(user)  # staff sign in with two steps
    client = Client()
    client.force_login(user)
    return client
