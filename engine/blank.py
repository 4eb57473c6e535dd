"""A key written with no value (`planned:`, `description:`) means "nothing to say": the key's
default, as if it were left out, wherever a file's model has a default for it."""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel


def drop_blank(model: type[BaseModel], data: Any) -> Any:
    """The data without the keys written with no value that the model can do without."""
    if not isinstance(data, dict):
        return data
    optional = {f.alias or name for name, f in model.model_fields.items() if not f.is_required()}
    return {k: v for k, v in data.items() if not (v is None and k in optional)}


def empty_if_blank(value: Any) -> Any:
    """A mapping written with no value is an empty one."""
    return {} if value is None else value


def none_as_empty_list(value: Any) -> Any:
    """A list written with no value is an empty one."""
    return [] if value is None else value
