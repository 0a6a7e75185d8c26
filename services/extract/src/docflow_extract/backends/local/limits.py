"""What a parser child may do: the limits and options it is started with."""

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field


class ParserLimits(BaseModel):
    """Handed to each child process once, at start."""

    model_config = ConfigDict(frozen=True)

    memory_mib: int = Field(default=1536, ge=64)
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
