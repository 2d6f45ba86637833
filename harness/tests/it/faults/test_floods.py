"""A test that fails with a 5 MB message, which pytest writes whole into its JUnit report."""


def test_fails_with_an_enormous_message() -> None:
    raise AssertionError("enormous " * 600_000)
