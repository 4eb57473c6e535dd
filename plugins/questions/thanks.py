"""A draft thank-you note, built from the interview's notes, for the user to edit and send.

The note is an ordinary `infoview.templates` template. Parts that depend on what was noted
(what you learned, who they referred you to, what you promised) are template fields that render
to a whole paragraph, or to nothing when there is nothing to say, so a template never needs
conditionals. A user's own `<home>/templates/thanks.md` (or `.txt`) replaces the shipped one.
"""
from __future__ import annotations

import re
from importlib.resources import files
from pathlib import Path
from typing import Callable, Literal, Mapping

from infoview import InfoviewError, Interview, TemplateFieldSpec, templates
from infoview.yamlsource import read_text

Format = Literal["text", "md"]
SUFFIX: dict[str, str] = {"text": ".txt", "md": ".md"}
HONORIFICS = {"dr", "prof", "mr", "mrs", "ms", "mx", "sir", "dame"}


def _items(values: list[str]) -> list[str]:
    return [v for v in values if v.strip()]


def first_name(interview: Interview) -> str:
    """How to greet them: the first name, or the whole name when it starts with a title."""
    parts = interview.contact.name.split()
    if len(parts) > 1 and parts[0].rstrip(".").lower() not in HONORIFICS:
        return parts[0]
    return interview.contact.name


def referral_name(item: str) -> str:
    """'Ana Ruiz <ana@example.org>, runs data' -> 'Ana Ruiz': keep the name, drop the rest."""
    return re.split(r"\s*(?:[,(<;]| - )", item, maxsplit=1)[0].strip() or item.strip()


def _learned(i: Interview) -> str:
    items = _items(i.answers("notes", "learned"))
    if not items:
        return "I learned a great deal from our conversation."
    lead = "One thing you told me will stay with me:" if len(items) == 1 else \
        "Several things you told me will stay with me, especially:"
    return "\n".join([lead, *(f"- {x}" for x in items)])


def _referrals(i: Interview) -> str:
    names = [referral_name(x) for x in _items(i.answers("notes", "referrals"))]
    if not names:
        return ""
    who = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"Thank you also for suggesting I speak with {who}. I will mention that you pointed me their way."


def _promises(i: Interview) -> str:
    items = _items(i.answers("notes", "promises"))
    if not items:
        return ""
    return "\n".join(["As I said I would, I will follow up on:", *(f"- {x}" for x in items)])


def _when(i: Interview) -> str:
    return f"on {i.local_start:%A}"


def _topic(i: Interview) -> str:
    c = i.contact
    role = f"your work as {c.title}" if c.title else "your work"
    return f"{role} at {c.company}" if c.company else role


_FIELDS: dict[str, tuple[Callable[[Interview], str], str]] = {
    "contact.first_name": (first_name, "How to greet them: the first name, or the whole name after a title"),
    "thanks.when": (_when, "'on Tuesday': the day you talked"),
    "thanks.topic": (_topic, "'your work as Data Lead at Acme'"),
    "thanks.learned": (_learned, "What you learned, as a paragraph"),
    "thanks.referrals": (_referrals, "Thanks for the people they suggested (empty when none)"),
    "thanks.promises": (_promises, "What you said you would follow up on (empty when none)"),
}


def template_fields() -> list[TemplateFieldSpec]:
    """The note's fields; the plugin offers them to every template (see fields.py)."""
    return [TemplateFieldSpec(name=name, render=render, description=description)
            for name, (render, description) in _FIELDS.items()]


def default_template(fmt: Format) -> str:
    return files(__package__).joinpath("templates", f"thanks{SUFFIX[fmt]}").read_text(encoding="utf-8")


def home_template(home: Path, fmt: Format) -> tuple[str, str] | None:
    """The user's own template and its path: `thanks.md` or `thanks.txt` in `<home>/templates/`,
    the one matching `fmt` first. None when they have not written one."""
    order = [SUFFIX[fmt]] + [s for s in SUFFIX.values() if s != SUFFIX[fmt]]
    for suffix in order:
        path = home / "templates" / f"thanks{suffix}"
        if path.is_file():
            return read_text(path), str(path)
    return None


def check_template(template: str, label: str, fields: Mapping[str, TemplateFieldSpec]) -> None:
    """Raise one clear line if the template uses an unknown field or does not parse."""
    problems = templates.check(template, fields)
    if problems:
        raise InfoviewError(f"{label}: {problems[0]}; fix the template or delete it to use the default")


def draft_thanks(interview: Interview, fmt: Format = "text", template: str | None = None,
                 label: str = "thank-you template", fields: Mapping[str, TemplateFieldSpec] | None = None) -> str:
    """The note for `interview`. `template` overrides the shipped one (`label` names it in errors).
    `fields`: the registered template fields (the registry's); default: this plugin's own."""
    if fmt not in SUFFIX:
        raise InfoviewError(f"unknown format '{fmt}'; use text or md")
    fields = {spec.name: spec for spec in template_fields()} if fields is None else fields
    if template is None:
        template = default_template(fmt)
    else:
        check_template(template, label, fields)
    text = templates.render(template, interview, fields)
    # Paragraph fields that rendered empty leave runs of blank lines: fold them into one.
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def draft_thanks_for_home(interview: Interview, home: Path, fmt: Format = "text",
                          fields: Mapping[str, TemplateFieldSpec] | None = None) -> str:
    """What `infoview thanks` prints: the user's template when there is one, else the default."""
    found = home_template(home, fmt)
    if found is None:
        return draft_thanks(interview, fmt, fields=fields)
    template, path = found
    return draft_thanks(interview, fmt, template, label=path, fields=fields)
