"""The template fields this plugin offers to every template (a workflow's `notify` title, the
thank-you note): `{brief}`, `{contact.first_name}` and the `{thanks.*}` paragraphs."""
from __future__ import annotations

from infoview import TemplateFieldSpec

from . import thanks
from .brief import short_brief


def template_fields() -> list[TemplateFieldSpec]:
    # {brief}: a notification body can carry a few lines, not the whole markdown brief.
    brief = TemplateFieldSpec(name="brief", render=short_brief,
                              description="A few plain lines: who, when, where, goals, and the etiquette")
    return [brief, *thanks.template_fields()]
