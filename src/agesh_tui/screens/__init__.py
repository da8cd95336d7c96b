"""One Textual screen per file, one folder for all of them."""
