"""Catalog entries for birthdays, tier keep thresholds and reward limits (issue 11), merged
into the one catalog by loyalty.i18n.messages. Counts take their noun's plural forms: "مرتين
في اليوم", "3 مرات في الشهر"."""

from __future__ import annotations

PROGRAM_DEPTH_MESSAGES: dict[str, dict[str, str]] = {
    # --- tier keep thresholds ----------------------------------------------------------------
    "error.TIER_KEEP_ABOVE_ENTRY": {
        "ar": "حدّ البقاء في المستوى لا يتجاوز حدّ دخوله.",
        "en": "The threshold to keep a tier cannot be above the threshold to enter it.",
    },
    # --- reward limits -----------------------------------------------------------------------
    "error.REWARD_DAILY_LIMIT_REACHED": {
        "ar": "يمكنك استبدال هذه المكافأة {limit:times obl} في اليوم. جرّب غدًا.",
        "en": "You can redeem this reward {limit:times} a day. Try again tomorrow.",
    },
    "error.REWARD_MONTHLY_LIMIT_REACHED": {
        "ar": "يمكنك استبدال هذه المكافأة {limit:times obl} في الشهر. جرّب الشهر القادم.",
        "en": "You can redeem this reward {limit:times} a month. Try again next month.",
    },
    "error.REWARD_LIMIT_REACHED": {
        "ar": "استبدلت هذه المكافأة أقصى عدد مسموح: {limit:times}.",
        "en": "You have redeemed this reward as often as allowed: {limit:times}.",
    },
    "error.REWARD_OUT_OF_STOCK": {
        "ar": "نفدت الكمية المتاحة من هذه المكافأة.",
        "en": "This reward is out of stock.",
    },
    "error.REWARD_NOT_YET_AVAILABLE": {
        "ar": "تتاح هذه المكافأة ابتداءً من {date}.",
        "en": "This reward is available from {date}.",
    },
    "error.REWARD_NO_LONGER_AVAILABLE": {
        "ar": "انتهت مدة إتاحة هذه المكافأة في {date}.",
        "en": "This reward was available until {date}.",
    },
    "error.COUPON_ORDER_BELOW_MINIMUM": {
        "ar": "يُستخدم هذا الكوبون في الطلبات التي لا تقل قيمتها عن {minimum}.",
        "en": "This coupon needs an order of at least {minimum}.",
    },
    # --- birthdays ---------------------------------------------------------------------------
    "reason.birthday": {
        "ar": "هدية عيد الميلاد",
        "en": "Birthday gift",
    },
    "push.BIRTHDAY.title": {
        "ar": "عيد ميلاد سعيد!",
        "en": "Happy birthday!",
    },
    "push.BIRTHDAY.body": {
        "ar": "هديتنا لك: {points}.",
        "en": "Our gift to you: {points}.",
    },
    "push.BIRTHDAY.body.coupon": {
        "ar": "هديتنا لك: {reward}. تجدها في كوبوناتك.",
        "en": "Our gift to you: {reward}. You will find it in your coupons.",
    },
}
