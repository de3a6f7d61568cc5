"""Reading a briefing pack back the way a reader (or a leak) would find it:
text per page, bookmark titles, metadata, annotations, fonts and images."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader


@dataclass
class ReadPdf:
    path: Path
    pages: list[str]
    outline: list[tuple[int, str]]  # (depth, title)
    metadata: dict[str, str]
    reader: PdfReader

    @property
    def text(self) -> str:
        return "\n".join(self.pages)

    def everything(self) -> str:
        """Every place a text can hide in the file: pages, bookmarks, metadata."""
        return "\n".join(
            [self.text, *(title for _, title in self.outline), *self.metadata.values()]
        )

    def page_of(self, needle: str, start: int = 0) -> int:
        """The 1-based number of the first page from ``start`` whose text has ``needle``."""
        for index in range(start, len(self.pages)):
            if needle in self.pages[index]:
                return index + 1
        raise AssertionError(f"{needle!r} is on no page")


def _outline(reader: PdfReader) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []

    def walk(items: list, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, str(item.title)))

    walk(reader.outline, 0)
    return found


def read_pdf(path: Path) -> ReadPdf:
    reader = PdfReader(str(path))
    metadata = {k: str(v) for k, v in (reader.metadata or {}).items()}
    return ReadPdf(
        path,
        [page.extract_text() or "" for page in reader.pages],
        _outline(reader),
        metadata,
        reader,
    )


def annotations(read: ReadPdf) -> list[object]:
    return [a for page in read.reader.pages for a in (page.get("/Annots") or [])]


def embedded_font_names(read: ReadPdf) -> set[str]:
    """BaseFont names of the fonts that carry their own glyphs (embedded)."""
    names: set[str] = set()

    def visit(resources: object) -> None:
        resources = resources.get_object() if resources is not None else None
        if not resources:
            return
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            bodies = [d.get_object() for d in descendants] if descendants else [font]
            for body in bodies:
                descriptor = body.get("/FontDescriptor")
                if descriptor is not None and "/FontFile2" in descriptor.get_object():
                    names.add(str(font["/BaseFont"]))
        for xobject in (resources.get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form":
                visit(xobject.get("/Resources"))

    for page in read.reader.pages:
        visit(page.get("/Resources"))
    return names


def image_count(read: ReadPdf) -> int:
    count = 0
    for page in read.reader.pages:
        resources = page.get("/Resources")
        xobjects = resources.get_object().get("/XObject") if resources else None
        for xobject in (xobjects or {}).values():
            if xobject.get_object().get("/Subtype") == "/Image":
                count += 1
    return count


def render_pages(pdf: Path, folder: Path, *, dpi: int = 40) -> list[Path]:
    """Each page as a PNG through poppler's pdftoppm (installed by .ci/run)."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed; .ci/run installs it")
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(folder / "page")],
        check=True,
        capture_output=True,
    )
    return sorted(folder.glob("page-*.png"))
