"""An interview: details, the brief with its question sets, the notes and evaluation forms,
the thank-you draft, the history and the actions allowed now."""
from __future__ import annotations

from typing import Any

from flask import abort, render_template, request

from infoview import InfoviewError
from infoview.errors import NotFound

from infoview.edits import numbered

from .pages import back, change, engine, moved, page
from .views import actions, contact_line, label, local


SECTIONS = (("Notes", "notes"), ("Evaluation", "evaluation"))


def _by_key(rows: list[Any]) -> dict[str, list[Any]]:
    """Numbered entries (edits.numbered) grouped under their answer key, for the forms."""
    out: dict[str, list[Any]] = {}
    for row in rows:
        out.setdefault(row[1], []).append(row)
    return out


def _answer_forms(eng: Any, wf: Any, interview: Any) -> list[dict[str, Any]]:
    """A form per allowed event that takes answers, with the questions of its target state's sets."""
    forms = []
    for action in actions(wf, interview):
        if action.form != "answers":
            continue
        t = wf.table[(interview.state, action.event)]
        section = next(iter(k for k, v in t.answer_keys.items() if v))
        sets = [eng.registry.question_sets[s] for s in wf.states[t.to].questions
                if s in eng.registry.question_sets]
        questions = [q for s in sets if s.section == section for q in s.questions]
        forms.append({"event": action.event, "label": action.label, "section": section,
                      "questions": questions, "existing": _by_key(numbered(getattr(interview, section)))})
    return forms


def _load(interview_id: int) -> tuple[Any, Any]:
    eng = engine()
    try:
        return eng, eng.get(interview_id)
    except NotFound:
        abort(404)


@page("/interviews/<int:interview_id>")
def interview(interview_id: int) -> str:
    from infoview.meanings import meanings_of
    from infoview.plugins.questions.brief import build_brief
    from infoview.plugins.questions.commands import prep_sets
    from infoview.plugins.questions.thanks import draft_thanks_for_home

    eng, i = _load(interview_id)
    wf = eng.registry.workflows[i.workflow]
    brief = build_brief(i, prep_sets(i, wf, eng.registry.question_sets), eng.clock.now(), meanings_of([wf]), eng.zone)
    try:
        thanks = draft_thanks_for_home(i, eng.home, "text", eng.registry.template_fields)
    except InfoviewError as e:
        thanks = f"(no draft: {e})"
    recorded = [(title, numbered(getattr(i, section))) for title, section in SECTIONS]
    history = [{"e": e, "when": local(e.at, i.tz), "what": label(e.event)} for e in eng.history(i.id)]
    return render_template("interview.html", i=i, who=contact_line(i), when=local(i.start, i.tz), brief=brief,
                           actions=actions(wf, i), forms=_answer_forms(eng, wf, i), thanks=thanks,
                           history=history, recorded=recorded, todos=eng.store.todos(interview_id=i.id), referred=eng.store.referred_by(i.id))


@page("/interviews/<int:interview_id>/answers/<event>", methods=["POST"])
def answers(interview_id: int, event: str) -> Any:
    """The notes or evaluation form: what it adds to what is written, through the Engine."""
    from .forms import added_answers

    eng, i = _load(interview_id)
    wf = eng.registry.workflows[i.workflow]
    form = next((f for f in _answer_forms(eng, wf, i) if f["event"] == event), None)

    def fire() -> Any:
        if form is None:   # not allowed now: the engine says so in its own words
            return eng.fire(interview_id, event, {}, source="web")
        data = added_answers(form["questions"], request.form)
        return eng.fire(interview_id, event, {form["section"]: data} if data else {}, source="web")

    change(fire, moved)
    return back(f"/interviews/{interview_id}")


@page("/interviews/<int:interview_id>/move/<event>", methods=["POST"])
def move(interview_id: int, event: str) -> Any:
    """An event that moves the interview to a new time (reschedule)."""
    from .forms import reschedule_data

    eng, i = _load(interview_id)
    change(lambda: eng.fire(interview_id, event, reschedule_data(request.form, i.timezone), source="web"),
           moved)
    return back(f"/interviews/{interview_id}")


@page("/interviews/<int:interview_id>/edit", methods=["POST"])
def edit(interview_id: int) -> Any:
    """The details form: `infoview edit` through the Engine, refused in the CLI's one line."""
    from infoview.cli.corrections import edit_line

    from .forms import edit_request

    eng, _ = _load(interview_id)
    change(lambda: eng.edit(interview_id, edit_request(request.form), source="web"),
           lambda result: edit_line(interview_id, result))
    return back(f"/interviews/{interview_id}")
