"""Catalog entries for checkout with points (errors and ledger reasons), merged into the one
catalog by loyalty.i18n.messages. Point counts follow the catalog's rules: after a colon they
are nominative ("نقطتان"), after a verbal noun oblique ("حجز نقطتين")."""

from __future__ import annotations

CHECKOUT_MESSAGES: dict[str, dict[str, str]] = {
    "error.POINTS_BELOW_MINIMUM": {
        "ar": "أقل ما يمكن استخدامه في الطلب الواحد: {minimum:points}.",
        "en": "Use at least {minimum:points} on an order.",
    },
    "error.POINTS_NOT_IN_STEPS": {
        "ar": "تُستخدم {points_word:def} في الطلب بمضاعفات العدد {step}.",
        "en": "{points_word:cap} are used in multiples of {step}.",
    },
    "error.DISCOUNT_OVER_LIMIT": {
        "ar": (
            "لا يتجاوز الخصم ب{points_word:def} {percent}٪ من قيمة السلة."
            " أقصى ما يمكن استخدامه لهذه السلة: {most:points} ({limit})."
        ),
        "en": (
            "{points_word:cap} can pay at most {percent}% of the cart:"
            " up to {most:points} ({limit}) on this one."
        ),
    },
    "error.RESERVATION_NOT_FOUND": {
        "ar": "لا يوجد حجز {points_word} بهذا المعرّف.",
        "en": "There is no {points_word} reservation with this id.",
    },
    "error.RESERVATION_EXPIRED": {
        "ar": "انتهت مدة هذا الحجز وعادت {points_word:def} إلى الرصيد. احجزها من جديد.",
        "en": "This reservation has expired and its {points_word} are back in the balance."
        " Reserve them again.",
    },
    "error.RESERVATION_RELEASED": {
        "ar": "أُلغي هذا الحجز من قبل وعادت {points_word:def} إلى الرصيد.",
        "en": "This reservation was already released: its {points_word} are back in the balance.",
    },
    "error.RESERVATION_CAPTURED": {
        "ar": "استُخدم هذا الحجز من قبل للدفع في الطلب {order_id}.",
        "en": "This reservation has already paid for order {order_id}.",
    },
    "reason.hold": {
        "ar": "حجز {points:obl} للدفع في سلة التسوق",
        "en": "{points} held for checkout",
    },
    "reason.hold_released": {
        "ar": "إلغاء حجز {points:obl} {points:agree two=وإعادتهما other=وإعادتها} إلى الرصيد",
        "en": "{points} released back to the balance",
    },
    "reason.hold_expired": {
        "ar": "انتهاء مدة حجز {points:obl} {points:agree two=وإعادتهما other=وإعادتها} إلى الرصيد",
        "en": "Checkout hold expired: {points} back in the balance",
    },
    "reason.capture": {
        "ar": "الدفع بالنقاط المحجوزة في الطلب {order_id}: {points}",
        "en": "Paid order {order_id} with {points}",
    },
    "reason.refund_points": {
        "ar": "إعادة {points:obl} {points:agree two=دُفعتا other=دُفعت} في الطلب المسترجَع {order_id}",
        "en": "{points} returned for the refund of order {order_id}",
    },
}
