"""Bundled plugin, runs first (plugins run in file-name order): reverses each line."""


def process(text: str) -> str:
    return "\n".join(line[::-1] for line in text.splitlines())
