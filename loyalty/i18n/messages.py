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
    # --- transport: limits and persisted queries (HTTP-level refusals, not ErrorCodes) -------
    "error.RATE_LIMITED": {
        "ar": "طلبات كثيرة في وقت قصير. يُرجى المحاولة بعد قليل.",
        "en": "Too many requests in a short time. Please try again shortly.",
    },
    "error.PAYLOAD_TOO_LARGE": {
        "ar": "حجم الطلب أكبر من المسموح به.",
        "en": "The request body is larger than allowed.",
    },
    "error.BATCH_TOO_LARGE": {
        "ar": "عدد العمليات في الدفعة الواحدة أكبر من المسموح به (الحد الأقصى {max}).",
        "en": "Too many operations in one batch (at most {max}).",
    },
    "error.QUERY_TOO_DEEP": {
        "ar": "الاستعلام متداخل بعمق أكبر من المسموح به (الحد الأقصى {max} مستويات).",
        "en": "The query is nested deeper than allowed (at most {max} levels).",
    },
    "error.TOO_MANY_ALIASES": {
        "ar": "عدد الأسماء المستعارة في الاستعلام {count}، والحد الأقصى {max}.",
        "en": "The query uses {count} aliases; at most {max} are allowed.",
    },
    "error.TOO_MANY_TOKENS": {
        "ar": "الاستعلام أطول من المسموح به (أكثر من {max} رمز).",
        "en": "The query is longer than allowed (more than {max} tokens).",
    },
    "error.QUERY_TOO_COMPLEX": {
        "ar": "تكلفة الاستعلام {requested} تتجاوز الحد المسموح به وهو {limit}.",
        "en": "The query costs {requested}, more than the limit of {limit}.",
    },
    "error.PERSISTED_QUERY_HASH_MISMATCH": {
        "ar": "بصمة الاستعلام المحفوظ لا تطابق نصه.",
        "en": "The persisted query hash does not match the query.",
    },
    "error.NOT_ACCEPTABLE": {
        "ar": "لا يمكن الرد بأي من أنواع المحتوى المطلوبة.",
        "en": "None of the accepted media types can be answered.",
    },
    "error.UNSUPPORTED_MEDIA_TYPE": {
        "ar": "نوع محتوى الطلب غير مدعوم؛ استخدم application/json.",
        "en": "Unsupported request content type; use application/json.",
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
    "error.DUPLICATE_VALUE": {
        "ar": "القيمة {value} مكررة. أدخل كل قيمة مرة واحدة.",
        "en": "The value {value} is repeated. Enter each value once.",
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
    "leaderboard.anonymous": {
        "ar": "عضو",
        "en": "Member",
    },
    "error.BADGE_NOT_FOUND": {
        "ar": "لا توجد شارة بهذا المعرّف.",
        "en": "There is no badge with this id.",
    },
    "error.TIER_RANK_TAKEN": {
        "ar": "يوجد مستوى آخر بالترتيب {rank}.",
        "en": "Another tier already has rank {rank}.",
    },
    "error.TIER_THRESHOLD_OVERLAP": {
        "ar": "يجب أن يكون حدّ التأهل لكل مستوى أعلى من حدّ المستوى الأدنى منه.",
        "en": "Each tier's threshold must be higher than the threshold of the tier below it.",
    },
    "error.NO_VIP_TRIAL_OFFER": {
        "ar": "لا يقدّم هذا البرنامج تجربة كبار العملاء حاليًا.",
        "en": "This program does not offer a VIP trial at the moment.",
    },
    "error.VIP_TRIAL_NOT_ELIGIBLE": {
        "ar": "تتاح تجربة كبار العملاء بعد عدد من الطلبات (الحد الأدنى: {orders}).",
        "en": "The VIP trial is available after at least {orders} orders.",
    },
    "error.VIP_TRIAL_ALREADY_USED": {
        "ar": "استفدت من تجربة كبار العملاء مؤخرًا؛ تتاح تجربة جديدة بعد {date}.",
        "en": "You have had a VIP trial recently; a new one is available after {date}.",
    },
    "error.TIER_ALREADY_HELD": {
        "ar": "العضو في هذا المستوى أو في مستوى أعلى منه بالفعل.",
        "en": "The member already has this tier or a higher one.",
    },
    "error.REFERRAL_CODE_INVALID": {
        "ar": "رمز الإحالة غير صحيح.",
        "en": "This referral code is not valid.",
    },
    "error.SELF_REFERRAL": {
        "ar": "لا يمكنك استخدام رمز الإحالة الخاص بك.",
        "en": "You cannot use your own referral code.",
    },
    "error.CIRCULAR_REFERRAL": {
        "ar": "لا يمكنك استخدام رمز عضو قمت أنت بدعوته.",
        "en": "You cannot use the code of a member you referred.",
    },
    "error.ALREADY_REFERRED": {
        "ar": "سبق أن استخدمت رمز إحالة.",
        "en": "You have already used a referral code.",
    },
    "error.NOT_A_NEW_CUSTOMER": {
        "ar": "رموز الإحالة مخصّصة للعملاء الجدد قبل طلبهم الأول.",
        "en": "Referral codes are for new customers before their first order.",
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
    # --- app theme and icon --------------------------------------------------------------------
    "error.INVALID_COLOR": {
        "ar": "«{value}» ليس لونًا صالحًا. استخدم الصيغة ‎#RRGGBB أو ‎#RRGGBBAA.",
        "en": '"{value}" is not a valid color. Use #RRGGBB or #RRGGBBAA.',
    },
    "error.LOW_CONTRAST": {
        "ar": (
            "التباين بين النص ‎{foreground} والخلفية ‎{background} هو {ratio}:1 فقط، "
            "والحد الأدنى المطلوب {minimum}:1 (WCAG 2.1 AA). جرّب اللون ‎{suggestion}."
        ),
        "en": (
            "Text {foreground} on {background} has a contrast of only {ratio}:1; "
            "at least {minimum}:1 is required (WCAG 2.1 AA). Try {suggestion}."
        ),
    },
    "error.UNSUPPORTED_FONT": {
        "ar": "الخط «{font}» غير مدعوم. الخطوط التي تعرض العربية واللاتينية: {allowed}.",
        "en": 'The font "{font}" is not supported. Fonts that render Arabic and Latin: {allowed}.',
    },
    "error.INSECURE_URL": {
        "ar": "يجب أن يكون الرابط عنوان https صالحًا.",
        "en": "The URL must be a valid https address.",
    },
    "error.THEME_NOT_FOUND": {
        "ar": "إصدار المظهر غير موجود.",
        "en": "Theme version not found.",
    },
    "error.NO_THEME_DRAFT": {
        "ar": "لا توجد مسودة مظهر لنشرها. احفظ المظهر أولًا.",
        "en": "There is no theme draft to publish. Save a theme first.",
    },
    "error.IMAGE_UNSUPPORTED_FORMAT": {
        "ar": "الملف ليس صورة PNG أو JPEG أو WebP.",
        "en": "The file is not a PNG, JPEG or WebP image.",
    },
    "error.IMAGE_TOO_LARGE": {
        "ar": "حجم الملف كبير جدًا. الحد الأقصى {max_mb} ميغابايت.",
        "en": "The file is too large. The maximum is {max_mb} MB.",
    },
    "error.IMAGE_DIMENSIONS_TOO_LARGE": {
        "ar": "أبعاد الصورة كبيرة جدًا. الحد الأقصى {max_side}×{max_side} بكسل.",
        "en": "The image dimensions are too large. The maximum is {max_side}x{max_side} pixels.",
    },
    "error.IMAGE_TOO_SMALL": {
        "ar": "الصورة صغيرة جدًا. الحد الأدنى {min}×{min} بكسل.",
        "en": "The image is too small. The minimum is {min}x{min} pixels.",
    },
    "error.IMAGE_NOT_SQUARE": {
        "ar": "يجب أن تكون الأيقونة مربعة، لكن أبعادها {width}×{height} بكسل.",
        "en": "The icon must be square, but it is {width}x{height} pixels.",
    },
    "error.IMAGE_TRANSPARENT": {
        "ar": "يجب ألا تحتوي الأيقونة على شفافية (متجر تطبيقات iOS يرفضها).",
        "en": "The icon must not contain transparency (the iOS App Store rejects it).",
    },
    "error.IMAGE_CORRUPT": {
        "ar": "تعذّرت قراءة الصورة: الملف تالف أو غير مكتمل.",
        "en": "The image could not be read: the file is damaged or incomplete.",
    },
    # --- rewards explainer ("how our points work") --------------------------------------------
    "explainer.title": {
        "ar": "كيف تعمل نقاط {program}",
        "en": "How {program} points work",
    },
    "explainer.earning": {"ar": "طرق كسب النقاط", "en": "Ways to earn"},
    "explainer.earning.base": {
        "ar": "مع كل 1 {currency} تنفقه تكسب: {points}.",
        "en": "Earn {points} for every 1 {currency} you spend.",
    },
    "explainer.earning.rate": {
        "ar": "تكسب {rate} نقطة مع كل 1 {currency} تنفقه.",
        "en": "Earn {rate} points for every 1 {currency} you spend.",
    },
    "explainer.earning.activity": {
        "ar": "{name}: {points} (مكافأة)",
        "en": "{name}: {points} (bonus)",
    },
    "explainer.earning.product": {
        "ar": "{name}: النقاط مضاعفة ×{multiplier}",
        "en": "{name}: {multiplier}x points",
    },
    "explainer.earning.product_bonus": {
        "ar": "{name}: إضافة {points} لكل قطعة",
        "en": "{name}: {points} extra per item",
    },
    "explainer.earning.product_both": {
        "ar": "{name}: النقاط مضاعفة ×{multiplier}، وإضافة {points} لكل قطعة",
        "en": "{name}: {multiplier}x points, plus {points} per item",
    },
    "explainer.value": {"ar": "قيمة النقاط", "en": "What points are worth"},
    "explainer.value.line": {
        "ar": "{points} تساوي {worth} {currency} عند الاستبدال.",
        "en": "{points} are worth {worth} {currency} when redeemed.",
    },
    "explainer.pending": {"ar": "متى يمكنك استخدام النقاط", "en": "When you can use points"},
    "explainer.pending.line": {
        "ar": "تصبح نقاط الطلب قابلة للاستخدام بعد انتهاء فترة الإرجاع (بالأيام): {days}.",
        "en": "Order points become spendable after the return window (in days): {days}.",
    },
    "explainer.expiry": {"ar": "انتهاء الصلاحية", "en": "Expiry"},
    "explainer.expiry.line": {
        "ar": "تنتهي صلاحية النقاط بعد كسبها بعدد الأشهر التالي: {months}.",
        "en": "Points expire this many months after you earn them: {months}.",
    },
    "explainer.expiry.never": {
        "ar": "لا تنتهي صلاحية النقاط أبدًا.",
        "en": "Points never expire.",
    },
    "explainer.tiers": {"ar": "المستويات", "en": "Tiers"},
    "explainer.tiers.line": {
        "ar": "{name}: ابتداءً من إنفاق {threshold} {currency}، النقاط مضاعفة ×{multiplier}",
        "en": "{name}: from {threshold} {currency} spent, {multiplier}x points",
    },
    # --- statistics --------------------------------------------------------------------------
    "error.INVALID_RANGE": {
        "ar": "يجب أن تكون نهاية الفترة بعد بدايتها.",
        "en": "The end of the period must be after its start.",
    },
    "error.RANGE_TOO_LONG": {
        "ar": "الفترة طويلة جدًا. الحد الأقصى لطولها بالأيام: {max}.",
        "en": "The period is too long. Maximum length in days: {max}.",
    },
    "error.TOO_MANY_BUCKETS": {
        "ar": "الفترة مقسّمة إلى فواصل زمنية كثيرة جدًا. الحد الأقصى لعدد الفواصل: {max}.",
        "en": "The period splits into too many intervals. Maximum number of intervals: {max}.",
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
    # --- member administration -------------------------------------------------------------
    "error.SEARCH_SORT_UNSUPPORTED": {
        "ar": "تُرتَّب نتائج البحث حسب تاريخ الانضمام. أزل الترتيب أو البحث.",
        "en": "Search results are ordered by join date. Remove the sort or the search.",
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
    "reason.referral.referrer": {
        "ar": "مكافأة دعوة صديق انضم وأتمّ طلبه الأول",
        "en": "Reward for referring a friend who completed their first order",
    },
    "reason.referral.referee": {
        "ar": "مكافأة الانضمام عبر دعوة صديق",
        "en": "Welcome reward for joining through a friend's invitation",
    },
    "reason.badge": {
        "ar": "مكافأة شارة: {badge}",
        "en": "Badge bonus: {badge}",
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
    "push.REWARD_AFFORDABLE.title": {
        "ar": "يمكنك الآن الحصول على {reward}",
        "en": "You can now get {reward}",
    },
    "push.REWARD_AFFORDABLE.body": {
        "ar": "رصيدك يكفي لاستبدال {reward} مقابل: {points}.",
        "en": "Your balance covers {reward} for {points}. Redeem it in the app.",
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
