"""Plain text as people type it for achievements: paragraphs and bullet lists.

Achievements are plain text (blank lines between paragraphs, "- " for bullets); this
reads them into blocks, for the preview on the achievements page and for reports,
which number and lay them out. Nothing else is interpreted: no HTML, ever.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    number: str = ""  # "1.1"; empty for an unnumbered paragraph


@dataclass(frozen=True, slots=True)
class BulletList:
    items: tuple[str, ...]


def parse_body(body: str) -> tuple[Paragraph | BulletList, ...]:
    """Plain text → paragraphs and bullet lists. Blank lines separate paragraphs; lines
    starting "- " (or "• ") are bullets. Nothing else is interpreted: no HTML, ever."""
    blocks: list[Paragraph | BulletList] = []
    for chunk in body.replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        bullets: list[str] = []
        text: list[str] = []
        for line in lines:
            if line.startswith(("- ", "• ")):
                if text:
                    blocks.append(Paragraph(" ".join(text)))
                    text = []
                bullets.append(line[2:].strip())
            elif bullets and not text:
                bullets[-1] = f"{bullets[-1]} {line}"  # a wrapped bullet continues
            else:
                text.append(line)
        if bullets:
            blocks.append(BulletList(tuple(bullets)))
        if text:
            blocks.append(Paragraph(" ".join(text)))
    return tuple(blocks)
