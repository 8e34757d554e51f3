"""program.pointsName: the word for each CLDR plural category, as its descriptions promise."""

from __future__ import annotations

from tests.api.conftest import Api, TenantCreds

WORDS = "{ program { pointsName { one two few many other } } }"


async def test_the_arabic_dual_is_the_dual_word(api: Api, acme: TenantCreds) -> None:
    # when the default words are read in Arabic and in English
    arabic = await api.gql(WORDS, tenant="acme", locale="ar")
    english = await api.gql(WORDS, tenant="acme", locale="en")
    # then "two" is "نقطتان" (as its description says), not the singular
    assert arabic["data"]["program"]["pointsName"] == {
        "one": "نقطة",
        "two": "نقطتان",
        "few": "نقاط",
        "many": "نقطة",
        "other": "نقطة",
    }
    assert english["data"]["program"]["pointsName"] == {
        "one": "point",
        "two": "points",
        "few": "points",
        "many": "points",
        "other": "points",
    }
