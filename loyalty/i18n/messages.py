"""The message catalog (Arabic and English) and `translate`.

Templates are filled by the one renderer, `loyalty.i18n.render` (placeholder specs such as
`{points:obl}` or `{max:levels}`, money, dates, bidi isolation of Arabic values). Every key
has the same placeholders in both languages, except that an Arabic text may leave out one
the English text names (`reason.activity.CUSTOM` shows no technical key to shoppers).

A key may have variants, `<key>.<variant>` (e.g. `error.TIER_ALREADY_HELD.admin`): the
`variant` parameter selects one when it exists, and the key itself otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from loyalty.i18n.checkout_messages import CHECKOUT_MESSAGES
from loyalty.i18n.locales import FALLBACK_LOCALE, normalize_locale
from loyalty.i18n.plurals import PointsNames
from loyalty.i18n.program_depth_messages import PROGRAM_DEPTH_MESSAGES
from loyalty.i18n.render import MessageContext, render

_CATALOG: dict[str, dict[str, str]] = {
    # --- authentication / generic ------------------------------------------------------------
    "error.UNAUTHENTICATED": {
        "ar": "انتهت جلستك أو بيانات الدخول غير صالحة. يُرجى تسجيل الدخول مجددًا.",
        "en": "Authentication required: the credentials are missing, invalid or expired.",
    },
    "error.FORBIDDEN": {
        "ar": "ليست لديك صلاحية لتنفيذ هذا الإجراء.",
        "en": "You are not allowed to perform this action with these credentials.",
    },
    "error.INTERNAL": {
        "ar": "حدث خطأ غير متوقع. يُرجى المحاولة لاحقًا. (الرقم المرجعي: {request_id})",
        "en": "An unexpected error occurred. Please try again later. (Request ID: {request_id})",
    },
    # --- transport: limits and persisted queries (HTTP-level refusals, not ErrorCodes) -------
    "error.RATE_LIMITED": {
        "ar": "محاولات كثيرة في وقت قصير. يُرجى المحاولة بعد قليل.",
        "en": "Too many requests in a short time. Please try again shortly.",
    },
    "error.PAYLOAD_TOO_LARGE": {
        "ar": "حجم البيانات المرسلة أكبر من المسموح به.",
        "en": "The request body is larger than allowed.",
    },
    "error.BATCH_TOO_LARGE": {
        "ar": "عدد العمليات في الدفعة الواحدة أكبر من المسموح به (الحد الأقصى {max:operations}).",
        "en": "Too many operations in one batch (at most {max:operations}).",
    },
    "error.QUERY_TOO_DEEP": {
        "ar": "الاستعلام متداخل بعمق أكبر من المسموح به (الحد الأقصى {max:levels}).",
        "en": "The query is nested deeper than allowed (at most {max:levels}).",
    },
    "error.TOO_MANY_ALIASES": {
        "ar": "عدد الأسماء المستعارة في الاستعلام {count}، والحد الأقصى {max}.",
        "en": "The query uses {count} aliases; at most {max} are allowed.",
    },
    "error.TOO_MANY_TOKENS": {
        "ar": "الاستعلام أطول من المسموح به (أكثر من {max:tokens obl}).",
        "en": "The query is longer than allowed (more than {max:tokens}).",
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
        "ar": "نوع محتوى البيانات المرسلة غير مدعوم؛ استخدم \u2068application/json\u2069.",
        "en": "Unsupported request content type; use application/json.",
    },
    "error.BAD_REQUEST": {
        "ar": "تعذّرت قراءة البيانات المرسلة أو أنها غير صالحة.",
        "en": "The request is malformed or could not be read.",
    },
    "error.MALFORMED_JSON": {
        "ar": (
            "تعذّرت قراءة البيانات المرسلة: ليست نص \u2068JSON\u2069 صالحًا بترميز \u2068UTF-8\u2069."
        ),
        "en": "The request body is not valid UTF-8 JSON.",
    },
    "error.EMPTY_BODY": {
        "ar": "الطلب فارغ: أرسل كائن \u2068JSON\u2069 يحوي الحقل «query».",
        "en": 'The request body is empty: send a JSON object with a "query".',
    },
    "error.INVALID_REQUEST_BODY": {
        "ar": "يجب أن يكون الطلب كائن \u2068JSON\u2069 فيه الحقل «query» أو قائمة من هذه الكائنات.",
        "en": 'The request body must be a JSON object with a "query", or a list of them.',
    },
    "error.EMPTY_BATCH": {
        "ar": "الدفعة فارغة ولا تحوي أي عملية.",
        "en": "The batch is empty: it has no operation to run.",
    },
    "error.MISSING_QUERY": {
        "ar": "لا يحوي الطلب استعلامًا: أضف الحقل «query».",
        "en": 'The request has no GraphQL query: add a "query".',
    },
    "error.MALFORMED_MULTIPART": {
        "ar": "طلب رفع الملفات غير صالح: يجب أن يربط الحقل «map» كل ملف مرسل بمتغير موجود.",
        "en": 'The multipart request is malformed: "map" must tie each sent file to a variable.',
    },
    "error.METHOD_NOT_ALLOWED": {
        "ar": (
            "طريقة الطلب غير مسموح بها: أرسل الاستعلامات بطريقة \u2068GET\u2069"
            " أو \u2068POST\u2069، والتعديلات بطريقة \u2068POST\u2069."
        ),
        "en": "Method not allowed: send queries with GET or POST, and mutations with POST.",
    },
    "error.NOT_FOUND": {
        "ar": "الصفحة غير موجودة.",
        "en": "Not found.",
    },
    "error.GRAPHQL_PARSE_FAILED": {
        "ar": "تعذّر تحليل الاستعلام: {detail}",
        "en": "The query could not be parsed: {detail}",
    },
    "error.GRAPHQL_VALIDATION_FAILED": {
        "ar": "الاستعلام غير صالح لهذا المخطط: {detail}",
        "en": "The query is not valid against the schema: {detail}",
    },
    "error.BAD_USER_INPUT": {
        "ar": "قيمة أحد المتغيرات غير صالحة: {detail}",
        "en": "A variable has an invalid value: {detail}",
    },
    # --- input validation --------------------------------------------------------------------
    "error.INVALID_INPUT": {
        "ar": "قيمة الحقل «{detail:field}» غير صالحة.",
        "en": "Invalid input: {detail:field}",
    },
    "error.INVALID_AMOUNT": {
        "ar": "يجب أن يكون المبلغ عددًا موجبًا.",
        "en": "The amount must be a positive number.",
    },
    "error.INVALID_AMOUNT.negative": {
        "ar": "يجب ألا يكون المبلغ سالبًا.",
        "en": "The amount must not be negative.",
    },
    "error.INVALID_AMOUNT.zero": {
        "ar": "يجب أن يكون المبلغ أكبر من صفر.",
        "en": "The amount must be greater than zero.",
    },
    "error.INVALID_AMOUNT.too_large": {
        "ar": "المبلغ أكبر من الحد الأقصى وهو {most}.",
        "en": "The amount is over the maximum of {most}.",
    },
    "error.INVALID_AMOUNT.precision": {
        "ar": "مبالغ عملة {currency} لا تقبل أكثر من {digits:decimals obl} بعد الفاصلة العشرية.",
        "en": "Amounts in {currency} have at most {digits:decimals} after the decimal point.",
    },
    "error.INVALID_AMOUNT.whole": {
        "ar": "مبالغ عملة {currency} أعداد صحيحة بلا كسور عشرية.",
        "en": "Amounts in {currency} are whole numbers, with no decimals.",
    },
    "error.INVALID_DECIMAL": {
        "ar": "القيمة «{value}» ليست مبلغًا عشريًا صالحًا.",
        "en": 'The value "{value}" is not a valid decimal amount.',
    },
    "error.INVALID_CURRENCY": {
        "ar": "رمز العملة «{currency}» غير صالح وفق معيار ISO 4217.",
        "en": '"{currency}" is not a valid ISO 4217 currency code.',
    },
    "error.CURRENCY_MISMATCH": {
        "ar": "عملة الطلب ({currency}) لا تطابق عملة البرنامج ({expected}).",
        "en": "The order currency {currency} does not match the program currency {expected}.",
    },
    "error.INVALID_POINTS": {
        "ar": "يجب أن تكون {points_word:def} عددًا صحيحًا لا يساوي صفرًا ضمن الحدود المسموح بها.",
        "en": "{points_word:cap} must be a non-zero whole number within the allowed limits.",
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
        "ar": "القيمة طويلة جدًا. الحد الأقصى {max:characters}.",
        "en": "The value is too long. The maximum is {max:characters}.",
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
        "ar": "الكوبون غير موجود.",
        "en": "Coupon not found.",
    },
    "error.KEY_NOT_FOUND": {
        "ar": "المفتاح غير موجود.",
        "en": "Key not found.",
    },
    # --- conflicts ---------------------------------------------------------------------------
    "error.CONFLICT": {
        "ar": "تتعارض قيمة «{detail:field}» مع بيانات محفوظة. حدّث البيانات وأعد المحاولة.",
        "en": "Conflict: {detail:field}",
    },
    "error.CONFLICT.order": {
        "ar": (
            "سُجّل الطلب {order_id} من قبل بقيم أخرى في: {fields:field} (الإجمالي المسجَّل {total})."
            " استخدم رقم طلب جديدًا للطلب الجديد."
        ),
        "en": (
            "Order {order_id} was already recorded with a different {fields:field}"
            " (recorded total: {total}). Use a new order id for a new order."
        ),
    },
    "error.ORDER_TOO_OLD": {
        "ar": "مضى على الطلب أكثر من {months:obl}، فنقاطه منتهية الصلاحية بالفعل.",
        "en": "The order was placed more than {months} ago: its points would already have expired.",
    },
    "error.IDEMPOTENCY_CONFLICT": {
        "ar": "مفتاح منع التكرار هذا استُخدم من قبل لعملية مختلفة.",
        "en": "This idempotency key has already been used for a different operation.",
    },
    "error.ALREADY_EXISTS": {
        "ar": "القيمة «{detail}» مستخدمة من قبل.",
        "en": "Already exists: {detail}",
    },
    "error.IN_PROGRESS": {
        "ar": "هذه العملية قيد المعالجة حاليًا. يُرجى إعادة المحاولة بعد قليل.",
        "en": "The same operation is already being processed. Please retry shortly.",
    },
    # --- points, rewards, orders -------------------------------------------------------------
    "error.INSUFFICIENT_POINTS": {
        "ar": "رصيدك لا يكفي. المطلوب {points}، ورصيدك الحالي {balance}.",
        "en": "Not enough {points_word}: {points} required, but only {balance} available.",
    },
    "error.REWARD_INACTIVE": {
        "ar": "هذه المكافأة غير متاحة حاليًا.",
        "en": "This reward is not currently available.",
    },
    "error.TIER_REQUIRED": {
        "ar": "هذه المكافأة متاحة لأعضاء مستوى «{tier}» فأعلى.",
        "en": 'This reward is for "{tier}" members and above.',
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
        "ar": "تتاح تجربة كبار العملاء بعد أن تُتمّ {orders:acc} على الأقل.",
        "en": "The VIP trial is available after at least {orders} orders.",
    },
    "error.VIP_TRIAL_ALREADY_USED": {
        "ar": "استفدت من تجربة كبار العملاء مؤخرًا، ويمكنك تجربتها مجددًا بعد {date}.",
        "en": "You have had a VIP trial recently; a new one is available after {date}.",
    },
    "error.TIER_ALREADY_HELD": {
        "ar": "أنت بالفعل في هذا المستوى أو في مستوى أعلى منه.",
        "en": "You already have this tier or a higher one.",
    },
    "error.INSUFFICIENT_POINTS.admin": {
        "ar": "رصيد العضو لا يكفي. المطلوب {points}، ورصيده الحالي {balance}.",
        "en": "Not enough {points_word}: {points} required, but only {balance} available.",
    },
    # The admin variant: an admin granting a trial reads about the member, not about themselves.
    "error.TIER_ALREADY_HELD.admin": {
        "ar": "العضو في هذا المستوى أو في مستوى أعلى منه بالفعل.",
        "en": "The member already has this tier or a higher one.",
    },
    "error.REFERRAL_CODE_INVALID": {
        "ar": "رمز الدعوة غير صحيح.",
        "en": "This invitation code is not valid.",
    },
    "error.SELF_REFERRAL": {
        "ar": "لا يمكنك استخدام رمز الدعوة الخاص بك.",
        "en": "You cannot use your own invitation code.",
    },
    "error.CIRCULAR_REFERRAL": {
        "ar": "لا يمكنك استخدام رمز شخص انضم بدعوة منك.",
        "en": "You cannot use the code of someone who joined through your invitation.",
    },
    "error.ALREADY_REFERRED": {
        "ar": "سبق أن استخدمت رمز دعوة.",
        "en": "You have already used an invitation code.",
    },
    "error.NOT_A_NEW_CUSTOMER": {
        "ar": "رموز الدعوة مخصّصة للعملاء الجدد قبل طلبهم الأول.",
        "en": "Invitation codes are for new customers before their first order.",
    },
    "error.REFUND_EXCEEDS_ORDER": {
        "ar": "مبلغ الاسترداد أكبر من إجمالي الطلب ({total:compact}).",
        "en": "The refund is larger than the order total ({total}).",
    },
    "error.ORDER_FULLY_REFUNDED": {
        "ar": "استُرِدّ مبلغ هذا الطلب بالكامل.",
        "en": "This order has already been fully refunded.",
    },
    # --- activities --------------------------------------------------------------------------
    "error.ACTIVITY_NOT_REWARDED": {
        "ar": "لا تُمنح {points_word:def} على هذا النشاط في هذا البرنامج.",
        "en": "This program does not award {points_word} for this activity.",
    },
    "error.ACTIVITY_LIMIT_REACHED": {
        "ar": "وصلت إلى الحد الأقصى المسموح به لهذا النشاط.",
        "en": "You have reached the limit for this activity.",
    },
    # --- coupons -----------------------------------------------------------------------------
    "error.COUPON_ALREADY_USED": {
        "ar": "استُخدم هذا الكوبون من قبل.",
        "en": "This coupon has already been used.",
    },
    "error.COUPON_EXPIRED": {
        "ar": "انتهت صلاحية هذا الكوبون.",
        "en": "This coupon has expired.",
    },
    "error.COUPON_CANCELLED": {
        "ar": "أُلغي هذا الكوبون.",
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
        "ar": "اللون «{value}» غير صالح. استخدم الصيغة \u200e#RRGGBB أو \u200e#RRGGBBAA.",
        "en": '"{value}" is not a valid color. Use #RRGGBB or #RRGGBBAA.',
    },
    "error.LOW_CONTRAST": {
        "ar": (
            "نسبة التباين بين لون النص \u200e{foreground} ولون الخلفية \u200e{background}"
            " هي {ratio}:1 فقط، والحد الأدنى المطلوب {minimum}:1 (WCAG 2.1 AA)."
            " جرّب اللون \u200e{suggestion}."
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
        "ar": "أبعاد الصورة كبيرة جدًا. الحد الأقصى \u200e{max_side:plain}×{max_side:plain} بكسل.",
        "en": (
            "The image dimensions are too large. The maximum is {max_side:plain}x{max_side:plain}"
            " pixels."
        ),
    },
    "error.IMAGE_TOO_SMALL": {
        "ar": "الصورة صغيرة جدًا. الحد الأدنى \u200e{min:plain}×{min:plain} بكسل.",
        "en": "The image is too small. The minimum is {min:plain}x{min:plain} pixels.",
    },
    "error.IMAGE_NOT_SQUARE": {
        "ar": "يجب أن تكون الأيقونة مربعة، لكن أبعادها \u200e{width:plain}×{height:plain} بكسل.",
        "en": "The icon must be square, but it is {width:plain}x{height:plain} pixels.",
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
        "ar": "كيف تعمل {points_word} {program}؟",
        "en": "How {program} {points_word} work",
    },
    "explainer.earning": {"ar": "طرق كسب {points_word:def}", "en": "Ways to earn"},
    "explainer.earning.base": {
        "ar": "اكسب {points:acc} عن كل {currency} تنفقه.",
        "en": "Earn {points} for every 1 {currency} you spend.",
    },
    "explainer.earning.rate": {
        "ar": "اكسب {rate:points acc} عن كل {currency} تنفقه.",
        "en": "Earn {rate:points} for every 1 {currency} you spend.",
    },
    "explainer.earning.activity": {
        "ar": "{name}: تكسب {points:acc}.",
        "en": "{name}: earn {points}.",
    },
    "explainer.earning.product": {
        "ar": "{name}: تكسب {points_word:def} \u200e×{multiplier}",
        "en": "{name}: {multiplier}x {points_word}",
    },
    "explainer.earning.product_bonus": {
        "ar": "{name}: تكسب {points:acc} {points:agree two=إضافيتين other=إضافية} عن كل قطعة",
        "en": "{name}: {points} extra per item",
    },
    "explainer.earning.product_both": {
        "ar": (
            "{name}: تكسب {points_word:def} \u200e×{multiplier}،"
            " و{points:acc} {points:agree two=إضافيتين other=إضافية} عن كل قطعة"
        ),
        "en": "{name}: {multiplier}x {points_word}, plus {points} per item",
    },
    "explainer.value": {"ar": "قيمة {points_word:def}", "en": "What {points_word} are worth"},
    "explainer.value.line": {
        "ar": "كل {points:obl} تساوي {worth:acc} عند الاستبدال.",
        "en": "{points} {points:agree one=is other=are} worth {worth} when redeemed.",
    },
    "explainer.pending": {
        "ar": "متى يمكنك استخدام {points_word:def}؟",
        "en": "When you can use {points_word}",
    },
    "explainer.pending.line": {
        "ar": "تصبح {points_word} كل طلب متاحة للاستخدام بعد انتهاء فترة الإرجاع ({days}).",
        "en": "Order {points_word} become spendable once the return window of {days} has passed.",
    },
    "explainer.pending.immediate": {
        "ar": "تصبح {points_word} كل طلب متاحة للاستخدام فور تسجيله.",
        "en": "Order {points_word} can be spent as soon as the order is recorded.",
    },
    "explainer.expiry": {"ar": "انتهاء الصلاحية", "en": "Expiry"},
    "explainer.expiry.line": {
        "ar": "تنتهي صلاحية {points_word:def} بعد {months:obl} من كسبها.",
        "en": "{points_word:cap} expire {months} after you earn them.",
    },
    "explainer.expiry.never": {
        "ar": "لا تنتهي صلاحية {points_word:def} أبدًا.",
        "en": "{points_word:cap} never expire.",
    },
    "explainer.tiers": {"ar": "المستويات", "en": "Tiers"},
    "explainer.tiers.line": {
        "ar": (
            "مستوى «{name}»: عند إنفاق {threshold:obl} فأكثر، تكسب {points_word:def}"
            " \u200e×{multiplier}."
        ),
        "en": "{name}: from {threshold} spent, {multiplier}x {points_word}",
    },
    # --- statistics --------------------------------------------------------------------------
    "error.INVALID_RANGE": {
        "ar": "يجب أن تكون نهاية الفترة بعد بدايتها.",
        "en": "The end of the period must be after its start.",
    },
    "error.RANGE_TOO_LONG": {
        "ar": "الفترة طويلة جدًا. الحد الأقصى {max:days}.",
        "en": "The period is too long. The maximum is {max:days}.",
    },
    "error.TOO_MANY_BUCKETS": {
        "ar": "الفترة مقسّمة إلى فواصل زمنية كثيرة جدًا. الحد الأقصى {max:intervals}.",
        "en": "The period splits into too many intervals. The maximum is {max:intervals}.",
    },
    "error.INVALID_TIMEZONE": {
        "ar": "المنطقة الزمنية «{timezone}» غير معروفة (استخدم اسمًا مثل \u2068Asia/Riyadh\u2069).",
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
        "ar": "{points_word} مكتسبة من الطلب {order_id}",
        "en": "{points_word:cap} for order {order_id}",
    },
    "reason.order_pending": {
        "ar": "{points_word} قيد التأكيد من الطلب {order_id}",
        "en": "Pending {points_word} for order {order_id}",
    },
    "reason.release": {
        "ar": "أصبحت {points_word} الطلب {order_id} متاحة للاستخدام",
        "en": "{points_word:cap} for order {order_id} are now available",
    },
    "reason.refund": {
        "ar": "خصم {points_word} بسبب استرجاع الطلب {order_id}",
        "en": "{points_word:cap} taken back for the refund of order {order_id}",
    },
    "reason.redeem": {
        "ar": "استبدال مكافأة «{reward}»",
        "en": "Redeemed: {reward}",
    },
    "reason.expire": {
        "ar": "{points_word} منتهية الصلاحية",
        "en": "Expired {points_word}",
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
        "ar": "مكافأة يوم ميلادك",
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
        "ar": "مكافأة شارة «{badge}»",
        "en": "Badge bonus: {badge}",
    },
    "reason.activity.CUSTOM": {
        "ar": "مكافأة نشاط",
        "en": "Activity: {key}",
    },
    # --- earn campaigns (issue 11) ---------------------------------------------------------------
    "reason.order_campaign": {
        "ar": "{points_word} مكتسبة من الطلب {order_id} ({campaign})",
        "en": "{points_word:cap} for order {order_id} ({campaign})",
    },
    "reason.order_campaign_pending": {
        "ar": "{points_word} قيد التأكيد من الطلب {order_id} ({campaign})",
        "en": "Pending {points_word} for order {order_id} ({campaign})",
    },
    "reason.release_bonus": {
        "ar": "أصبحت {points_word} المعلّقة متاحة للاستخدام",
        "en": "Pending {points_word} are now available",
    },
    "reason.bonus_refund": {
        "ar": "استرداد مكافأة الطلب {order_id} بعد استرجاعه بالكامل",
        "en": "Bonus taken back: order {order_id} was refunded in full",
    },
    "error.EARN_CAMPAIGN_NOT_FOUND": {
        "ar": "لا توجد حملة نقاط بهذا المعرّف.",
        "en": "There is no earn campaign with this id.",
    },
    "error.CAMPAIGN_WITHOUT_REWARD": {
        "ar": "حدّد مضاعفًا للنقاط أو نقاطًا إضافية للحملة، أو كليهما.",
        "en": "Give the campaign a points multiplier, bonus points or both.",
    },
    "error.CAMPAIGN_ALREADY_ENDED": {
        "ar": "تاريخ نهاية الحملة مضى. اختر نهاية في المستقبل.",
        "en": "The campaign's end has already passed. Choose an end in the future.",
    },
    # --- push notifications (title and body per kind) -----------------------------------------
    # Point counts sit after a colon (nominative), so Arabic reads "نقطتان", "3 نقاط", "11 نقطة".
    "push.POINTS_EXPIRING.title": {
        "ar": "ستنتهي صلاحية بعض {points_word:def} في رصيدك قريبًا",
        "en": "Some of your {points_word} expire soon",
    },
    "push.POINTS_EXPIRING.body": {
        "ar": (
            "لديك {points} تنتهي {points:agree two=صلاحيتهما other=صلاحيتها} في {date}."
            " {points:agree two=استبدلهما other=استبدلها} قبل هذا التاريخ."
        ),
        "en": (
            "{points} will expire on {date}. Redeem {points:agree one=it other=them} before then."
        ),
    },
    "push.TIER_UPGRADED.title": {
        "ar": "مبروك! وصلت إلى مستوى «{tier}»",
        "en": "Congratulations! You reached {tier}",
    },
    "push.TIER_UPGRADED.body": {
        "ar": "استمتع بدءًا من اليوم بمزايا مستواك الجديد «{tier}».",
        "en": "Enjoy your new {tier} benefits from today.",
    },
    "push.VIP_TRIAL_STARTED.title": {
        "ar": "بدأت فترة تجربتك لمستوى «{tier}»",
        "en": "Your {tier} trial has started",
    },
    "push.VIP_TRIAL_STARTED.body": {
        "ar": "استمتع بمزايا مستوى «{tier}» حتى {date}.",
        "en": "Try the {tier} benefits until {date}.",
    },
    "push.VIP_TRIAL_ENDING_SOON.title": {
        "ar": "تجربتك لمستوى «{tier}» تنتهي قريبًا",
        "en": "Your {tier} trial ends soon",
    },
    "push.VIP_TRIAL_ENDING_SOON.body": {
        "ar": "تنتهي تجربتك في {date}. تسوّق الآن لتحافظ على مستوى «{tier}».",
        "en": "Your trial ends on {date}. Shop now to keep {tier}.",
    },
    "push.VIP_TRIAL_ENDED.title": {
        "ar": "انتهت تجربتك لمستوى «{tier}»",
        "en": "Your {tier} trial has ended",
    },
    "push.VIP_TRIAL_ENDED.body": {
        "ar": "شكرًا لتجربتك مزايا مستوى «{tier}». واصل التسوّق لتصل إليه من جديد.",
        "en": "Thanks for trying {tier}. Keep shopping to reach it again.",
    },
    "push.WIN_BACK.title": {
        "ar": "اشتقنا إليك!",
        "en": "We miss you!",
    },
    "push.WIN_BACK.body": {
        "ar": "لديك {points} بانتظارك! تسوّق الآن واكسب المزيد.",
        "en": "You have {points} waiting for you! Shop now and earn more.",
    },
    # Nothing in the wallet: "لديك 0 نقطة بانتظارك" would read as a taunt.
    "push.WIN_BACK.body.none": {
        "ar": "تسوّق الآن واجمع {points_word:def} مع كل طلب.",
        "en": "Shop now and collect {points_word} with every order.",
    },
    "push.REWARD_AFFORDABLE.title": {
        "ar": "يمكنك الآن الحصول على «{reward}»",
        "en": "You can now get {reward}",
    },
    "push.REWARD_AFFORDABLE.body": {
        "ar": "رصيدك يكفي الآن لاستبدال «{reward}» ({points}). استبدلها من التطبيق.",
        "en": "Your balance covers {reward} for {points}. Redeem it in the app.",
    },
}

_CATALOG.update(CHECKOUT_MESSAGES)
_CATALOG.update(PROGRAM_DEPTH_MESSAGES)

MESSAGES: Final[Mapping[str, Mapping[str, str]]] = MappingProxyType(
    {key: MappingProxyType(dict(texts)) for key, texts in _CATALOG.items()}
)
del _CATALOG


def message_key(key: str, params: Mapping[str, object], audience: str | None = None) -> str:
    """`key`, or its variant named by the `variant` parameter (else by the reader's
    `audience`) when the catalog has one."""
    for variant in (params.get("variant"), audience):
        if isinstance(variant, str) and variant and f"{key}.{variant}" in MESSAGES:
            return f"{key}.{variant}"
    return key


def translate(key: str, locale: str, /, **params: object) -> str:
    """The message `key` in `locale` with `params` filled in.

    `locale` is normalised (`ar-SA` -> "ar"); an unsupported locale falls back to "en".
    `key` and `locale` are positional-only, so templates may use `{key}` and `{locale}`
    placeholders and `translate(k, loc, **error.params)` type-checks.
    Raises KeyError for an unknown key or a missing parameter; extra parameters are ignored.
    """
    return translate_in(key, locale, MessageContext(), **params)


def translate_with_names(
    key: str, locale: str, points_names: PointsNames | None, /, **params: object
) -> str:
    """Like `translate`, with a merchant's own words for points."""
    return translate_in(key, locale, MessageContext(points_names), **params)


def translate_in(key: str, locale: str, context: MessageContext, /, **params: object) -> str:
    """Like `translate`, for a reader described by `context` (point names, time zone)."""
    templates = MESSAGES[message_key(key, params, context.audience)]
    resolved = normalize_locale(locale) or FALLBACK_LOCALE
    return render(templates[resolved], resolved, context, params)
