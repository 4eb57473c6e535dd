"""Channel ids and scrubbed messages never carry a URL's secrets."""
from __future__ import annotations

import pytest

from infoview.plugins.notify.redact import scrub, secrets_of, short_id


@pytest.mark.parametrize(("privacy_url", "shown"), [
    ("json://user:****@127.0.0.1:8080/hooks/T0KEN?+X-Api-Key=abc", "json://127.0.0.1:8080/..."),
    ("json://localhost?method=POST", "json://localhost"),
    ("ntfys://mysecrettopic?mode=cloud", "ntfys://m...c"),
    ("tgram://1...w/12315544/?image=False", "tgram://1...w/..."),
    ("mailtos://user:****@gmail.com/?smtp=smtp.gmail.com", "mailtos://gmail.com/..."),
])
def test_short_id_keeps_only_scheme_host_and_port(privacy_url: str, shown: str) -> None:
    assert short_id(privacy_url) == shown


def test_scrub_masks_every_secret_part_and_shortens_urls() -> None:
    raw = "json://bot:PASSWORD1@hooks.example.com/path/ABCDEF123?+X-Key=HEADERVAL&method=POST"
    message = f"POST to {raw} failed for ABCDEF123 with PASSWORD1 (HEADERVAL)"
    cleaned = scrub(message, secrets_of(raw))
    assert cleaned == "POST to json://hooks.example.com/... failed for **** with **** (****)"
