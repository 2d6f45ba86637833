"""A bundled plugin that raises on every call."""


def process(text: str) -> str:
    raise RuntimeError("this plugin always fails")
