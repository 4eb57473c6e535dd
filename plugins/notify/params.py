"""What a workflow file writes under `notify:`."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

# apprise gives "all" and "always" a special meaning, and reads ":" and "," as priority/retry and
# OR syntax; a tag here is one plain name, so a message only goes where the user routed it.
RESERVED = {"all", "always"}


class NotifyParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    tag: str = Field(description="the apprise tag whose channels get this message, e.g. reminders")
    title: str = Field(description="template over interview fields, e.g. 'Confirm tomorrow: {contact.name}'")
    body: str = Field(default="", description="template; when empty the title is sent as the body too")

    @field_validator("tag")
    @classmethod
    def _plain_tag(cls, value: str) -> str:
        tag = value.strip().lower()  # apprise stores tags lowercased
        if not tag or not all(ch.isalnum() or ch in "_-." for ch in tag):
            raise ValueError(f"tag '{value}' must be one name of letters, digits, '-', '_' or '.'")
        if tag in RESERVED:
            raise ValueError(f"tag '{tag}' would reach every channel; name the tag of the channels to notify")
        return tag
