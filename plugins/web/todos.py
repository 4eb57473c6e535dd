"""To-dos: the open ones, overdue first (as `infoview todo` lists them), a Done button each and a
form to add one, every change through the Engine."""
from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from flask import render_template, request

from .pages import back, change, engine, page


@page("/todos", "To-dos")
def todos() -> str:
    from infoview.cli.todos import ordered

    eng = engine()
    now = eng.clock.now()
    zone = ZoneInfo(eng.zone)
    rows = [{"t": t, "overdue": t.due is not None and t.due < now,
             "when": f"{t.due.astimezone(zone):%a %d %b %Y, %H:%M}" if t.due else None}
            for t in ordered(eng.store.todos(), now)]
    names = {i.id: i.contact.name for i in eng.interviews()}
    return render_template("todos.html", rows=rows, names=names, zone=eng.zone,
                           chosen=request.args.get("interview", type=int))


@page("/todos/add", methods=["POST"])
def add_todo() -> Any:
    from .forms import todo_data

    eng = engine()

    def add() -> int:
        text, due, interview_id = todo_data(request.form, eng.zone)
        return int(eng.add_todo(text, due, interview_id, source="web"))

    change(add, lambda n: f"to-do {n} added")
    return back("/todos")


@page("/todos/<int:todo_id>/done", methods=["POST"])
def done_todo(todo_id: int) -> Any:
    change(lambda: engine().close_todo(todo_id),
           lambda closed: f"to-do {todo_id} done" if closed else f"to-do {todo_id} was done already")
    return back("/todos")
