"""Arabic labels for the input fields that error messages name (`{detail:field}`).

Errors carry the API's field name ("email", "orderId"); an Arabic sentence shows the label a
shopper or merchant knows. A name without a label is shown as it is, bidi-isolated.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

FIELD_LABELS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "activity": "النشاط",
        "category": "الفئة",
        "cursor": "مؤشر الصفحة",
        "email": "البريد الإلكتروني",
        "externalId": "المعرّف الخارجي",
        "key": "المفتاح",
        "name": "الاسم",
        "occurredAt": "وقت النشاط",
        "orderId": "رقم الطلب",
        "phone": "رقم الجوال",
        "placedAt": "تاريخ الطلب",
        "reason": "السبب",
        "search": "نص البحث",
        "sku": "رمز المنتج",
        "theme version": "إصدار المظهر",
        "timezone": "المنطقة الزمنية",
        "token": "رمز الجهاز",
        "platform": "نظام الجهاز",
        "title": "العنوان",
        "body": "النص",
        "total": "الإجمالي",
        "currency": "العملة",
        "memberExternalId": "العضو",
        # issue 11: tier policy, birthdays
        "windowMonths": "مدة احتساب المستوى",
        "birthday": "تاريخ الميلاد",
    }
)
