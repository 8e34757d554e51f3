"""The messages in English, the source language: what `loyalty messages` extracts (with
Babel) into `loyalty/i18n/locale/messages.pot`, and what translators translate, one `.po` file
per language (`loyalty/i18n/locale/<lang>/LC_MESSAGES/messages.po`).

Each message is `message(key, english)`: the key is the gettext context (`msgctxt`), the English
text the `msgid`. A key may have variants, `<key>.<variant>` (e.g. `error.TIER_ALREADY_HELD.admin`).
Templates use the renderer's placeholders (`loyalty.i18n.render`): `{points}`, `{days:obl}`,
`{points:agree one=it other=them}`; a translation keeps the same placeholders (Arabic may leave
out one the English names: `reason.activity.CUSTOM` shows no technical key to shoppers).
"""

from __future__ import annotations

from typing import Final


def message(key: str, english: str) -> tuple[str, str]:
    """Marks a message for extraction (Babel keyword `message:1c,2`)."""
    return key, english


SOURCE: Final[tuple[tuple[str, str], ...]] = (
    # --- authentication / generic ------------------------------------------------------------
    message(
        "error.UNAUTHENTICATED",
        "Authentication required: the credentials are missing, invalid or expired.",
    ),
    message(
        "error.FORBIDDEN",
        "You are not allowed to perform this action with these credentials.",
    ),
    message(
        "error.INTERNAL",
        "An unexpected error occurred. Please try again later. (Request ID: {request_id})",
    ),
    # --- transport: limits and persisted queries (HTTP-level refusals, not ErrorCodes) -------
    message("error.RATE_LIMITED", "Too many requests in a short time. Please try again shortly."),
    message("error.PAYLOAD_TOO_LARGE", "The request body is larger than allowed."),
    message(
        "error.BATCH_TOO_LARGE",
        "Too many operations in one batch (at most {max:operations}).",
    ),
    message(
        "error.QUERY_TOO_DEEP",
        "The query is nested deeper than allowed (at most {max:levels}).",
    ),
    message("error.TOO_MANY_ALIASES", "The query uses {count} aliases; at most {max} are allowed."),
    message("error.TOO_MANY_TOKENS", "The query is longer than allowed (more than {max:tokens})."),
    message(
        "error.QUERY_TOO_COMPLEX",
        "The query costs {requested}, more than the limit of {limit}.",
    ),
    message(
        "error.PERSISTED_QUERY_HASH_MISMATCH",
        "The persisted query hash does not match the query.",
    ),
    message("error.NOT_ACCEPTABLE", "None of the accepted media types can be answered."),
    message(
        "error.UNSUPPORTED_MEDIA_TYPE",
        "Unsupported request content type; use application/json.",
    ),
    message("error.BAD_REQUEST", "The request is malformed or could not be read."),
    message("error.MALFORMED_JSON", "The request body is not valid UTF-8 JSON."),
    message("error.EMPTY_BODY", 'The request body is empty: send a JSON object with a "query".'),
    message(
        "error.INVALID_REQUEST_BODY",
        'The request body must be a JSON object with a "query", or a list of them.',
    ),
    message("error.EMPTY_BATCH", "The batch is empty: it has no operation to run."),
    message("error.MISSING_QUERY", 'The request has no GraphQL query: add a "query".'),
    message(
        "error.MALFORMED_MULTIPART",
        'The multipart request is malformed: "map" must tie each sent file to a variable.',
    ),
    message(
        "error.METHOD_NOT_ALLOWED",
        "Method not allowed: send queries with GET or POST, and mutations with POST.",
    ),
    message("error.NOT_FOUND", "Not found."),
    message("error.GRAPHQL_PARSE_FAILED", "The query could not be parsed: {detail}"),
    message(
        "error.GRAPHQL_VALIDATION_FAILED",
        "The query is not valid against the schema: {detail}",
    ),
    message("error.BAD_USER_INPUT", "A variable has an invalid value: {detail}"),
    # --- input validation --------------------------------------------------------------------
    message("error.INVALID_INPUT", "Invalid input: {detail:field}"),
    message("error.INVALID_AMOUNT", "The amount must be a positive number."),
    message("error.INVALID_AMOUNT.negative", "The amount must not be negative."),
    message("error.INVALID_AMOUNT.zero", "The amount must be greater than zero."),
    message("error.INVALID_AMOUNT.too_large", "The amount is over the maximum of {most}."),
    message(
        "error.INVALID_AMOUNT.precision",
        "Amounts in {currency} have at most {digits:decimals} after the decimal point.",
    ),
    message(
        "error.INVALID_AMOUNT.whole",
        "Amounts in {currency} are whole numbers, with no decimals.",
    ),
    message("error.INVALID_DECIMAL", 'The value "{value}" is not a valid decimal amount.'),
    message("error.INVALID_CURRENCY", '"{currency}" is not a valid ISO 4217 currency code.'),
    message(
        "error.CURRENCY_MISMATCH",
        "The order currency {currency} does not match the program currency {expected}.",
    ),
    message(
        "error.INVALID_POINTS",
        "{points_word:cap} must be a non-zero whole number within the allowed limits.",
    ),
    message(
        "error.INVALID_SLUG",
        "Invalid slug: use only lowercase Latin letters, digits and hyphens, and do not start "
        "or end with a hyphen.",
    ),
    message("error.INVALID_LOCALE", 'The locale "{locale}" is not supported.'),
    message("error.TOO_LONG", "The value is too long. The maximum is {max:characters}."),
    message("error.OUT_OF_RANGE", "The value must be between {min} and {max}."),
    message("error.DUPLICATE_VALUE", "The value {value} is repeated. Enter each value once."),
    # --- not found ---------------------------------------------------------------------------
    message("error.MEMBER_NOT_FOUND", "Member not found."),
    message("error.REWARD_NOT_FOUND", "Reward not found."),
    message("error.ORDER_NOT_FOUND", "Order not found."),
    message("error.TIER_NOT_FOUND", "Tier not found."),
    message("error.COUPON_NOT_FOUND", "Coupon not found."),
    message("error.KEY_NOT_FOUND", "Key not found."),
    # --- conflicts ---------------------------------------------------------------------------
    message("error.CONFLICT", "Conflict: {detail:field}"),
    message(
        "error.CONFLICT.order",
        "Order {order_id} was already recorded with a different {fields:field} (recorded "
        "total: {total}). Use a new order id for a new order.",
    ),
    message(
        "error.ORDER_TOO_OLD",
        "The order was placed more than {months} ago: its points would already have expired.",
    ),
    message(
        "error.IDEMPOTENCY_CONFLICT",
        "This idempotency key has already been used for a different operation.",
    ),
    message("error.ALREADY_EXISTS", "Already exists: {detail}"),
    message(
        "error.IN_PROGRESS",
        "The same operation is already being processed. Please retry shortly.",
    ),
    # --- points, rewards, orders -------------------------------------------------------------
    message(
        "error.INSUFFICIENT_POINTS",
        "Not enough {points_word}: {points} required, but only {balance} available.",
    ),
    message("error.REWARD_INACTIVE", "This reward is not currently available."),
    message("error.TIER_REQUIRED", 'This reward is for "{tier}" members and above.'),
    message("leaderboard.anonymous", "Member"),
    message("error.BADGE_NOT_FOUND", "There is no badge with this id."),
    message("error.TIER_RANK_TAKEN", "Another tier already has rank {rank}."),
    message(
        "error.TIER_THRESHOLD_OVERLAP",
        "Each tier's threshold must be higher than the threshold of the tier below it.",
    ),
    message("error.NO_VIP_TRIAL_OFFER", "This program does not offer a VIP trial at the moment."),
    message(
        "error.VIP_TRIAL_NOT_ELIGIBLE",
        "The VIP trial is available after at least {orders} orders.",
    ),
    message(
        "error.VIP_TRIAL_ALREADY_USED",
        "You have had a VIP trial recently; a new one is available after {date}.",
    ),
    message("error.TIER_ALREADY_HELD", "You already have this tier or a higher one."),
    message(
        "error.INSUFFICIENT_POINTS.admin",
        "Not enough {points_word}: {points} required, but only {balance} available.",
    ),
    # The admin variant: an admin granting a trial reads about the member, not about themselves.
    message("error.TIER_ALREADY_HELD.admin", "The member already has this tier or a higher one."),
    message("error.REFERRAL_CODE_INVALID", "This invitation code is not valid."),
    message("error.SELF_REFERRAL", "You cannot use your own invitation code."),
    message(
        "error.CIRCULAR_REFERRAL",
        "You cannot use the code of someone who joined through your invitation.",
    ),
    message("error.ALREADY_REFERRED", "You have already used an invitation code."),
    message(
        "error.NOT_A_NEW_CUSTOMER",
        "Invitation codes are for new customers before their first order.",
    ),
    message("error.REFUND_EXCEEDS_ORDER", "The refund is larger than the order total ({total})."),
    message("error.ORDER_FULLY_REFUNDED", "This order has already been fully refunded."),
    # --- activities --------------------------------------------------------------------------
    message(
        "error.ACTIVITY_NOT_REWARDED",
        "This program does not award {points_word} for this activity.",
    ),
    message("error.ACTIVITY_LIMIT_REACHED", "You have reached the limit for this activity."),
    # --- coupons -----------------------------------------------------------------------------
    message("error.COUPON_ALREADY_USED", "This coupon has already been used."),
    message("error.COUPON_EXPIRED", "This coupon has expired."),
    message("error.COUPON_CANCELLED", "This coupon has been cancelled."),
    # --- member-token keys -------------------------------------------------------------------
    message("error.INVALID_PUBLIC_KEY", "The public key is invalid or in an unsupported format."),
    message("error.LAST_KEY", "The last member-token key cannot be removed."),
    # --- app theme and icon --------------------------------------------------------------------
    message("error.INVALID_COLOR", '"{value}" is not a valid color. Use #RRGGBB or #RRGGBBAA.'),
    message(
        "error.LOW_CONTRAST",
        "Text {foreground} on {background} has a contrast of only {ratio}:1; at least "
        "{minimum}:1 is required (WCAG 2.1 AA). Try {suggestion}.",
    ),
    message(
        "error.UNSUPPORTED_FONT",
        'The font "{font}" is not supported. Fonts that render Arabic and Latin: {allowed}.',
    ),
    message("error.INSECURE_URL", "The URL must be a valid https address."),
    message("error.THEME_NOT_FOUND", "Theme version not found."),
    message("error.NO_THEME_DRAFT", "There is no theme draft to publish. Save a theme first."),
    message("error.IMAGE_UNSUPPORTED_FORMAT", "The file is not a PNG, JPEG or WebP image."),
    message("error.IMAGE_TOO_LARGE", "The file is too large. The maximum is {max_mb} MB."),
    message(
        "error.IMAGE_DIMENSIONS_TOO_LARGE",
        "The image dimensions are too large. The maximum is {max_side:plain}x{max_side:plain} "
        "pixels.",
    ),
    message(
        "error.IMAGE_TOO_SMALL",
        "The image is too small. The minimum is {min:plain}x{min:plain} pixels.",
    ),
    message(
        "error.IMAGE_NOT_SQUARE",
        "The icon must be square, but it is {width:plain}x{height:plain} pixels.",
    ),
    message(
        "error.IMAGE_TRANSPARENT",
        "The icon must not contain transparency (the iOS App Store rejects it).",
    ),
    message(
        "error.IMAGE_CORRUPT",
        "The image could not be read: the file is damaged or incomplete.",
    ),
    # --- rewards explainer ("how our points work") --------------------------------------------
    message("explainer.title", "How {program} {points_word} work"),
    message("explainer.earning", "Ways to earn"),
    message("explainer.earning.base", "Earn {points} for every 1 {currency} you spend."),
    message("explainer.earning.rate", "Earn {rate:points} for every 1 {currency} you spend."),
    message("explainer.earning.activity", "{name}: earn {points}."),
    message("explainer.earning.product", "{name}: {multiplier}x {points_word}"),
    message("explainer.earning.product_bonus", "{name}: {points} extra per item"),
    message(
        "explainer.earning.product_both",
        "{name}: {multiplier}x {points_word}, plus {points} per item",
    ),
    message("explainer.value", "What {points_word} are worth"),
    message(
        "explainer.value.line",
        "{points} {points:agree one=is other=are} worth {worth} when redeemed.",
    ),
    message("explainer.pending", "When you can use {points_word}"),
    message(
        "explainer.pending.line",
        "Order {points_word} become spendable once the return window of {days} has passed.",
    ),
    message(
        "explainer.pending.immediate",
        "Order {points_word} can be spent as soon as the order is recorded.",
    ),
    message("explainer.expiry", "Expiry"),
    message("explainer.expiry.line", "{points_word:cap} expire {months} after you earn them."),
    message("explainer.expiry.never", "{points_word:cap} never expire."),
    message("explainer.tiers", "Tiers"),
    message("explainer.tiers.line", "{name}: from {threshold} spent, {multiplier}x {points_word}"),
    # --- statistics --------------------------------------------------------------------------
    message("error.INVALID_RANGE", "The end of the period must be after its start."),
    message("error.RANGE_TOO_LONG", "The period is too long. The maximum is {max:days}."),
    message(
        "error.TOO_MANY_BUCKETS",
        "The period splits into too many intervals. The maximum is {max:intervals}.",
    ),
    message(
        "error.INVALID_TIMEZONE",
        'Unknown timezone "{timezone}" (use a name such as Asia/Riyadh).',
    ),
    message("error.DEVICE_NOT_FOUND", "No device with this token is registered for this member."),
    message("error.INVALID_AUDIENCE", "Choose a segment or a tier for the campaign, not both."),
    # --- member administration -------------------------------------------------------------
    message(
        "error.SEARCH_SORT_UNSUPPORTED",
        "Search results are ordered by join date. Remove the sort or the search.",
    ),
    # --- ledger reasons (transaction history) ------------------------------------------------
    message("reason.adjust", "Manual adjustment"),
    message("reason.order", "{points_word:cap} for order {order_id}"),
    message("reason.order_pending", "Pending {points_word} for order {order_id}"),
    message("reason.release", "{points_word:cap} for order {order_id} are now available"),
    message("reason.refund", "{points_word:cap} taken back for the refund of order {order_id}"),
    message("reason.redeem", "Redeemed: {reward}"),
    message("reason.expire", "Expired {points_word}"),
    message("reason.activity.SIGNUP", "Sign-up bonus"),
    message("reason.activity.NEWSLETTER_SUBSCRIBE", "Newsletter subscription"),
    message("reason.activity.PRODUCT_REVIEW", "Product review"),
    message("reason.activity.BIRTHDAY", "Birthday bonus"),
    message("reason.activity.SOCIAL_FOLLOW", "Social media follow"),
    message("reason.activity.REFERRAL", "Friend referral"),
    message(
        "reason.referral.referrer",
        "Reward for referring a friend who completed their first order",
    ),
    message("reason.referral.referee", "Welcome reward for joining through a friend's invitation"),
    message("reason.badge", "Badge bonus: {badge}"),
    message("reason.activity.CUSTOM", "Activity: {key}"),
    # --- push notifications (title and body per kind) -----------------------------------------
    # Point counts sit after a colon (nominative), so Arabic reads "نقطتان", "3 نقاط", "11 نقطة".
    message("push.POINTS_EXPIRING.title", "Some of your {points_word} expire soon"),
    message(
        "push.POINTS_EXPIRING.body",
        "{points} will expire on {date}. Redeem {points:agree one=it other=them} before then.",
    ),
    message("push.TIER_UPGRADED.title", "Congratulations! You reached {tier}"),
    message("push.TIER_UPGRADED.body", "Enjoy your new {tier} benefits from today."),
    message("push.VIP_TRIAL_STARTED.title", "Your {tier} trial has started"),
    message("push.VIP_TRIAL_STARTED.body", "Try the {tier} benefits until {date}."),
    message("push.VIP_TRIAL_ENDING_SOON.title", "Your {tier} trial ends soon"),
    message(
        "push.VIP_TRIAL_ENDING_SOON.body",
        "Your trial ends on {date}. Shop now to keep {tier}.",
    ),
    message("push.VIP_TRIAL_ENDED.title", "Your {tier} trial has ended"),
    message(
        "push.VIP_TRIAL_ENDED.body",
        "Thanks for trying {tier}. Keep shopping to reach it again.",
    ),
    message("push.WIN_BACK.title", "We miss you!"),
    message("push.WIN_BACK.body", "You have {points} waiting for you! Shop now and earn more."),
    # Nothing in the wallet: "لديك 0 نقطة بانتظارك" would read as a taunt.
    message("push.WIN_BACK.body.none", "Shop now and collect {points_word} with every order."),
    message("push.REWARD_AFFORDABLE.title", "You can now get {reward}"),
    message(
        "push.REWARD_AFFORDABLE.body",
        "Your balance covers {reward} for {points}. Redeem it in the app.",
    ),
    # --- gifting, charity and privacy (issue 12) ---
    message(
        "error.TRANSFERS_DISABLED",
        "This program does not allow sending {points_word} to other members.",
    ),
    message("error.SELF_TRANSFER", "You cannot send {points_word} to yourself."),
    message("error.RECIPIENT_NOT_FOUND", "There is no member with this id in the program."),
    message(
        "error.TRANSFER_LIMIT_REACHED",
        "This exceeds the daily gifting limit of {cap:points}. You can still send {points} today.",
    ),
    message(
        "error.TRANSFER_LIMIT_REACHED.none",
        "You have reached the daily gifting limit of {cap:points}. Try again tomorrow.",
    ),
    message(
        "error.ACCOUNT_TOO_NEW",
        "You can send {points_word} once you have been a member for {days}.",
    ),
    message("error.CHARITY_NOT_FOUND", "There is no charity with this id."),
    message("error.CHARITY_INACTIVE", "This charity is not accepting donations at the moment."),
    message(
        "error.MEMBER_ERASED",
        "This customer's data was erased at their request. Enrol them again with the admin key.",
    ),
    message("reason.transfer_out", "{points_word:cap} sent as a gift"),
    message("reason.transfer_in", "{points_word:cap} received as a gift"),
    message("reason.donate", "Donation to {charity}"),
    # --- bulk jobs and member import (issue 12) ---
    message(
        "error.IMPORT_EMPTY_FILE", "The file is empty: it must start with a line of column names."
    ),
    message(
        "error.IMPORT_ENCODING", 'The file is not UTF-8 text. Save it from Excel as "CSV UTF-8".'
    ),
    message("error.IMPORT_MALFORMED", "This line of the CSV file cannot be read."),
    message("error.IMPORT_TOO_MANY_ROWS", "The file is too long. At most {max} rows per file."),
    message("error.IMPORT_MISSING_COLUMN", 'The column "{column}" is required in the header line.'),
    message(
        "error.IMPORT_UNKNOWN_COLUMN", 'Unknown column "{column}". See the documented column names.'
    ),
    message(
        "error.IMPORT_FIELD_COUNT",
        "This row has {found} fields; the header line has {expected} columns.",
    ),
    message("error.IMPORT_REQUIRED", "This value is required."),
    message("error.IMPORT_INVALID_NUMBER", '"{value}" is not a valid number here.'),
    message(
        "error.IMPORT_INVALID_DATE",
        '"{value}" is not a valid date (such as 2024-03-05), or it is in the future.',
    ),
    message("error.IMPORT_INVALID_PHONE", '"{value}" is not a valid phone number.'),
    message("error.IMPORT_INVALID_EMAIL", '"{value}" is not a valid email address.'),
    message(
        "error.IMPORT_BALANCE_MISMATCH",
        "The balance of {points} does not equal the lots' total of {lots:points}.",
    ),
    message(
        "error.IMPORT_LOT_EXPIRED",
        'The expiry "{value}" has passed or comes before the earning date; '
        "leave expired points out.",
    ),
    message("reason.bulk_award", "Reward from the store"),
    message("reason.migrated", "Balance carried over from the previous program"),
    # --- outbound webhooks and the coupon lifecycle (issue 10) ---
    message("error.WEBHOOK_ENDPOINT_NOT_FOUND", "There is no webhook endpoint with this id."),
    message("error.WEBHOOK_DELIVERY_NOT_FOUND", "There is no webhook delivery with this id."),
    message(
        "error.TOO_MANY_WEBHOOK_ENDPOINTS", "A program can have at most {max} webhook endpoints."
    ),
    message(
        "error.URL_NOT_PUBLIC",
        "The URL must point to a public address, not localhost or a private network.",
    ),
    message(
        "webhook.disabled",
        "Disabled after every delivery failed for {days}; last response: {last}.",
    ),
    message("reason.coupon_cancelled", "{points_word:cap} back: coupon for {reward} cancelled"),
    message("reason.coupon_expired", "{points_word:cap} back: coupon for {reward} expired unused"),
)
