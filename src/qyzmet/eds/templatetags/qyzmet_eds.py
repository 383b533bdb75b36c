"""``{% load qyzmet_eds %}{% ncalayer_choice "sign" iin bin %}``: the "Sign with NCALayer"
choice inside a signing form (see ``qyzmet/eds/ncalayer.py`` and ``ncalayer.js``)."""

from django import template

from qyzmet.eds import ncalayer

register = template.Library()


@register.inclusion_tag("qyzmet/eds/_ncalayer.html")
def ncalayer_choice(purpose: str = "sign", iin: str = "", bin: str = "") -> dict:  # noqa: A002
    return {
        "url": ncalayer.url(),
        "timeout_ms": ncalayer.timeout_ms(),
        "purpose": "auth" if purpose == "auth" else "sign",
        "iin": iin or "",
        "bin": bin or "",
        "download_url": ncalayer.DOWNLOAD_URL,
        "texts": {key: ncalayer.text(key) for key in ncalayer.TEXTS},
    }
