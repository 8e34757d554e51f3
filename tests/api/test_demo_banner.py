"""What `loyalty demo` prints: the console's address with the admin key to paste there."""

from __future__ import annotations

from api.demo import DemoCredentials
from api.demo_server import banner


def test_the_demo_banner_leads_with_the_console_and_its_admin_key() -> None:
    # given
    creds = DemoCredentials("demo", "lk_admin-key", "lk_events-key", "c-1001", "header.body.sig")
    # when
    text = banner("http://127.0.0.1:8000", creds)
    # then
    assert text.splitlines()[1:5] == [
        "loyalty demo is up.",
        "  Console:   http://127.0.0.1:8000/console/",
        "             sign in with the admin API key: lk_admin-key",
        "  GraphiQL:  http://127.0.0.1:8000/graphql",
    ]


def test_the_demo_banner_shows_how_to_get_a_token_for_another_shopper() -> None:
    # given
    creds = DemoCredentials(
        "demo", "lk_admin", "lk_events", "c-1001", "h.b.s", "k_demo", "secret-value"
    )
    # when
    text = banner("http://127.0.0.1:8000", creds)
    # then the command works against the running demo: it signs with the printed key
    assert (
        "  loyalty token member --tenant demo --member c-2001 --ttl 1h \\\n"
        "    --kid k_demo --secret secret-value\n"
    ) in text
