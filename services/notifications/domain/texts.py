# ruff: noqa: RUF001 - Chinese text uses full-width punctuation
"""What an inbox item or e-mail says for each event type, in English, French and Chinese."""

from __future__ import annotations

LANGUAGES = ("en", "fr", "zh")
CATEGORIES = ("account", "organisation_status", "projects", "announcements", "events", "webhooks")
# What a person must always hear of: these can be moved to the inbox, never switched off.
CRITICAL = ("account", "organisation_status", "webhooks")
# Told in the inbox only: members already e-mails staff each registration with its details.
INBOX_ONLY = ("organisation.registration_received",)

# type -> (category, {language: (title, body)}); `{name}` and `{title}` are filled from data.
TEXTS: dict[str, tuple[str, dict[str, tuple[str, str]]]] = {
    "organisation.registration_received": (
        "organisation_status",
        {
            "en": (
                "{name} registered: to verify",
                "{registrant} ({registrant_email}) registered it.",
            ),
            "fr": (
                "{name} s'est inscrite\u202f: à vérifier",
                "{registrant} ({registrant_email}) l'a inscrite.",
            ),
            "zh": ("{name} 已注册，待审核", "由 {registrant}（{registrant_email}）注册。"),
        },
    ),
    "organisation.verified": (
        "organisation_status",
        {
            "en": ("{name} is verified", "Your organisation now appears in the directory."),
            "fr": ("{name} est vérifiée", "Votre organisation apparaît dans l'annuaire."),
            "zh": ("{name} 已通过审核", "贵机构已列入名录。"),
        },
    ),
    "organisation.suspended": (
        "organisation_status",
        {
            "en": ("{name} is suspended", "{reason}"),
            "fr": ("{name} est suspendue", "{reason}"),
            "zh": ("{name} 已被暂停", "{reason}"),
        },
    ),
    "project.application_submitted": (
        "projects",
        {
            "en": ("New application to {title}", "{message}"),
            "fr": ("Nouvelle candidature à {title}", "{message}"),
            "zh": ("{title} 收到新的申请", "{message}"),
        },
    ),
    "project.application_decided": (
        "projects",
        {
            "en": ("Your application to {title}: {decision}", "{reason}"),
            "fr": ("Votre candidature à {title} : {decision}", "{reason}"),
            "zh": ("您对 {title} 的申请：{decision}", "{reason}"),
        },
    ),
    "announcement.published": (
        "announcements",
        {
            "en": ("{title}", "{summary}"),
            "fr": ("{title}", "{summary}"),
            "zh": ("{title}", "{summary}"),
        },
    ),
    "announcement.event_reminder": (
        "events",
        {
            "en": ("Reminder: {title}", "{summary}"),
            "fr": ("Rappel : {title}", "{summary}"),
            "zh": ("提醒：{title}", "{summary}"),
        },
    ),
    "announcement.registration_changed": (
        "events",
        {
            "en": ("{title}: registration {status}", ""),
            "fr": ("{title} : inscription {status}", ""),
            "zh": ("{title}：报名状态 {status}", ""),
        },
    ),
    "webhook.endpoint_disabled": (
        "webhooks",
        {
            "en": ("A webhook endpoint was disabled", "{url} kept failing ({reason})."),
            "fr": ("Un point de terminaison webhook a été désactivé", "{url} échouait ({reason})."),
            "zh": ("一个 Webhook 端点已被停用", "{url} 持续失败（{reason}）。"),
        },
    ),
}


# Words from the data (a decision, a registration status) said in the reader's language.
WORDS = {
    "accepted": {"en": "accepted", "fr": "acceptée", "zh": "已接受"},
    "rejected": {"en": "rejected", "fr": "refusée", "zh": "未通过"},
    "registered": {"en": "confirmed", "fr": "confirmée", "zh": "已确认"},
    "waiting": {"en": "on the waiting list", "fr": "en liste d'attente", "zh": "候补中"},
    "cancelled": {"en": "cancelled", "fr": "annulée", "zh": "已取消"},
    "promoted": {
        "en": "confirmed from the waiting list",
        "fr": "confirmée depuis la liste d'attente",
        "zh": "已从候补转为确认",
    },
}


def _word(value, language: str) -> str:
    return WORDS.get(value, {}).get(language, value or "")


def _pick(value, language: str) -> str:
    if isinstance(value, dict):
        return value.get(language) or value.get("en") or next(iter(value.values()), "")
    return "" if value is None else str(value)


def render(event_type: str, data: dict, language: str) -> tuple[str, str, str]:
    """(category, title, body) in `language` (English when it is not offered)."""
    category, texts = TEXTS[event_type]
    language = language if language in LANGUAGES else "en"
    subject = data.get("project") or data.get("announcement") or {}
    values = {
        "name": data.get("name_zh")
        if language == "zh" and data.get("name_zh")
        else data.get("name"),
        "reason": data.get("reason") or "",
        "message": data.get("message") or "",
        "decision": _word(data.get("decision"), language),
        "status": _word(data.get("status"), language),
        "url": data.get("url") or "",
        "registrant": (data.get("registrant") or {}).get("full_name") or "",
        "registrant_email": (data.get("registrant") or {}).get("email") or "",
        "title": _pick(subject.get("title"), language),
        "summary": _pick(subject.get("summary"), language),
    }
    title, body = texts[language]
    return category, title.format(**values)[:300], body.format(**values)
