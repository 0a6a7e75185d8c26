"""What the API does, apart from HTTP: auth, streaming uploads, sniffing, publishing."""
