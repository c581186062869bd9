"""Touchpoints: the channels a record shows, from its metadata and its words."""

from __future__ import annotations

import re

from assistant.models import AttributeValue

# Canonical channel -> words that name it in customers' text.
CHANNEL_WORDS: dict[str, tuple[str, ...]] = {
    "web": ("website", "web site", "site", "desktop", "laptop", "browser", "online"),
    "app": ("app", "ios", "android", "iphone app"),
    "email": ("email", "e-mail", "inbox", "newsletter"),
    "phone": ("phone", "called", "rang", "ring", "hold music", "call centre", "helpline"),
    "chat": ("chat", "live chat", "chatbot", "bot"),
    "store": ("in store", "in-store", "showroom", "shop floor"),
    "social": ("instagram", "tiktok", "facebook", "social media", "influencer", "youtube", "pinterest"),
    "ads": ("advert", "ad ", "ads", "advertising", "billboard", "tv ad"),
    "delivery": ("courier", "driver", "parcel", "delivery", "tracking"),
    "sms": ("text message", "sms"),
}
_PATTERNS = {
    channel: re.compile(r"\b(?:" + "|".join(re.escape(w.strip()) for w in words) + r")\b", re.IGNORECASE)
    for channel, words in CHANNEL_WORDS.items()
}
# Metadata values that name a channel directly (a ticket's channel, a review's store, a platform).
METADATA_CHANNELS: dict[str, str] = {
    "email": "email",
    "chat": "chat",
    "phone": "phone",
    "app": "app",
    "web": "web",
    "ios_app": "app",
    "android_app": "app",
    "app store": "app",
    "google play": "app",
    "store": "store",
    "in-store": "store",
    "social": "social",
    "sms": "sms",
}
CHANNEL_ATTRIBUTES = ("channel", "platform", "store", "source_channel", "touchpoint")


def channels_of(text: str, attributes: dict[str, AttributeValue]) -> set[str]:
    """Return the channels a record shows: named in its metadata, or in its words."""
    found: set[str] = set()
    for key, value in attributes.items():
        if key.lower() in CHANNEL_ATTRIBUTES:
            channel = METADATA_CHANNELS.get(str(value).strip().lower())
            if channel:
                found.add(channel)
    for channel, pattern in _PATTERNS.items():
        if pattern.search(text):
            found.add(channel)
    return found
