"""A bundled plugin that never returns."""


def process(text: str) -> str:
    while True:
        pass
