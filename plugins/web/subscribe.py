"""The calendar subscription: webcal:// and http(s):// links and a QR code (segno, SVG) to add the
feed on a phone. The token is in the links and the code, never written out whole on the page."""
from __future__ import annotations

from flask import render_template
from markupsafe import Markup

from .pages import engine, page, site


def masked(url: str, token: str) -> str:
    return url.replace(token, token[:4] + "…" + token[-2:])


@page("/calendar", "Calendar")
def calendar() -> str:
    import segno

    from infoview.plugins.calendar.options import load_options
    from infoview.plugins.calendar.token import read_token
    from infoview.plugins.calendar.urls import feed_url, webcal_url

    eng, s = engine(), site()
    token = read_token(eng.home)
    options = load_options(eng.config)
    url = feed_url(token, host=s.bound, port=s.port, public_url=options.public_url)
    webcal = webcal_url(url)
    qr = segno.make(webcal, error="m").svg_inline(scale=4, dark="#111", light="#fff", omitsize=False)
    return render_template("calendar.html", url=url, webcal=webcal, shown_url=masked(url, token),
                           shown_webcal=masked(webcal, token), qr=Markup(qr), public=bool(options.public_url))
