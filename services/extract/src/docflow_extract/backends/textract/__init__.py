"""The Amazon Textract extraction backend: documents are read by Textract over its API."""
