"""The message catalog (Arabic and English) and `translate`.

Templates use `str.format` placeholders. Every key has the same placeholders in both
languages. When rendering:

* a placeholder that is a point count (`points`, `balance`, `required`, `available`) and
  receives an int is rendered with `format_points`, so Arabic gets the right plural form
  ("نقطة واحدة", "نقطتان", "3 نقاط", "11 نقطة") and English "1 point" / "5 points";
* any other int or Decimal is rendered with `format_number` (Latin digits, grouping);
* everything else goes through `str()`.

Arabic templates place point counts where the nominative case is grammatical (e.g. after
"المطلوب" or a colon), because the default dual form is the nominative "نقطتان".
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Final

from loyalty.i18n.locales import FALLBACK_LOCALE, normalize_locale
from loyalty.i18n.plurals import PointsNames, format_number, format_points

POINT_COUNT_PLACEHOLDERS: Final = frozenset({"points", "balance", "required", "available"})

_CATALOG: dict[str, dict[str, str]] = {
    # --- authentication / generic ------------------------------------------------------------
    "error.UNAUTHENTICATED": {
        "ar": "المصادقة مطلوبة: بيانات الاعتماد مفقودة أو غير صالحة أو منتهية الصلاحية.",
        "en": "Authentication required: the credentials are missing, invalid or expired.",
    },
    "error.FORBIDDEN": {
        "ar": "لا تملك صلاحية تنفيذ هذا الإجراء باستخدام بيانات الاعتماد هذه.",
        "en": "You are not allowed to perform this action with these credentials.",
    },
    "error.INTERNAL": {
        "ar": "حدث خطأ غير متوقع. يُرجى المحاولة لاحقًا. (معرّف الطلب: {request_id})",
        "en": "An unexpected error occurred. Please try again later. (Request ID: {request_id})",
    },
    "error.BAD_REQUEST": {
        "ar": "الطلب غير صالح أو تعذّرت قراءته.",
        "en": "The request is malformed or could not be read.",
    },
    # --- input validation --------------------------------------------------------------------
    "error.INVALID_INPUT": {
        "ar": "مدخلات غير صالحة: {detail}",
        "en": "Invalid input: {detail}",
    },
    "error.INVALID_AMOUNT": {
        "ar": "يجب أن يكون المبلغ عددًا موجبًا.",
        "en": "The amount must be a positive number.",
    },
    "error.INVALID_DECIMAL": {
        "ar": "القيمة «{value}» ليست مبلغًا عشريًا صالحًا.",
        "en": 'The value "{value}" is not a valid decimal amount.',
    },
    "error.INVALID_CURRENCY": {
        "ar": "«{currency}» ليس رمز عملة صالحًا وفق معيار ISO 4217.",
        "en": '"{currency}" is not a valid ISO 4217 currency code.',
    },
    "error.CURRENCY_MISMATCH": {
        "ar": "عملة الطلب {currency} لا تطابق عملة البرنامج {expected}.",
        "en": "The order currency {currency} does not match the program currency {expected}.",
    },
    "error.INVALID_POINTS": {
        "ar": "يجب أن تكون النقاط عددًا صحيحًا غير صفري ضمن الحدود المسموح بها.",
        "en": "Points must be a non-zero whole number within the allowed limits.",
    },
    "error.INVALID_SLUG": {
        "ar": (
            "المعرّف المختصر (slug) غير صالح: يُسمح فقط بالأحرف اللاتينية الصغيرة والأرقام والشرطة،"
            " ولا يجوز أن يبدأ بشرطة أو ينتهي بها."
        ),
        "en": (
            "Invalid slug: use only lowercase Latin letters, digits and hyphens,"
            " and do not start or end with a hyphen."
        ),
    },
    "error.INVALID_LOCALE": {
        "ar": "اللغة «{locale}» غير مدعومة.",
        "en": 'The locale "{locale}" is not supported.',
    },
    "error.TOO_LONG": {
        "ar": "القيمة طويلة جدًا. الحد الأقصى لعدد الأحرف: {max}.",
        "en": "The value is too long. Maximum number of characters: {max}.",
    },
    "error.OUT_OF_RANGE": {
        "ar": "يجب أن تكون القيمة بين {min} و{max}.",
        "en": "The value must be between {min} and {max}.",
    },
    # --- not found ---------------------------------------------------------------------------
    "error.MEMBER_NOT_FOUND": {
        "ar": "العضو غير موجود.",
        "en": "Member not found.",
    },
    "error.REWARD_NOT_FOUND": {
        "ar": "المكافأة غير موجودة.",
        "en": "Reward not found.",
    },
    "error.ORDER_NOT_FOUND": {
        "ar": "الطلب غير موجود.",
        "en": "Order not found.",
    },
    "error.TIER_NOT_FOUND": {
        "ar": "المستوى غير موجود.",
        "en": "Tier not found.",
    },
    "error.COUPON_NOT_FOUND": {
        "ar": "القسيمة غير موجودة.",
        "en": "Coupon not found.",
    },
    "error.KEY_NOT_FOUND": {
        "ar": "المفتاح غير موجود.",
        "en": "Key not found.",
    },
    # --- conflicts ---------------------------------------------------------------------------
    "error.CONFLICT": {
        "ar": "تعارض: {detail}",
        "en": "Conflict: {detail}",
    },
    "error.IDEMPOTENCY_CONFLICT": {
        "ar": "مفتاح منع التكرار هذا استُخدم من قبل لطلب مختلف.",
        "en": "This idempotency key has already been used for a different request.",
    },
    "error.ALREADY_EXISTS": {
        "ar": "موجود مسبقًا: {detail}",
        "en": "Already exists: {detail}",
    },
    "error.IN_PROGRESS": {
        "ar": "الطلب نفسه قيد المعالجة حاليًا. يُرجى إعادة المحاولة بعد قليل.",
        "en": "The same request is already being processed. Please retry shortly.",
    },
    # --- points, rewards, orders -------------------------------------------------------------
    "error.INSUFFICIENT_POINTS": {
        "ar": "رصيد النقاط غير كافٍ: المطلوب {points}، والمتاح في رصيدك {balance}.",
        "en": "Not enough points: {points} required, but only {balance} available.",
    },
    "error.REWARD_INACTIVE": {
        "ar": "هذه المكافأة غير متاحة حاليًا.",
        "en": "This reward is not currently available.",
    },
    "error.TIER_REQUIRED": {
        "ar": "يتطلب ذلك الوصول إلى مستوى «{tier}».",
        "en": 'This requires the "{tier}" tier.',
    },
    "error.REFUND_EXCEEDS_ORDER": {
        "ar": "سيتجاوز مبلغ الاسترداد إجمالي الطلب البالغ {total}.",
        "en": "The refund would exceed the order total of {total}.",
    },
    "error.ORDER_FULLY_REFUNDED": {
        "ar": "تم استرداد مبلغ هذا الطلب بالكامل.",
        "en": "This order has already been fully refunded.",
    },
    # --- activities --------------------------------------------------------------------------
    "error.ACTIVITY_NOT_REWARDED": {
        "ar": "لا يمنح هذا البرنامج نقاطًا على هذا النشاط.",
        "en": "This program does not award points for this activity.",
    },
    "error.ACTIVITY_LIMIT_REACHED": {
        "ar": "تم بلوغ الحد الأقصى المسموح به لهذا النشاط.",
        "en": "The limit for this activity has been reached.",
    },
    # --- coupons -----------------------------------------------------------------------------
    "error.COUPON_ALREADY_USED": {
        "ar": "تم استخدام هذه القسيمة من قبل.",
        "en": "This coupon has already been used.",
    },
    "error.COUPON_EXPIRED": {
        "ar": "انتهت صلاحية هذه القسيمة.",
        "en": "This coupon has expired.",
    },
    "error.COUPON_CANCELLED": {
        "ar": "تم إلغاء هذه القسيمة.",
        "en": "This coupon has been cancelled.",
    },
    # --- member-token keys -------------------------------------------------------------------
    "error.INVALID_PUBLIC_KEY": {
        "ar": "المفتاح العام غير صالح أو بتنسيق غير مدعوم.",
        "en": "The public key is invalid or in an unsupported format.",
    },
    "error.LAST_KEY": {
        "ar": "لا يمكن حذف آخر مفتاح مخصص لرموز الأعضاء.",
        "en": "The last member-token key cannot be removed.",
    },
    "error.INVALID_TIMEZONE": {
        "ar": "المنطقة الزمنية «{timezone}» غير معروفة (استخدم اسمًا مثل Asia/Riyadh).",
        "en": 'Unknown timezone "{timezone}" (use a name such as Asia/Riyadh).',
    },
    "error.DEVICE_NOT_FOUND": {
        "ar": "لا يوجد جهاز مسجّل بهذا الرمز لهذا العضو.",
        "en": "No device with this token is registered for this member.",
    },
    "error.INVALID_AUDIENCE": {
        "ar": "اختر شريحة أو مستوى للحملة، لا كليهما.",
        "en": "Choose a segment or a tier for the campaign, not both.",
    },
    # --- ledger reasons (transaction history) ------------------------------------------------
    "reason.adjust": {
        "ar": "تعديل يدوي للرصيد",
        "en": "Manual adjustment",
    },
    "reason.order": {
        "ar": "نقاط مكتسبة من الطلب {order_id}",
        "en": "Points for order {order_id}",
    },
    "reason.order_pending": {
        "ar": "نقاط معلّقة من الطلب {order_id}",
        "en": "Pending points for order {order_id}",
    },
    "reason.release": {
        "ar": "انتهت فترة الإرجاع للطلب {order_id}",
        "en": "Return window ended for order {order_id}",
    },
    "reason.refund": {
        "ar": "استرداد مبلغ الطلب {order_id}",
        "en": "Refund of order {order_id}",
    },
    "reason.redeem": {
        "ar": "استبدال: {reward}",
        "en": "Redeemed: {reward}",
    },
    "reason.expire": {
        "ar": "انتهاء صلاحية النقاط: {points}",
        "en": "Points expired: {points}",
    },
    "reason.activity.SIGNUP": {
        "ar": "مكافأة التسجيل",
        "en": "Sign-up bonus",
    },
    "reason.activity.NEWSLETTER_SUBSCRIBE": {
        "ar": "الاشتراك في النشرة البريدية",
        "en": "Newsletter subscription",
    },
    "reason.activity.PRODUCT_REVIEW": {
        "ar": "تقييم منتج",
        "en": "Product review",
    },
    "reason.activity.BIRTHDAY": {
        "ar": "مكافأة عيد الميلاد",
        "en": "Birthday bonus",
    },
    "reason.activity.SOCIAL_FOLLOW": {
        "ar": "المتابعة على وسائل التواصل الاجتماعي",
        "en": "Social media follow",
    },
    "reason.activity.REFERRAL": {
        "ar": "دعوة صديق",
        "en": "Friend referral",
    },
    "reason.activity.CUSTOM": {
        "ar": "نشاط: {key}",
        "en": "Activity: {key}",
    },
    # --- push notifications (title and body per kind) -----------------------------------------
    # Point counts sit after a colon (nominative), so Arabic reads "نقطتان", "3 نقاط", "11 نقطة".
    "push.POINTS_EXPIRING.title": {
        "ar": "نقاطك على وشك الانتهاء",
        "en": "Your points are about to expire",
    },
    "push.POINTS_EXPIRING.body": {
        "ar": (
            "تنتهي صلاحية جزء من رصيدك في {date}. النقاط المنتهية: {points}."
            " استخدمها قبل فوات الأوان!"
        ),
        "en": "{points} will expire on {date}. Use them before they are gone!",
    },
    "push.TIER_UPGRADED.title": {
        "ar": "مبروك! وصلت إلى مستوى {tier}",
        "en": "Congratulations! You reached {tier}",
    },
    "push.TIER_UPGRADED.body": {
        "ar": "استمتع بمزايا مستوى {tier} الجديدة من اليوم.",
        "en": "Enjoy your new {tier} benefits from today.",
    },
    "push.VIP_TRIAL_STARTED.title": {
        "ar": "بدأت تجربتك لمستوى {tier}",
        "en": "Your {tier} trial has started",
    },
    "push.VIP_TRIAL_STARTED.body": {
        "ar": "جرّب مزايا {tier} حتى {date}.",
        "en": "Try the {tier} benefits until {date}.",
    },
    "push.VIP_TRIAL_ENDING_SOON.title": {
        "ar": "تجربة {tier} تنتهي قريبًا",
        "en": "Your {tier} trial ends soon",
    },
    "push.VIP_TRIAL_ENDING_SOON.body": {
        "ar": "تنتهي تجربتك في {date}. تسوّق الآن لتحتفظ بمستوى {tier}.",
        "en": "Your trial ends on {date}. Shop now to keep {tier}.",
    },
    "push.VIP_TRIAL_ENDED.title": {
        "ar": "انتهت تجربة {tier}",
        "en": "Your {tier} trial has ended",
    },
    "push.VIP_TRIAL_ENDED.body": {
        "ar": "شكرًا لتجربتك مزايا {tier}. واصل التسوّق للوصول إليه مجددًا.",
        "en": "Thanks for trying {tier}. Keep shopping to reach it again.",
    },
    "push.WIN_BACK.title": {
        "ar": "اشتقنا إليك!",
        "en": "We miss you!",
    },
    "push.WIN_BACK.body": {
        "ar": "رصيدك بانتظارك: {points}. عُد وتسوّق واكسب المزيد.",
        "en": "Your balance is waiting: {points}. Come back and earn more.",
    },
}

MESSAGES: Final[Mapping[str, Mapping[str, str]]] = MappingProxyType(
    {key: MappingProxyType(dict(texts)) for key, texts in _CATALOG.items()}
)
del _CATALOG


def _render(name: str, value: object, locale: str, points_names: PointsNames | None) -> object:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and name in POINT_COUNT_PLACEHOLDERS:
        return format_points(value, locale, points_names)
    if isinstance(value, int | Decimal):
        return format_number(value, locale)
    return value


def translate(key: str, locale: str, /, **params: object) -> str:
    """The message `key` in `locale` with `params` filled in.

    `locale` is normalised (`ar-SA` -> "ar"); an unsupported locale falls back to "en".
    `key` and `locale` are positional-only, so templates may use `{key}` and `{locale}`
    placeholders and `translate(k, loc, **error.params)` type-checks.
    Raises KeyError for an unknown key or a missing parameter; extra parameters are ignored.
    """
    return translate_with_names(key, locale, None, **params)


def translate_with_names(
    key: str, locale: str, points_names: PointsNames | None, /, **params: object
) -> str:
    """Like `translate`, rendering point-count placeholders with a merchant's point names."""
    templates = MESSAGES[key]
    resolved = normalize_locale(locale) or FALLBACK_LOCALE
    rendered = {
        name: _render(name, value, resolved, points_names) for name, value in params.items()
    }
    return templates[resolved].format_map(rendered)
