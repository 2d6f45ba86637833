"""A test that fails: it expects a greeting the project does not give."""

from {pkg} import Message


def test_greets_in_french() -> None:
    assert Message.greet("eunsang") == "Bonjour, eunsang !"
