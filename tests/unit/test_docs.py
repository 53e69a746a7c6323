"""The README and the manual in docs/: every relative link reaches a file, and every #anchor a heading there."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINK = re.compile(r"!?\[(?:[^\]]|\n)*?\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


def _without_code(text: str, *, inline: bool = True) -> str:
    """The text with fenced blocks (and inline code) blanked out: a link there is an example, not a link."""
    lines, fenced = [], False
    for line in text.split("\n"):
        if line.startswith("```"):
            fenced = not fenced
            lines.append("")
        else:
            lines.append("" if fenced else re.sub(r"`[^`]*`", "``", line) if inline else line)
    return "\n".join(lines)


def anchors(path: Path) -> set[str]:
    """The anchors a forge gives the headings of a Markdown file (lowercase, punctuation dropped, spaces as
    dashes; a repeated heading gets -1, -2 ...)."""
    seen: dict[str, int] = {}
    for line in _without_code(path.read_text(encoding="utf-8"), inline=False).split("\n"):
        heading = re.match(r"^#{1,6} (.*?)\s*#*\s*$", line)
        if heading is None:
            continue
        text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading.group(1)).replace("`", "").replace("*", "")
        slug = "".join(c for c in text.lower() if c.isalnum() or c in " -_").replace(" ", "-")
        seen[slug] = seen.get(slug, -1) + 1
    return {slug if n == 0 else f"{slug}-{n}" for slug, count in seen.items() for n in range(count + 1)}


def broken_links(files: list[Path]) -> list[str]:
    broken = []
    for source in files:
        for match in LINK.finditer(_without_code(source.read_text(encoding="utf-8"))):
            target = match.group(1)
            if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # https:, mailto: ...: not checked (offline)
                continue
            path, _, fragment = target.partition("#")
            destination = (source.parent / path).resolve() if path else source
            where = f"{source.name}: {target}"
            if not destination.exists():
                broken.append(f"{where}: no such file")
            elif fragment and (destination.suffix != ".md" or fragment not in anchors(destination)):
                broken.append(f"{where}: no such heading")
    return broken


def test_every_link_of_the_readme_and_the_manual_resolves():
    files = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    assert len(files) > 10
    assert broken_links(files) == []


def test_a_link_to_a_missing_page_or_heading_is_found(tmp_path):
    (tmp_path / "a.md").write_text("# Title\n\n## Same\n\n## Same\n", encoding="utf-8")
    page = tmp_path / "b.md"
    page.write_text("[ok](a.md#title) [again](a.md#same-1) `[not a link](gone.md)`\n"
                    "[gone](gone.md) [bad](a.md#nowhere) [self](#here)\n\n## Here\n", encoding="utf-8")
    assert broken_links([page]) == ["b.md: gone.md: no such file", "b.md: a.md#nowhere: no such heading"]
