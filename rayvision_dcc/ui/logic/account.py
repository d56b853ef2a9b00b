"""The account bar: which service a domain belongs to, and the account line."""
from __future__ import annotations

ZONES = (("renderbus", "Renderbus"), ("foxrenderfarm", "Fox Renderfarm"))


def zone_of(domain):
    """``"renderbus"``, ``"foxrenderfarm"`` or ``""`` (another domain, e.g. a local farm)."""
    from rayvision_dcc.api.config import DOMAINS
    for key, value in DOMAINS.items():
        if domain in (key, value):
            return key
    return ""


def account_text(profile, domain=""):
    """``"rayvision - balance 12.50 CNY + coupon 49.93"`` from a ``queryUserProfile`` answer."""
    profile = profile or {}
    name = profile.get("userName") or profile.get("name") or str(profile.get("userId") or "?")
    fox = zone_of(domain) == "foxrenderfarm" or profile.get("zone") == 2
    balance = profile.get("usdbalance" if fox else "rmbbalance")
    text = name
    if balance is not None:
        text += " - balance {:.2f} {}".format(float(balance), "USD" if fox else "CNY")
    coupon = profile.get("coupon")
    if coupon:
        text += " + coupon {:.2f}".format(float(coupon))
    return text
