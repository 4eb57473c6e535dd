"""The report: where interviews stand (a funnel of states), conversations per week and what is
due, as pictures drawn on the server, each with its numbers in a table."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import render_template

from .board import columns
from .charts import bars, per_week
from .pages import engine, page
from .views import local


@page("/report", "Report")
def report() -> str:
    from infoview.meanings import meanings_of
    from infoview.plugins.questions.report import build_report, store_names

    eng = engine()
    now = eng.clock.now()
    data = build_report(eng.store.interviews(), now, columns(eng), meanings_of(eng.registry.workflows.values()),
                        eng.store.todos(), store_names(eng.store))
    zone = ZoneInfo(eng.zone)
    for t in data["todos"]:
        t["when"] = local(datetime.fromisoformat(t["due"]), zone) if t["due"] else None
    funnel = bars(data["counts"].items(), "state")
    # the weeks drawn start at most 9 weeks back: read only the interviews from then on
    weekly = bars(per_week(eng.store.interviews(starting_from=now - timedelta(weeks=9)), now), "week")
    due_rows = [("overdue steps", len(data["overdue"])),
                ("follow-ups overdue", sum(1 for f in data["follow_ups"] if f["overdue"])),
                ("follow-ups this week", sum(1 for f in data["follow_ups"] if not f["overdue"])),
                ("open referrals", len(data["open_referrals"])),
                ("to-dos overdue", sum(1 for t in data["todos"] if t["overdue"])),
                ("to-dos open", sum(1 for t in data["todos"] if not t["overdue"]))]
    due = bars(due_rows, "due")
    return render_template("report.html", r=data, funnel=funnel, weekly=weekly, due=due)
