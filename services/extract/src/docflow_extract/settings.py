"""The extract service's settings, read from ``DOCFLOW_*`` environment variables."""

from pathlib import Path
from typing import Literal

from pydantic import Field

from docflow_runtime.settings import RuntimeSettings

DEFAULT_TESSDATA = Path("/usr/share/tesseract-ocr/5/tessdata")


class ExtractSettings(RuntimeSettings):
    """Everything the extract stage reads; defaults suit one machine."""

    extract_backend: Literal["local", "textract"] = Field(
        default="local", description="DOCFLOW_EXTRACT_BACKEND: which extraction backend runs"
    )
    extract_max_document_mib: int = Field(default=100, ge=1, description="Larger inputs fail")
    extract_timeout_seconds: float = Field(
        default=300.0, gt=0, description="Wall-clock limit for parsing one document"
    )
    extract_memory_mib: int = Field(
        default=1536, ge=256, description="Address-space limit of each parser child process"
    )
    extract_pool_size: int = Field(default=2, ge=1, description="Parser child processes")
    extract_max_documents_per_child: int = Field(
        default=200, ge=1, description="A child is replaced after parsing this many documents"
    )
    extract_ocr_dpi: int = Field(default=200, ge=72, le=600)
    extract_ocr_language: str = Field(default="eng", pattern=r"^[A-Za-z_+]+$")
    extract_tessdata_path: Path = DEFAULT_TESSDATA
    extract_min_text_chars: int = Field(
        default=20, ge=1, description="Letters and digits a page needs for a usable text layer"
    )
    extract_max_image_pixels: int = Field(
        default=100_000_000, ge=1_000_000, description="Larger images are refused as bombs"
    )
    extract_max_pages: int = Field(default=2000, ge=1)
    extract_max_docx_uncompressed_mib: int = Field(default=256, ge=1)
    extract_max_zip_ratio: int = Field(
        default=200, ge=10, description="Refused above this compression ratio (zip bombs)"
    )
