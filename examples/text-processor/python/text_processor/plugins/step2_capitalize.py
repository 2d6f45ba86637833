"""Bundled plugin, runs second: capitalizes each line (first letter upper, the rest lower)."""


def process(text: str) -> str:
    return "\n".join(line.capitalize() for line in text.splitlines())
