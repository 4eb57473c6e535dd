"""The shipped question sets: they load through the same checks as a user's file, and keep the
ids and keys the engine core and the shipped workflow depend on."""
from __future__ import annotations

from infoview.plugins.questions.setfiles import builtin_set_files, builtin_sets, validate_set_file

ASK_CATEGORIES = ["ask-career-path", "ask-typical-week", "ask-industry", "ask-advice", "ask-referrals"]


def by_id() -> dict:
    return {s.id: s for s in builtin_sets()}


def test_every_shipped_file_validates_and_ids_are_unique() -> None:
    ids = [s.id for entry in builtin_set_files() for s in validate_set_file(entry)]
    assert len(ids) == len(set(ids))
    assert {"prepare-answers", "questions-to-ask", "interview-notes", "evaluation", *ASK_CATEGORIES} <= set(ids)


def test_each_ask_category_has_at_least_eight_distinct_questions() -> None:
    sets = by_id()
    for set_id in ASK_CATEGORIES:
        qset = sets[set_id]
        assert qset.purpose == "ask"
        assert len(qset.questions) >= 8, set_id
        assert len({q.text for q in qset.questions}) == len(qset.questions)


def test_prepare_answers_covers_the_usual_questions() -> None:
    qset = by_id()["prepare-answers"]
    assert qset.purpose == "answer"
    assert {"overview", "why_field", "why_company", "five_years", "hope_to_learn", "explored", "how_help",
            "last_role"} <= set(qset.keys())
    assert "two-minute" in qset.questions[0].text


def test_the_short_list_stays_short_and_keeps_its_first_key() -> None:
    qset = by_id()["questions-to-ask"]
    assert qset.purpose == "ask" and 6 <= len(qset.questions) <= 10
    assert "path" in qset.keys()


def test_note_and_evaluation_keys_are_exactly_what_the_core_relies_on() -> None:
    sets = by_id()
    notes, evaluation = sets["interview-notes"], sets["evaluation"]
    assert (notes.purpose, notes.section) == ("notes", "notes")
    assert notes.keys() == ["learned", "issues", "referrals", "promises", "contact_details"]
    required = {q.key for q in notes.questions if q.required}
    many = {q.key for q in notes.questions if q.many}
    assert required == {"learned"} and many == {"learned", "issues", "referrals", "promises"}
    assert (evaluation.purpose, evaluation.section) == ("evaluate", "evaluation")
    assert evaluation.keys() == ["went_well", "do_differently", "learned_positive", "learned_negative", "fit",
                                 "still_to_learn", "next_actions"]
    assert [(q.key, q.required, q.many) for q in evaluation.questions if q.required or q.many] == \
        [("next_actions", True, True)]


def test_plugin_hook_registers_every_shipped_file(tmp_path) -> None:
    import infoview.plugins.questions as plugin

    got: list = []
    plugin.infoview_register_question_sets(register=got.append, home=tmp_path)
    assert sorted(e.name for e in got) == sorted(e.name for e in builtin_set_files())
