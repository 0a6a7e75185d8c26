"""Build the validate stage from its settings."""

from docflow_runtime.blobstore import blob_store_from_settings
from docflow_validate.loader import load_catalog
from docflow_validate.settings import ValidateSettings
from docflow_validate.stage import Validate


def build(settings: ValidateSettings) -> Validate:
    """The stage with its blob store and the rule packs (loaded and checked now)."""
    catalog = load_catalog(settings.validate_rules_dir, settings.validate_default_pack)
    return Validate(settings, blob_store_from_settings(settings), catalog)
