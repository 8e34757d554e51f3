"""Catalog entries of gifting, charity and privacy (issue 12), merged into loyalty.i18n.messages
(same rules: both languages, the same placeholders, Arabic counts through the renderer)."""

from __future__ import annotations

GIFTING_MESSAGES: dict[str, dict[str, str]] = {
    "error.TRANSFERS_DISABLED": {
        "ar": "لا يتيح هذا البرنامج إهداء {points_word:def} بين الأعضاء.",
        "en": "This program does not allow sending {points_word} to other members.",
    },
    "error.SELF_TRANSFER": {
        "ar": "لا يمكنك إهداء {points_word:def} لنفسك.",
        "en": "You cannot send {points_word} to yourself.",
    },
    "error.RECIPIENT_NOT_FOUND": {
        "ar": "لا يوجد عضو بهذا المعرّف في البرنامج.",
        "en": "There is no member with this id in the program.",
    },
    "error.TRANSFER_LIMIT_REACHED": {
        "ar": (
            "يتجاوز هذا الحدّ اليومي للإهداء ({cap:points}). يمكنك أن تُهدي اليوم {points:acc} فقط."
        ),
        "en": (
            "This exceeds the daily gifting limit of {cap:points}. "
            "You can still send {points} today."
        ),
    },
    # Nothing left today: "يمكنك أن تهدي 0 نقطة" would read as a taunt.
    "error.TRANSFER_LIMIT_REACHED.none": {
        "ar": "بلغت الحدّ اليومي للإهداء ({cap:points}). حاول مجددًا غدًا.",
        "en": "You have reached the daily gifting limit of {cap:points}. Try again tomorrow.",
    },
    "error.ACCOUNT_TOO_NEW": {
        "ar": "يمكنك إهداء {points_word:def} بعد مرور {days:obl} على انضمامك.",
        "en": "You can send {points_word} once you have been a member for {days}.",
    },
    "error.CHARITY_NOT_FOUND": {
        "ar": "لا توجد جهة خيرية بهذا المعرّف.",
        "en": "There is no charity with this id.",
    },
    "error.CHARITY_INACTIVE": {
        "ar": "لا تستقبل هذه الجهة الخيرية التبرعات حاليًا.",
        "en": "This charity is not accepting donations at the moment.",
    },
    "error.MEMBER_ERASED": {
        "ar": "حُذفت بيانات هذا العميل بناءً على طلبه. لتسجيله من جديد استخدم مفتاح الإدارة.",
        "en": (
            "This customer's data was erased at their request. Enrol them again with the admin key."
        ),
    },
    "reason.transfer_out": {
        "ar": "{points_word} مُهداة إلى عضو آخر",
        "en": "{points_word:cap} sent as a gift",
    },
    "reason.transfer_in": {
        "ar": "{points_word} وصلتك هدية من عضو آخر",
        "en": "{points_word:cap} received as a gift",
    },
    "reason.donate": {
        "ar": "تبرّع لـ«{charity}»",
        "en": "Donation to {charity}",
    },
}
