"""The web app in Debian's Chromium: the flow of a conversation from the board to the report,
a refusal in the CLI's words, a CLI change on the next load, and a core flow with JavaScript off."""
from __future__ import annotations

from pathlib import Path

from cli_support import infoview, infoview_json, texts
from web_support import NOW, WAIT, Web

MS = WAIT * 1000


def open_page(chromium, web: Web, *, javascript: bool = True, width: int = 1280):  # type: ignore[no-untyped-def]
    context = chromium.new_context(java_script_enabled=javascript, viewport={"width": width, "height": 900})
    context.set_default_timeout(MS)
    page = context.new_page()
    page.goto(web.login)
    return context, page


def flash(page) -> str:  # type: ignore[no-untyped-def]
    return page.locator("p.flash").first.inner_text().strip()


def column_of(page, interview_id: int) -> str:  # type: ignore[no-untyped-def]
    return page.locator(f"#card-{interview_id}").locator("xpath=ancestor::section[1]").get_attribute("aria-labelledby")


def test_a_conversation_from_plan_to_report(web: Web, chromium, screenshots: Path):  # type: ignore[no-untyped-def]
    context, page = open_page(chromium, web)
    try:
        # the login URL leaves a clean address behind, and the board shows what the CLI planned
        assert page.url == web.base + "/"
        assert column_of(page, 1) == "col-planned" and column_of(page, 2) == "col-planned"
        card = page.locator("#card-1")
        assert "Jane Doe" in card.inner_text() and "Acme" in card.inner_text()
        page.screenshot(path=str(screenshots / "board.png"), full_page=True)

        card.get_by_role("button", name="Confirm interview 1 with Jane Doe").click()
        assert flash(page) == "interview 1: planned -> confirmed"
        assert column_of(page, 1) == "col-confirmed"

        # Sam's conversation is in five days: holding it now is refused, in the CLI's own line
        page.locator("#card-2").get_by_role("button", name="Hold interview 2 with Sam Roe").click()
        refusal = flash(page)
        cli = infoview(web.home, "hold", "2", now=NOW)
        assert cli.code == 1 and refusal == cli.err.strip()
        assert page.locator("p.flash.error").count() == 1
        assert infoview_json(web.home, "show", "2", now=NOW)["state"] == "planned"   # no trace

        page.locator("#card-1").get_by_role("button", name="Hold interview 1 with Jane Doe").click()
        assert flash(page) == "interview 1: confirmed -> held"

        # notes through the form, twice: the second adds to the first
        page.locator("#card-1 h3 a").click()
        assert page.url == web.base + "/interviews/1"
        page.get_by_label("What did you learn?", exact=False).first.fill("Hiring is by referral\nThey use dbt")
        page.get_by_role("button", name="Save: note").click()
        assert flash(page) == "interview 1: held -> noted"
        page.locator("#note").get_by_role("textbox").first.fill("Teams are small")
        page.get_by_role("button", name="Save: note").click()
        assert flash(page) == "interview 1: note recorded (noted)"
        notes = infoview_json(web.home, "show", "1", now=NOW)["notes"]
        assert texts(notes)["learned"] == ["Hiring is by referral", "They use dbt", "Teams are small"]
        # every entry listed, numbered as `infoview show 1` numbers them (what --replace N names)
        shown = infoview(web.home, "show", "1", now=NOW, check=True).out
        listed = page.locator("ol.entries li[id^=notes-]")
        assert listed.count() == 3
        for n, text in enumerate(["Hiring is by referral", "They use dbt", "Teams are small"], 1):
            assert f"[{n}] learned" in shown and text in shown.split(f"[{n}]", 1)[1].splitlines()[0]
            assert page.locator(f"#notes-{n}").inner_text().startswith(f"[{n}] learned {text}")
        # the form shows what is recorded under the question, so a second note adds, not repeats
        assert "[3] Teams are small" in page.locator("#note .written").first.inner_text()

        page.get_by_label("Your plan of action", exact=False).fill("Write to Sam by Friday")
        page.get_by_role("button", name="Save: evaluate").click()
        assert flash(page) == "interview 1: noted -> evaluated"
        assert "Hiring is by referral" in page.locator("#thanks-text").input_value()
        history = page.locator("ol.history").inner_text()
        for step in ("Plan", "Confirm", "Hold", "Note", "Evaluate"):
            assert step in history
        page.screenshot(path=str(screenshots / "interview.png"), full_page=True)

        # a change in the CLI shows on the next load
        infoview(web.home, "confirm", "2", now=NOW, check=True)
        page.goto(web.base + "/")
        assert column_of(page, 2) == "col-confirmed" and column_of(page, 1) == "col-evaluated"

        page.get_by_role("link", name="Report").click()
        funnel = page.get_by_role("img", name="Interviews by state", exact=False)
        title = funnel.locator("title").text_content() or ""
        assert "evaluated 1" in title and "confirmed 1" in title and "planned 0" in title
        assert page.locator("svg.chart").count() == 3
        page.screenshot(path=str(screenshots / "report.png"), full_page=True)
    finally:
        context.close()


def test_core_flow_with_javascript_off_on_a_phone(web: Web, chromium, screenshots: Path):  # type: ignore[no-untyped-def]
    context, page = open_page(chromium, web, javascript=False, width=390)
    try:
        page.locator("#card-1").get_by_role("button", name="Confirm interview 1 with Jane Doe").click()
        assert flash(page) == "interview 1: planned -> confirmed"
        page.goto(web.base + "/interviews/1")
        page.get_by_role("button", name="Hold interview 1 with Jane Doe").click()
        page.get_by_label("What did you learn?", exact=False).first.fill("Works without script")
        page.get_by_role("button", name="Save: note").click()
        assert flash(page) == "interview 1: held -> noted"
        assert not page.locator("button.copy").first.is_visible()   # an enhancement only
        page.goto(web.base + "/")
        # one column on a phone: the board's columns stack, none beside another
        boxes = [page.locator(f"#col-{s}").bounding_box() for s in ("planned", "noted")]
        assert boxes[0] and boxes[1] and boxes[0]["x"] == boxes[1]["x"] and boxes[0]["width"] <= 390
        page.screenshot(path=str(screenshots / "board-phone-nojs.png"), full_page=True)
        notes = infoview_json(web.home, "show", "1", now=NOW)["notes"]
        assert texts(notes) == {"learned": ["Works without script"]}
        page.goto(web.base + "/interviews/1")
        assert page.locator("#notes-1").inner_text().startswith("[1] learned Works without script")
    finally:
        context.close()
