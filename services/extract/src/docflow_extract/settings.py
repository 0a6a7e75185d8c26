"""The extract service's settings, read from ``DOCFLOW_*`` environment variables."""

from pathlib import Path
from typing import Literal

from pydantic import Field

from docflow_extract.backends.local.limits import OcrEngineName
from docflow_runtime.pricing import PricingSettings
from docflow_runtime.settings import RuntimeSettings

DEFAULT_TESSDATA = Path("/usr/share/tesseract-ocr/5/tessdata")
TextractFeature = Literal["FORMS", "TABLES"]


class ExtractSettings(RuntimeSettings, PricingSettings):
    """Everything the extract stage reads; defaults suit one machine."""

    extract_backend: Literal["local", "textract"] = Field(
        default="local", description="DOCFLOW_EXTRACT_BACKEND: which extraction backend runs"
    )
    extract_max_document_mib: int = Field(default=100, ge=1, description="Larger inputs fail")
    extract_timeout_seconds: float = Field(
        default=300.0, gt=0, description="Wall-clock limit for parsing one document"
    )
    extract_memory_mib: int | None = Field(
        default=None,
        ge=256,
        description="Address-space limit of each parser child process, MiB; unset: 1536 with "
        "the tesseract OCR engine, 2560 with auto and rapidocr (PP-OCR's models need more)",
    )
    extract_pool_size: int = Field(default=2, ge=1, description="Parser child processes")
    extract_max_documents_per_child: int = Field(
        default=200, ge=1, description="A child is replaced after parsing this many documents"
    )
    extract_ocr_engine: OcrEngineName = Field(
        default="auto",
        description="DOCFLOW_EXTRACT_OCR_ENGINE: auto (Tesseract, and PaddleOCR's PP-OCR models "
        "again on pages of short lines Tesseract is unsure of, such as till slips), tesseract, "
        "or rapidocr (PP-OCR alone: slow on pages of prose, and runs their words together)",
    )
    extract_ocr_dpi: int = Field(default=200, ge=72, le=600)
    extract_ocr_language: str = Field(default="eng", pattern=r"^[A-Za-z_+]+$")
    extract_ocr_text_height: int = Field(
        default=36,
        ge=0,
        le=200,
        description="Pixels: an image or scanned page whose median word is shorter is read again "
        "enlarged to this (within the pixel limit), and the reading Tesseract is surer of kept, "
        "unless it is already sure of the first; 0 reads every page once as it is",
    )
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
    extract_max_cells: int = Field(
        default=2_000_000,
        ge=1000,
        description="Spreadsheet, slide and table cells one document may have; more are refused",
    )
    extract_max_layout_words: int = Field(
        default=500_000,
        ge=0,
        description="Words whose boxes one result keeps (about 100 bytes each); later pages keep "
        "their line boxes only. 0: no word boxes, and text layers are read about three times "
        "faster (nothing in docflow reads words; line boxes are kept)",
    )
    extract_max_attachments: int = Field(
        default=50,
        ge=0,
        description="Attachments of one e-mail message (nested messages' included) split off "
        "as documents of their own; more become warnings on the message; 0 splits none",
    )
    extract_max_attachment_mib: int = Field(
        default=25, ge=1, description="Larger attachments are not split off (a warning instead)"
    )
    extract_max_attachment_depth: int = Field(
        default=3,
        ge=1,
        description="Messages attached to messages are opened this deep: 1 splits off only "
        "the message's own attachments",
    )
    # Textract (DOCFLOW_EXTRACT_BACKEND=textract). Endpoints come from boto3's own
    # AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_TEXTRACT / AWS_ENDPOINT_URL_S3, credentials likewise.
    textract_region: str | None = Field(
        default=None,
        pattern=r"^[a-z]{2}(-[a-z]+)+-\d$",
        description="Region of Textract and of the staging bucket; unset: boto3's (AWS_REGION)",
    )
    textract_feature_types: list[TextractFeature] = Field(
        default=["FORMS", "TABLES"],
        description='JSON list; ["FORMS", "TABLES"], one of them, or [] for text only',
    )
    textract_retry_mode: Literal["standard", "adaptive", "legacy"] = "standard"
    textract_max_attempts: int = Field(
        default=5, ge=1, le=20, description="Attempts of one Textract call inside boto3"
    )
    textract_connect_timeout_seconds: float = Field(default=10.0, gt=0)
    textract_read_timeout_seconds: float = Field(default=60.0, gt=0)
    textract_staging_bucket: str | None = Field(
        default=None,
        min_length=3,
        max_length=63,
        description="S3 bucket multi-page PDFs not already in S3 are copied to for Textract",
    )
    textract_staging_prefix: str = Field(default="docflow-textract/", max_length=512)
    textract_read_blobs_in_place: bool = Field(
        default=True,
        description="Textract reads documents the blob store keeps in S3 where they are; "
        "false for S3-compatible stores Textract cannot reach (they are staged instead)",
    )
    textract_poll_initial_seconds: float = Field(default=1.0, gt=0)
    textract_poll_max_seconds: float = Field(default=10.0, gt=0)
    textract_max_wait_seconds: float = Field(
        default=300.0, gt=0, description="Wait for an async job; past it the event is retried"
    )
    textract_expense_types: list[str] = Field(
        default_factory=list,
        description='JSON list of document type hints read with AnalyzeExpense: ["invoice"]',
    )
