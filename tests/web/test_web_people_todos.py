"""People, a person's timeline, to-dos and the details form in Debian's Chromium: what the CLI
planned shows up, and every change the browser makes is what the CLI then reads."""
from __future__ import annotations

from pathlib import Path

from cli_support import infoview, infoview_json
from test_web_flow import flash, open_page
from web_support import NOW, Web


def test_people_and_a_timeline(web: Web, chromium, screenshots: Path):  # type: ignore[no-untyped-def]
    # Jane (1) held and noted in the CLI; she referred you to Kim (3), planned in the CLI too
    for step in (("confirm", "1"), ("hold", "1"), ("note", "1", "--learned", "Hiring is by referral")):
        infoview(web.home, *step, now=NOW, check=True)
    infoview(web.home, "plan", "Kim Lee", "--email", "kim@globex.test", "--at", "2026-06-20T10:00",
             "--tz", "Europe/Berlin", "--referred-by", "1", now=NOW, check=True)
    jane = next(p for p in infoview_json(web.home, "people", now=NOW) if p["name"] == "Jane Doe")
    infoview(web.home, "person", "log", str(jane["id"]), "Emailed her the deck", "--at", "2026-06-10T10:30",
             "--tz", "UTC", now=NOW, check=True)
    context, page = open_page(chromium, web)
    try:
        page.get_by_role("link", name="People").click()
        page.wait_for_url(web.base + "/people")
        rows = page.locator("table.people tbody tr")
        names = [rows.nth(n).locator("td").first.inner_text() for n in range(rows.count())]
        assert names == [p["name"] for p in infoview_json(web.home, "people", now=NOW)]
        assert sorted(names) == ["Jane Doe", "Kim Lee", "Sam Roe"]
        page.screenshot(path=str(screenshots / "people.png"), full_page=True)

        page.get_by_label("Search names, emails, companies and notes").fill("acme")
        page.get_by_role("button", name="Search").click()
        page.wait_for_url(web.base + "/people?q=acme")
        assert rows.count() == 1 and "Jane Doe" in rows.first.inner_text()
        page.get_by_label("Search names, emails, companies and notes").fill("nobody-here")
        page.get_by_role("button", name="Search").click()
        assert "No one matches" in page.locator("main").inner_text()

        page.goto(web.base + "/people?q=acme")
        page.get_by_role("link", name="Jane Doe").click()
        assert page.url == f"{web.base}/people/{jane['id']}"
        timeline = page.locator("ol.timeline").inner_text()
        assert "learned: Hiring is by referral" in timeline
        assert "referred you to Kim Lee" in timeline
        assert "conversation" in timeline and "contact: Emailed her the deck" in timeline
        cli = infoview_json(web.home, "person", str(jane["id"]), "--json", now=NOW)
        assert page.locator("ol.timeline > li").count() == len(cli["timeline"])
        due = page.locator("#due-h + ul").inner_text()
        assert [f["interview"] for f in cli["follow_ups_due"]] == [1] and "follow up after interview 1" in due
        assert "Referred you to" in page.locator("dl.details").inner_text()
        page.screenshot(path=str(screenshots / "person.png"), full_page=True)
        assert page.goto(web.base + "/people/999").status == 404   # type: ignore[union-attr]
    finally:
        context.close()


def test_a_todo_added_and_done_in_the_browser(web: Web, chromium, screenshots: Path):  # type: ignore[no-untyped-def]
    infoview(web.home, "todo", "add", "Read their blog", "--due", "2026-06-01", now=NOW, check=True)  # overdue
    context, page = open_page(chromium, web, javascript=False)
    try:
        page.get_by_role("link", name="To-dos").click()
        page.get_by_label("What to do").fill("Send Jane the deck")
        page.get_by_label("Due date", exact=False).fill("2026-06-12")
        page.get_by_label("From interview", exact=False).select_option("1")
        page.get_by_role("button", name="Add the to-do").click()
        assert flash(page) == "to-do 2 added"
        cli = infoview_json(web.home, "todo", "--json", now=NOW)
        assert [(t["id"], t["text"], t["interview"], t["overdue"]) for t in cli] == [
            (1, "Read their blog", None, True), (2, "Send Jane the deck", 1, False)]
        assert cli[1]["due"].startswith("2026-06-12T") and cli[1]["origin"] == "web"
        items = page.locator("ul.todos > li")
        assert items.count() == 2
        assert "overdue since" in items.first.inner_text() and "Read their blog" in items.first.inner_text()
        assert "interview 1 with Jane Doe" in items.nth(1).inner_text()
        page.screenshot(path=str(screenshots / "todos.png"), full_page=True)

        page.get_by_role("button", name="Done: to-do 1, Read their blog").click()
        assert flash(page) == "to-do 1 done"
        assert [t["id"] for t in infoview_json(web.home, "todo", "--json", now=NOW)] == [2]
        assert page.locator("ul.todos > li").count() == 1

        # the report lists what is due, the to-do among it
        page.get_by_role("link", name="Report").click()
        assert "Send Jane the deck" in page.locator(".report-todos").inner_text()
        title = page.get_by_role("img", name="What is due", exact=False).locator("title").text_content() or ""
        assert "to-dos open 1" in title and "to-dos overdue 0" in title
    finally:
        context.close()


def test_details_edited_in_the_browser(web: Web, chromium):  # type: ignore[no-untyped-def]
    context, page = open_page(chromium, web, javascript=False)
    try:
        page.goto(web.base + "/interviews/1")
        page.get_by_text("Edit the details").click()
        page.get_by_label("Email").fill("jane@acme.test")
        page.get_by_role("button", name="Save the details").click()
        assert flash(page) == "interview 1: edited (email jane@acme.test)"
        assert infoview_json(web.home, "show", "1", now=NOW)["contact"]["email"] == "jane@acme.test"

        # a bad address is refused in the CLI's one line, and nothing is recorded
        before = infoview_json(web.home, "show", "1", now=NOW)
        page.get_by_text("Edit the details").click()
        page.get_by_label("Email").fill("not-an-address")
        page.get_by_role("button", name="Save the details").click()
        cli = infoview(web.home, "edit", "1", "--email", "not-an-address", now=NOW)
        assert cli.code != 0 and flash(page) == cli.err.strip()
        assert page.locator("p.flash.error").count() == 1
        assert infoview_json(web.home, "show", "1", now=NOW) == before

        # saving it unchanged records nothing, as `infoview edit` says
        page.get_by_text("Edit the details").click()
        page.get_by_role("button", name="Save the details").click()
        assert flash(page) == "interview 1: nothing changed (it already says that); nothing was recorded"
    finally:
        context.close()


def test_a_todo_refused_in_the_words_of_todo_add(web: Web):
    web.sign_in()
    for body, words in (({"text": "  "}, "TEXT: say what to do, in at most 2,000 characters"),
                        ({"text": "Call Sam", "due": "soon"}, "--due: 'soon' is not a date"),
                        ({"text": "Call Sam", "interview": "99"}, "interview 99")):
        status, headers, _ = web.request("POST", "/todos/add", body={"csrf": web.csrf, **body})
        assert status == 303 and headers["location"].endswith("/todos")
        _, _, page = web.request("GET", "/todos")
        flash = page.split('<p class="flash error" role="alert">', 1)[1].split("</p>", 1)[0]
        assert words in flash.replace("&#39;", "'")
    assert infoview_json(web.home, "todo", "--json", now=NOW) == []   # nothing added
