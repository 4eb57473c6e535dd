"""The web app's doors, tried with plain HTTP as another program or another site's page could:
no cookie, no CSRF token, a foreign Host, a GET that would change something, a wrong login."""
from __future__ import annotations

from html.parser import HTMLParser

from cli_support import infoview, infoview_json
import pytest

from web_support import NOW, Web


@pytest.fixture
def web(shared_web: Web) -> Web:
    """One server for these tests: only the CSRF tests change anything (interview 2, one to-do)."""
    shared_web.cookie = shared_web.csrf = ""
    return shared_web


def state(web: Web, interview_id: int) -> str:
    return str(infoview_json(web.home, "show", str(interview_id), now=NOW)["state"])


def test_the_login_url_sets_a_strict_httponly_cookie_and_leaves_a_clean_url(web: Web):
    status, headers, _ = web.request("GET", web.login[len(web.base):], cookie=False)
    assert status == 303 and headers["location"] in ("/", web.base + "/")
    cookie = headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and f"infoview-{web.port}=" in cookie
    assert web.token not in headers["set-cookie"]
    assert web.request("GET", "/login?token=" + "x" * len(web.token), cookie=False)[0] == 403
    assert web.request("GET", "/login", cookie=False)[0] == 403


def test_no_page_without_the_cookie(web: Web):
    for path in ("/", "/interviews/1", "/agenda", "/report", "/calendar", "/outbox"):
        status, _, body = web.request("GET", path, cookie=False)
        assert status == 403 and "login URL" in body and "Jane" not in body, path
    assert web.request("POST", "/interviews/1/fire/confirm", body={"csrf": "x"}, cookie=False)[0] == 403
    assert state(web, 1) == "planned"


def test_a_post_without_the_csrf_token_changes_nothing(web: Web):
    web.sign_in()
    for form in ({}, {"csrf": ""}, {"csrf": "forged" + web.csrf[6:]}):
        status, _, body = web.request("POST", "/interviews/2/fire/confirm", body=form)
        assert status == 403 and "CSRF" in body, form
    assert state(web, 2) == "planned"
    status, _, _ = web.request("POST", "/interviews/2/fire/confirm", body={"csrf": web.csrf})
    assert status == 303 and state(web, 2) == "confirmed"


def test_a_foreign_host_header_is_refused(web: Web):
    """DNS rebinding: a page of evil.test whose name now points at 127.0.0.1 sends Host: evil.test."""
    web.sign_in()
    for host in ("evil.test", f"evil.test:{web.port}", f"127.0.0.1:{web.port + 1}", ""):
        status, _, body = web.request("GET", "/", headers={"Host": host})
        assert status in (400, 403) and "Jane" not in body, host
        status, _, _ = web.request("POST", "/interviews/1/fire/confirm", body={"csrf": web.csrf},
                                   headers={"Host": host})
        assert status in (400, 403), host
    assert state(web, 1) == "planned"
    assert web.request("GET", "/", headers={"Host": f"localhost:{web.port}"})[0] == 200


def test_changes_only_by_post(web: Web):
    web.sign_in()
    assert web.request("GET", "/interviews/1/fire/confirm")[0] == 405
    assert state(web, 1) == "planned"
    for path in ("/interviews/1/edit", "/todos/add", "/todos/1/done"):
        assert web.request("GET", path)[0] == 405, path


def test_the_new_forms_check_the_csrf_token_too(web: Web):
    """Edit, add a to-do, mark one done: without the session's token, nothing changes."""
    web.sign_in()
    infoview(web.home, "todo", "add", "Read their blog", now=NOW, check=True)
    for path, form in (("/interviews/1/edit", {"name": "Mallory", "minutes": "20", "mode": "video"}),
                       ("/todos/add", {"text": "forged"}), ("/todos/1/done", {})):
        status, _, body = web.request("POST", path, body={"csrf": "forged", **form})
        assert status == 403 and "CSRF" in body, path
    assert infoview_json(web.home, "show", "1", now=NOW)["contact"]["name"] == "Jane Doe"
    assert [t["text"] for t in infoview_json(web.home, "todo", "--json", now=NOW)] == ["Read their blog"]


def test_every_page_forbids_framing_and_inline_script(web: Web):
    web.sign_in()
    for path in ("/", "/interviews/1", "/report", "/calendar", "/outbox", "/agenda", "/people", "/people/1",
                 "/todos"):
        status, headers, body = web.request("GET", path)
        assert status == 200, path
        csp = headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert headers["x-frame-options"] == "DENY" and headers["cache-control"] == "no-store"
        assert "<script>" not in body and " onclick=" not in body and " style=" not in body, path


class _Text(HTMLParser):
    """The text a page shows (not its attributes): what a person, or a screenshot, would read."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.hrefs: list[str] = []

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hrefs += [v or "" for k, v in attrs if k == "href"]


def test_the_subscription_page_never_writes_the_token_out_and_the_feed_is_served_here(web: Web):
    web.sign_in()
    _, _, page = web.request("GET", "/calendar")
    seen = _Text()
    seen.feed(page)
    feed_url = next(h for h in seen.hrefs if h.startswith("http://") and h.endswith(".ics"))
    assert webcal_of(feed_url) in seen.hrefs
    path = "/" + feed_url.split("/", 3)[3]
    secret = path.removeprefix("/calendar/").removesuffix(".ics")
    assert len(secret) >= 32 and secret not in "".join(seen.text)
    assert "<svg" in page   # the QR code carries it, drawn as paths
    # the feed comes from this server too, to any Host (a public_url behind a proxy), without the cookie
    status, headers, body = web.request("GET", path, cookie=False, headers={"Host": "cal.example.org"})
    assert status == 200 and headers["content-type"] == "text/calendar; charset=utf-8" and "Jane Doe" in body
    assert web.request("GET", path.replace(secret, secret[:-1] + "x"), cookie=False)[0] == 404


def webcal_of(url: str) -> str:
    return "webcal://" + url.split("://", 1)[1]
