"""Choose the extraction backend the settings name."""

import importlib.util

from docflow_extract.backends.base import ExtractionBackend
from docflow_extract.backends.errors import BackendUnavailableError
from docflow_extract.backends.local.backend import LocalBackend
from docflow_extract.backends.local.limits import ParserLimits
from docflow_extract.backends.textract.backend import TextractBackend
from docflow_extract.backends.textract.client import s3_client, textract_client
from docflow_extract.backends.textract.options import TextractOptions
from docflow_extract.settings import ExtractSettings

_MIB = 1024 * 1024


def backend_from_settings(settings: ExtractSettings) -> ExtractionBackend:
    if settings.extract_backend == "textract":
        return textract_backend(settings)
    limits = parser_limits(settings)
    check_ocr_engine(limits)
    return LocalBackend(
        limits,
        pool_size=settings.extract_pool_size,
        timeout_seconds=settings.extract_timeout_seconds,
        max_documents_per_child=settings.extract_max_documents_per_child,
    )


def textract_backend(settings: ExtractSettings) -> TextractBackend:
    options = TextractOptions.from_settings(settings)
    staging = s3_client(settings) if options.staging_bucket is not None else None
    return TextractBackend(textract_client(settings), options, settings.price_table(), s3=staging)


def parser_limits(settings: ExtractSettings) -> ParserLimits:
    return ParserLimits(
        memory_mib=settings.extract_memory_mib,
        ocr_engine=settings.extract_ocr_engine,
        ocr_dpi=settings.extract_ocr_dpi,
        ocr_language=settings.extract_ocr_language,
        ocr_text_height=settings.extract_ocr_text_height,
        tessdata_path=settings.extract_tessdata_path,
        min_text_chars=settings.extract_min_text_chars,
        max_image_pixels=settings.extract_max_image_pixels,
        max_pages=settings.extract_max_pages,
        max_docx_uncompressed_bytes=settings.extract_max_docx_uncompressed_mib * _MIB,
        max_zip_ratio=settings.extract_max_zip_ratio,
        max_cells=settings.extract_max_cells,
        max_layout_words=settings.extract_max_layout_words,
        max_attachments=settings.extract_max_attachments,
        max_attachment_bytes=settings.extract_max_attachment_mib * _MIB,
        max_attachment_depth=settings.extract_max_attachment_depth,
    )


def check_ocr_engine(limits: ParserLimits) -> None:
    """Fail at start, not on the first scan, when the chosen OCR engine cannot run."""
    if limits.ocr_engine in {"auto", "rapidocr"}:
        check_rapidocr(limits)
    if limits.ocr_engine in {"auto", "tesseract"}:
        check_tessdata(limits)


def check_rapidocr(limits: ParserLimits) -> None:
    """The package is there (its wheel carries the models); they load in each child."""
    if importlib.util.find_spec("rapidocr_onnxruntime") is None:
        raise BackendUnavailableError(
            f"DOCFLOW_EXTRACT_OCR_ENGINE={limits.ocr_engine} needs the rapidocr-onnxruntime package"
        )


def check_tessdata(limits: ParserLimits) -> None:
    """Fail at start, not on the first scan, when OCR language data is missing."""
    for language in limits.ocr_language.split("+"):
        model = limits.tessdata_path / f"{language}.traineddata"
        if not model.is_file():
            raise BackendUnavailableError(
                f"OCR language data {model} is missing; install it or set "
                "DOCFLOW_EXTRACT_TESSDATA_PATH / DOCFLOW_EXTRACT_OCR_LANGUAGE"
            )
