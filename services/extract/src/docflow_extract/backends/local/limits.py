"""What a parser child may do: the limits and options it is started with."""

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

OcrEngineName = Literal["auto", "tesseract", "rapidocr"]
#: A child's address space, MiB, unless set. PP-OCR's text detector on a page of 2000 by 2000
#: pixels (rapidocr's largest) peaks at about 1.8 GiB of address space with everything else a
#: child holds (measured VmPeak), where Tesseract's children stay well under 1.5 GiB.
#: ``auto`` holds both engines.
DEFAULT_MEMORY_MIB: dict[OcrEngineName, int] = {"auto": 2560, "tesseract": 1536, "rapidocr": 2560}


class ParserLimits(BaseModel):
    """Handed to each child process once, at start."""

    model_config = ConfigDict(frozen=True)

    memory_mib: int | None = Field(default=None, ge=64)  # None: the OCR engine's default
    ocr_engine: OcrEngineName = "auto"
    ocr_dpi: int = Field(default=200, ge=72, le=600)
    ocr_language: str = "eng"
    ocr_text_height: int = Field(default=36, ge=0)  # median word, pixels; 0: never enlarged
    tessdata_path: Path = Path("/usr/share/tesseract-ocr/5/tessdata")
    min_text_chars: int = Field(default=20, ge=1)
    max_image_pixels: int = Field(default=100_000_000, ge=1)
    max_pages: int = Field(default=2000, ge=1)
    max_docx_uncompressed_bytes: int = Field(default=256 * 1024 * 1024, ge=1)
    max_zip_ratio: int = Field(default=200, ge=1)
    max_cells: int = Field(default=2_000_000, ge=1)
    max_layout_words: int = Field(default=500_000, ge=0)
    max_attachments: int = Field(default=50, ge=0)
    max_attachment_bytes: int = Field(default=25 * 1024 * 1024, ge=1)
    max_attachment_depth: int = Field(default=3, ge=1)

    @property
    def address_space_mib(self) -> int:
        """The child's memory limit: as set, else what its OCR engine needs."""
        return self.memory_mib or DEFAULT_MEMORY_MIB[self.ocr_engine]
