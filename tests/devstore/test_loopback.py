"""The dev store listens on loopback only, unless told it is not MongoDB in so many words."""

from __future__ import annotations

from mongo.devstore.server import is_loopback, serve


def test_loopback_addresses_are_recognised():
    assert [is_loopback(h) for h in ("127.0.0.1", "127.0.0.2", "localhost")] == [True] * 3
    assert [is_loopback(h) for h in ("0.0.0.0", "10.1.2.3", "192.168.1.5")] == [False] * 3


def test_a_non_loopback_address_is_refused_without_the_flag(capsys):
    # when
    code = serve("0.0.0.0", 0, None, allow_remote=False)
    # then
    err = capsys.readouterr().err
    assert code == 2
    assert "FOR DEVELOPMENT AND TESTS ONLY" in err
    assert "refusing to listen on '0.0.0.0'" in err
    assert "--i-know-this-is-not-mongodb" in err
