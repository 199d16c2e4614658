"""Page images: reading, checking and (later) cleaning what scanners and cameras produce."""
